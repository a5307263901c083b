public import SignetCrypto

/// What a CA knows about one of its certificates.
public enum CertificateStatus: Sendable, Hashable, CustomStringConvertible {
    /// Issued and not revoked.
    case good
    /// Revoked, with the CRL entry.
    case revoked(RevokedCertificate)
    /// Not a certificate this CA knows it issued.
    case unknown

    /// "good", "revoked at …" or "unknown".
    public var description: String {
        switch self {
        case .good: "good"
        case .revoked(let entry): "revoked at \(entry.revocationDate)\(entry.reason.map { " (\($0))" } ?? "")"
        case .unknown: "unknown"
        }
    }
}

/// Where an OCSP responder and CRL issuing get certificate status from: the CA's
/// database (`CertificateAuthorityDatabase` for the development PKI and the CLI; the
/// service's own store — `CertificateRegistry` — when it runs).
///
/// The requirements are asynchronous so that a database can answer; a synchronous
/// implementation (the index file) satisfies them as it is.
public protocol CertificateStatusProvider: Sendable {
    /// The status of the certificate with `serialNumber` (big-endian) issued by this CA.
    func status(ofSerialNumber serialNumber: [UInt8]) async throws -> CertificateStatus
    /// Every revoked certificate, for a full CRL.
    func revokedCertificates() async throws -> [RevokedCertificate]
}
