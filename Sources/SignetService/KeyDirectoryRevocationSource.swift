public import FoundationEssentials
public import SignetCrypto
public import SignetPAdES
public import SignetPKI

/// Revocation data for certificates of Signet's own PKI (`keys/`), produced locally: OCSP
/// responses from the delegated responder and fresh CRLs (`KeyDirectory.revocationMaterial`).
/// Certificates of other PKIs are handed to `fallback`, if any.
public struct KeyDirectoryRevocationSource: RevocationDataSource {
    public let keys: KeyDirectory
    public let fallback: (any RevocationDataSource)?
    /// The time the OCSP responses and CRLs are produced for (default: when asked).
    public let date: Date?

    public init(keys: KeyDirectory, fallback: (any RevocationDataSource)? = nil, date: Date? = nil) {
        self.keys = keys
        self.fallback = fallback
        self.date = date
    }

    public var knownCertificates: [Certificate] { keys.chain + (fallback?.knownCertificates ?? []) }

    public func revocationData(for certificate: Certificate, issuer: Certificate) async throws -> ValidationMaterial {
        let material = try keys.revocationMaterial(for: [certificate], at: date ?? Date())
        if material.crls.isEmpty && material.ocspResponses.isEmpty {
            guard let fallback else { throw PAdESError.noRevocationData(subject: certificate.subject.rfc2253) }
            return try await fallback.revocationData(for: certificate, issuer: issuer)
        }
        return ValidationMaterial(crls: material.crls.map(\.der), ocspResponses: material.ocspResponses.map(\.der))
    }
}
