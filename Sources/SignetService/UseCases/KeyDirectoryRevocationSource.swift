public import FoundationEssentials
public import SignetCrypto
public import SignetPAdES
public import SignetPKI

/// Revocation data for certificates of Signet's own PKI (`keys/`), produced locally: OCSP
/// responses from the delegated responder and fresh CRLs (`KeyDirectory.revocationMaterial`).
/// Certificates of other PKIs are handed to `fallback`, if any.
public struct KeyDirectoryRevocationSource: RevocationDataSource {
    /// The key directory whose CAs and OCSP responder produce the data.
    public let keys: KeyDirectory
    /// Asked for certificates the key directory's CAs did not issue; nil: those fail.
    public let fallback: (any RevocationDataSource)?
    /// The time the OCSP responses and CRLs are produced for (default: when asked).
    public let date: Date?
    /// The registry the answers come from; nil: the key directory's index file.
    public let pki: SharedPKIState?

    /// A source over `keys`, passing other certificates to `fallback`; responses dated `date` (nil: when asked).
    public init(keys: KeyDirectory, fallback: (any RevocationDataSource)? = nil, date: Date? = nil) {
        self.keys = keys
        self.fallback = fallback
        self.date = date
        self.pki = nil
    }

    /// A source answering from `pki`'s registry (the service's database), passing other
    /// certificates to `fallback`; responses dated `date` (nil: when asked).
    public init(pki: SharedPKIState, fallback: (any RevocationDataSource)? = nil, date: Date? = nil) {
        self.keys = pki.keys
        self.fallback = fallback
        self.date = date
        self.pki = pki
    }

    /// The key directory's CA chain, then the fallback's certificates.
    public var knownCertificates: [Certificate] { keys.chain + (fallback?.knownCertificates ?? []) }

    /// The key directory's OCSP response and CRL for `certificate` (`KeyDirectory.revocationMaterial`);
    /// for a certificate it has nothing for, the fallback's answer. Throws
    /// `PAdESError.noRevocationData` when neither has any.
    public func revocationData(for certificate: Certificate, issuer: Certificate) async throws -> ValidationMaterial {
        let material = if let pki {
            try await pki.revocationMaterial(for: [certificate], at: date ?? Date())
        } else {
            try await keys.revocationMaterial(for: [certificate], at: date ?? Date())
        }
        if material.crls.isEmpty && material.ocspResponses.isEmpty {
            guard let fallback else { throw PAdESError.noRevocationData(subject: certificate.subject.rfc2253) }
            return try await fallback.revocationData(for: certificate, issuer: issuer)
        }
        return ValidationMaterial(crls: material.crls.map(\.der), ocspResponses: material.ocspResponses.map(\.der))
    }
}
