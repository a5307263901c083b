import FoundationEssentials
import SignetCrypto
import SignetPKI
import SignetService

/// What the two backends' registries share: the row values of `issued_certificates` and
/// how a revocation's outcome becomes the `CertificateAuthorityDatabaseError` the
/// `CertificateRegistry` contract names.
enum CertificateRegistryRows {
    /// The `subject` column: OpenSSL's one-line form, as the index file has it.
    static func subject(of certificate: Certificate) -> String {
        (try? certificate.subject.openSSLOneLine()) ?? certificate.subject.rfc2253
    }

    /// The whole seconds of `date` (X.509 times carry no fraction).
    static func wholeSeconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
    }

    /// The outcome of a guarded revocation, decided inside the transaction and thrown after it
    /// (an error thrown inside would come out as `StoreError`).
    enum RevocationOutcome: Sendable {
        case revoked
        case unknown
        case alreadyRevoked
    }

    /// The CRL entry, or the error of `outcome`.
    static func result(_ outcome: RevocationOutcome, _ entry: RevokedCertificate) throws -> RevokedCertificate {
        switch outcome {
        case .revoked: return entry
        case .unknown: throw CertificateAuthorityDatabaseError.unknownSerial(CertificateRegistryKey.serial(entry.serialNumber))
        case .alreadyRevoked: throw CertificateAuthorityDatabaseError.alreadyRevoked(CertificateRegistryKey.serial(entry.serialNumber))
        }
    }

    /// A revoked row's CRL entry.
    static func entry(serial: String, revokedAt: Int64, reason: Int?, invalidity: Int64?) throws -> RevokedCertificate {
        guard let bytes = CertificateRegistryKey.serialBytes(serial) else { throw StoreError.corrupt("a certificate serial does not decode") }
        return RevokedCertificate(serialNumber: bytes, revocationDate: ColumnCoding.date(revokedAt),
                                  reason: reason.flatMap(RevocationReason.init(rawValue:)), invalidityDate: ColumnCoding.date(invalidity))
    }

    /// A serial number as a signed 64-bit column value (TSA serials stay far below 2⁶³).
    static func int64(_ value: UInt64) throws -> Int64 {
        guard let value = Int64(exactly: value) else { throw StoreError.unavailable("TSA serial numbers are exhausted") }
        return value
    }
}
