public import FoundationEssentials

/// The CRL or OCSP response a revocation decision rests on.
public struct RevocationEvidence: Sendable, Hashable, CustomStringConvertible {
    /// Where the decision comes from.
    public enum Source: Sendable, Hashable {
        /// A CRL.
        case crl(CertificateRevocationList)
        /// The response and who signed it (the CA, or a responder it delegated).
        case ocsp(OCSPResponse, signer: OCSPSignerAuthorization)
    }

    /// The CRL or OCSP response.
    public let source: Source
    /// CRL thisUpdate, or the single response's thisUpdate.
    public let thisUpdate: Date
    /// CRL nextUpdate, or the single response's nextUpdate.
    public let nextUpdate: Date?
    /// OCSP producedAt (nil for CRLs).
    public let producedAt: Date?

    /// The DER of the CRL or OCSP response (what a PAdES DSS embeds).
    public var der: [UInt8] {
        switch source {
        case .crl(let crl): crl.der
        case .ocsp(let response, _): response.der
        }
    }

    /// Whether `date` lies within thisUpdate...nextUpdate. Reported, not required.
    public func isFresh(at date: Date) -> Bool {
        thisUpdate <= date && (nextUpdate.map { date <= $0 } ?? true)
    }

    /// The kind of source, its issuer or signer, and thisUpdate.
    public var description: String {
        switch source {
        case .crl(let crl): "CRL of \(crl.issuer.displayString) (thisUpdate \(thisUpdate))"
        case .ocsp(_, let signer): "OCSP response signed by \(signer.certificate.subject.displayString) (thisUpdate \(thisUpdate))"
        }
    }
}

/// The revocation status of one certificate, decided from supplied material only.
public enum RevocationStatus: Sendable, Hashable, CustomStringConvertible {
    /// A usable CRL or OCSP response says the certificate is not revoked.
    case good(RevocationEvidence)
    /// A usable CRL or OCSP response says it is revoked (or on hold) since `revocation.revocationDate`.
    case revoked(RevokedCertificate, RevocationEvidence)
    /// No usable data; the result's `notes` say what was found and why it did not count.
    case unknown
    /// Not subject to revocation checking (a delegated OCSP responder with
    /// id-pkix-ocsp-nocheck), and no usable data said otherwise.
    case exempt(reason: String)

    /// The status in words, with its evidence.
    public var description: String {
        switch self {
        case .good(let evidence): "good according to the \(evidence)"
        case .revoked(let entry, let evidence):
            "revoked on \(entry.revocationDate)\(entry.reason.map { " (\($0))" } ?? "") according to the \(evidence)"
        case .unknown: "unknown: no usable revocation information"
        case .exempt(let reason): "not checked: \(reason)"
        }
    }
}

/// The outcome for one certificate of a path.
public struct CertificateRevocationResult: Sendable, CustomStringConvertible {
    /// The certificate checked.
    public let certificate: Certificate
    /// Its issuer (whose CRLs and responders count).
    public let issuer: Certificate
    /// The decision.
    public let status: RevocationStatus
    /// Every source looked at and why it did or did not count, in plain words.
    public let notes: [String]

    /// Whether the certificate points at revocation services (CRL distribution points or
    /// OCSP URLs): the corpus policy requires revocation data for such certificates.
    public var hasRevocationPointers: Bool {
        !certificate.crlDistributionPoints.isEmpty || !certificate.ocspURLs.isEmpty
    }

    /// The certificate's subject and its status.
    public var description: String { "\"\(certificate.subject.displayString)\": \(status)" }
}
