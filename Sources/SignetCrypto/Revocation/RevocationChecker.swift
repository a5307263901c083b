import FoundationEssentials

/// Decides the revocation status of the certificates of a validated path from supplied
/// CRLs and OCSP responses only (e.g. a PDF's DSS or a CMS's revocation values): no
/// network. Each source's signature is verified against the certificate's issuer (or a
/// delegated OCSP responder the issuer authorized). Freshness is reported in the
/// evidence, not required.
///
/// Rules, besides signature and issuer matching:
/// - a revoked entry from any usable source wins (a certificateHold only until a newer
///   source says good);
/// - delta CRLs, indirect CRLs, CRLs with unknown critical extensions, and CRLs whose
///   issuingDistributionPoint scope excludes the certificate are not used;
/// - a CRL or OCSP answer issued after the certificate expired cannot prove it good
///   (CAs may drop expired certificates from their CRLs and responders);
/// - a delegated OCSP responder must be valid at producedAt and be either
///   id-pkix-ocsp-nocheck or not revoked according to the supplied CRLs.
public struct RevocationChecker: Sendable {
    /// The CRLs and OCSP responses, parsed as certificates need them.
    private let sources: RevocationSources
    /// Whether OCSP responses are consulted (not for a delegated responder's own status).
    private let usesOCSP: Bool
    /// Extra certificates, e.g. delegated OCSP responders not embedded in their responses.
    public let pool: CertificatePool
    /// The extra certificates, parsed.
    public var certificates: [Certificate] { pool.all }
    /// Every readable CRL (parses all of them).
    public var crls: [CertificateRevocationList] { sources.allCRLs }
    /// Every readable OCSP response (parses all of them).
    public var ocspResponses: [OCSPResponse] { usesOCSP ? sources.allOCSPResponses : [] }
    /// Inputs that could not be parsed (from `init(crlDER:ocspDER:certificates:)`; parses all).
    public var unreadableInputs: [String] { sources.unreadable }

    /// A checker over parsed CRLs and OCSP responses, with extra `certificates` (e.g.
    /// responders') to look issuers up in.
    public init(crls: [CertificateRevocationList], ocspResponses: [OCSPResponse], certificates: [Certificate] = []) {
        self.init(crls: crls, ocspResponses: ocspResponses, pool: CertificatePool(certificates))
    }

    /// A checker whose extra certificates are in a pool (parsed when a responder needs one).
    public init(crls: [CertificateRevocationList], ocspResponses: [OCSPResponse], pool: CertificatePool) {
        self.init(sources: RevocationSources(crls: crls, ocspResponses: ocspResponses), usesOCSP: true, pool: pool)
    }

    /// DER CRLs and OCSP responses, parsed when a certificate needs them (see
    /// `RevocationSources`); unreadable ones are listed in `unreadableInputs`.
    public init(crlDER: [[UInt8]], ocspDER: [[UInt8]], certificates: [Certificate] = []) {
        self.init(crlDER: crlDER, ocspDER: ocspDER, pool: CertificatePool(certificates))
    }

    /// DER CRLs and OCSP responses, with extra certificates in a pool.
    public init(crlDER: [[UInt8]], ocspDER: [[UInt8]], pool: CertificatePool) {
        self.init(sources: RevocationSources(crlDER: crlDER, ocspDER: ocspDER), usesOCSP: true, pool: pool)
    }

    private init(sources: RevocationSources, usesOCSP: Bool, pool: CertificatePool) {
        self.sources = sources
        self.usesOCSP = usesOCSP
        self.pool = pool
    }

    /// The status of every certificate of `path` except the anchor.
    public func check(_ path: CertificatePath) -> [CertificateRevocationResult] {
        path.certificatesRequiringRevocationCheck.indices.map { index in
            check(path.certificates[index], issuer: path.certificates[index + 1])
        }
    }

    /// The status of `certificate`, issued by `issuer`.
    public func check(_ certificate: Certificate, issuer: Certificate) -> CertificateRevocationResult {
        var notes: [String] = []
        var findings: [Finding] = []
        for crl in sources.crls(issuedBy: certificate.issuer) {
            if let finding = evaluate(crl, for: certificate, issuer: issuer, notes: &notes) { findings.append(finding) }
        }
        for response in usesOCSP ? sources.ocspResponses(aboutSerial: certificate.serialNumber) : [] {
            if let finding = evaluate(response, for: certificate, issuer: issuer, notes: &notes) { findings.append(finding) }
        }
        let status = decide(findings, certificate: certificate, notes: &notes)
        return CertificateRevocationResult(certificate: certificate, issuer: issuer, status: status, notes: notes)
    }

    // MARK: - Sources

    private enum Verdict { case good, revoked(RevokedCertificate) }
    private struct Finding {
        let verdict: Verdict
        let evidence: RevocationEvidence
    }

    private func evaluate(_ crl: CertificateRevocationList, for certificate: Certificate, issuer: Certificate,
                          notes: inout [String]) -> Finding? {
        let label = "CRL of \(crl.issuer.displayString) (thisUpdate \(crl.thisUpdate))"
        guard crl.isIssued(by: issuer) else {
            notes.append("\(label): not used, its signature does not verify with the key of \(issuer.subject.displayString), or that key may not sign CRLs")
            return nil
        }
        if crl.isDelta { notes.append("\(label): not used, it is a delta CRL"); return nil }
        if !crl.unhandledCriticalExtensions.isEmpty {
            notes.append("\(label): not used, unknown critical extension(s) \(crl.unhandledCriticalExtensions.joined(separator: ", "))")
            return nil
        }
        var onlySomeReasons = false
        if let idp = crl.issuingDistributionPoint {
            if idp.indirectCRL { notes.append("\(label): not used, indirect CRLs are not supported"); return nil }
            if idp.onlyContainsAttributeCerts || (idp.onlyContainsUserCerts && certificate.isCA) || (idp.onlyContainsCACerts && !certificate.isCA) {
                notes.append("\(label): not used, its scope (issuingDistributionPoint) excludes this certificate")
                return nil
            }
            // A partitioned CRL applies only to certificates naming its distribution point
            // (RFC 5280 §6.3.3 (b)(2)(i)); names are compared as URIs.
            if idp.namesDistributionPoint && Set(idp.uris).isDisjoint(with: certificate.crlDistributionPoints) {
                let covered = idp.uris.isEmpty ? "a distribution point without URI" : "distribution point \(idp.uris.joined(separator: ", "))"
                notes.append("\(label): not used, it covers only \(covered), which this certificate does not name")
                return nil
            }
            onlySomeReasons = idp.onlySomeReasons
        }
        let evidence = RevocationEvidence(source: .crl(crl), thisUpdate: crl.thisUpdate, nextUpdate: crl.nextUpdate, producedAt: nil)
        if let entry = crl.entry(for: certificate) {
            notes.append("\(label): lists the certificate as revoked on \(entry.revocationDate)\(entry.reason.map { " (\($0))" } ?? "")")
            return Finding(verdict: .revoked(entry), evidence: evidence)
        }
        if onlySomeReasons {
            notes.append("\(label): does not list the certificate, but covers only some reasons, so it cannot prove it good")
            return nil
        }
        if crl.thisUpdate > certificate.notAfter {
            notes.append("\(label): does not list the certificate, but was issued after it expired, so it cannot prove it good")
            return nil
        }
        notes.append("\(label): does not list the certificate")
        return Finding(verdict: .good, evidence: evidence)
    }

    private func evaluate(_ response: OCSPResponse, for certificate: Certificate, issuer: Certificate,
                          notes: inout [String]) -> Finding? {
        guard response.status == .successful, let single = response.singleResponse(for: certificate, issuer: issuer),
              let producedAt = response.producedAt else { return nil }
        let label = "OCSP response produced at \(producedAt)"
        let signer: OCSPSignerAuthorization
        do {
            signer = try response.verifySigner(issuer: issuer, pool: pool)
        } catch {
            notes.append("\(label): not used, \(error)")
            return nil
        }
        if case .delegated(let responder) = signer {
            guard responder.isValid(at: producedAt) else {
                notes.append("\(label): not used, the responder certificate \(responder.subject.displayString) was not valid at producedAt")
                return nil
            }
            if let usage = responder.keyUsage, usage.isDisjoint(with: [.digitalSignature, .nonRepudiation]) {
                notes.append("\(label): not used, the responder certificate's key usage does not allow signing")
                return nil
            }
            if !responder.hasOCSPNoCheck {
                // The responder's own status, from the CRLs only (no recursion into OCSP).
                let own = RevocationChecker(sources: sources, usesOCSP: false, pool: pool).check(responder, issuer: issuer)
                guard case .good = own.status else {
                    notes.append("\(label): not used, the responder certificate lacks id-pkix-ocsp-nocheck and its own status is \(own.status)")
                    return nil
                }
            }
        }
        let evidence = RevocationEvidence(source: .ocsp(response, signer: signer), thisUpdate: single.thisUpdate,
                                          nextUpdate: single.nextUpdate, producedAt: producedAt)
        switch single.status {
        case .good:
            if single.thisUpdate > certificate.notAfter {
                notes.append("\(label): says good, but about a time after the certificate expired, so it cannot prove it good")
                return nil
            }
            notes.append("\(label): says good")
            return Finding(verdict: .good, evidence: evidence)
        case .revoked(let time, let reason):
            notes.append("\(label): says revoked on \(time)\(reason.map { " (\($0))" } ?? "")")
            return Finding(verdict: .revoked(RevokedCertificate(serialNumber: certificate.serialNumber, revocationDate: time, reason: reason)),
                           evidence: evidence)
        case .unknown:
            notes.append("\(label): the responder does not know the certificate")
            return nil
        }
    }

    // MARK: - Decision

    private func decide(_ findings: [Finding], certificate: Certificate, notes: inout [String]) -> RevocationStatus {
        let goods = findings.filter { if case .good = $0.verdict { true } else { false } }
        let newestGood = goods.max { $0.evidence.thisUpdate < $1.evidence.thisUpdate }
        let revocations: [(RevokedCertificate, RevocationEvidence)] = findings.compactMap { finding in
            guard case .revoked(let entry) = finding.verdict else { return nil }
            // A hold is lifted by a newer source saying good.
            if entry.reason == .certificateHold, let newestGood, newestGood.evidence.thisUpdate > finding.evidence.thisUpdate { return nil }
            return (entry, finding.evidence)
        }
        if let earliest = revocations.min(by: { $0.0.revocationDate < $1.0.revocationDate }) {
            return .revoked(earliest.0, earliest.1)
        }
        if let newestGood { return .good(newestGood.evidence) }
        if certificate.hasOCSPNoCheck && certificate.extendedKeyUsage.contains(ExtendedKeyUsage.ocspSigning) {
            return .exempt(reason: "a delegated OCSP responder with id-pkix-ocsp-nocheck")
        }
        if notes.isEmpty { notes.append("no CRL or OCSP response about this certificate was supplied") }
        return .unknown
    }
}
