public import FoundationEssentials
public import SignetCrypto

/// An OCSP responder (RFC 6960) for the certificates of one CA, signing with the CA key
/// or with a delegated responder certificate (extKeyUsage OCSPSigning, issued by the CA).
///
/// `respond(to:at:)` never throws: a request it cannot parse gets `malformedRequest`, a
/// status lookup that fails gets `tryLater`, and a request naming none of this CA's
/// certificates gets `unauthorized` — all as DER OCSPResponses ready to send.
public struct OCSPResponder: Sendable {
    /// The CA whose certificates this responder answers for.
    public let issuer: Certificate
    /// The certificate that signs the responses.
    public let signerCertificate: Certificate
    private let signerKey: PrivateKey
    private let statusProvider: any CertificateStatusProvider
    /// How long an answer may be relied on: nextUpdate = thisUpdate + validity.
    public var validity: TimeInterval
    /// Name the signer by key hash instead of by name in ResponderID.
    public var responderIDByKeyHash = false

    /// A responder for `issuer`'s certificates. The signer must be the CA itself or a
    /// certificate issued by it with extKeyUsage OCSPSigning, and `signerKey` its key.
    public init(
        issuer: Certificate, signerCertificate: Certificate, signerKey: PrivateKey,
        statusProvider: any CertificateStatusProvider, validity: TimeInterval = 24 * 3600
    ) throws {
        guard try signerCertificate.publicKey == signerKey.publicKey else {
            throw CertificateAuthorityError.keyDoesNotMatchCertificate(subject: signerCertificate.subject.displayString)
        }
        if !signerCertificate.hasSameSubjectAndKey(as: issuer) {
            guard signerCertificate.isIssued(by: issuer) else {
                throw OCSPError.invalidResponderCertificate("\(signerCertificate.subject.displayString) is not issued by \(issuer.subject.displayString)")
            }
            guard signerCertificate.extendedKeyUsage.contains(ExtendedKeyUsage.ocspSigning) else {
                throw OCSPError.invalidResponderCertificate("\(signerCertificate.subject.displayString) lacks the OCSPSigning extended key usage")
            }
        }
        guard validity > 0 else { throw OCSPError.invalidResponderCertificate("the answer validity must be positive") }
        self.issuer = issuer
        self.signerCertificate = signerCertificate
        self.signerKey = signerKey
        self.statusProvider = statusProvider
        self.validity = validity
    }

    /// Answers a DER OCSPRequest at `date` (thisUpdate and producedAt). The statuses of the
    /// request's certificates are looked up first (the provider may be a database), then
    /// the response is signed.
    public func respond(to requestDER: [UInt8], at date: Date = Date()) async -> [UInt8] {
        // A request that does not parse goes to the signing step as it is, which answers
        // malformedRequest; so does one with no CertID.
        let certIDs = (try? OCSPRequest(der: requestDER).certIDs) ?? []
        var statuses: [[UInt8]: CertificateStatus] = [:]
        var lookupFailed = false
        for certID in certIDs where certID.isIssued(by: issuer) && statuses[certID.serialNumber] == nil {
            do {
                statuses[certID.serialNumber] = try await statusProvider.status(ofSerialNumber: certID.serialNumber)
            } catch {
                lookupFailed = true
            }
        }
        let known = statuses
        let failed = lookupFailed
        return OCSPResponseSigning.respond(
            to: requestDER, at: date, validity: validity, signer: signerCertificate, key: signerKey,
            responderIDByKeyHash: responderIDByKeyHash
        ) { certID throws(OCSPResponseSigning.Refusal) in
            // A CertID for another CA (or with a hash Signet does not support) is "unknown".
            guard certID.isIssued(by: issuer) else { return .notIssuedHere }
            guard !failed, let status = known[certID.serialNumber] else { throw OCSPResponseSigning.Refusal(.tryLater) }
            switch status {
            case .good: return .status(.good)
            case .unknown: return .status(.unknown)
            case .revoked(let entry): return .status(.revoked(time: entry.revocationDate, reason: entry.reason))
            }
        }
    }

    /// A DER OCSPResponse carrying only an error status.
    public static func errorResponse(_ status: OCSPResponseStatus) -> [UInt8] {
        OCSPResponseSigning.errorResponse(status)
    }
}
