public import FoundationEssentials
public import SignetCrypto
import SignetPKI

/// A revocation the operator made through the service.
public struct CertificateRevocation: Sendable, Hashable {
    /// The serial number as upper-case hex without leading zeros.
    public var serial: String
    /// When the CA revoked the certificate (whole seconds).
    public var revokedAt: Date
    /// The reason, when one was given ("unspecified" is left out, as RFC 5280 recommends).
    public var reason: RevocationReason?

    /// A revocation of the CRL entry `entry`.
    public init(_ entry: RevokedCertificate) {
        serial = CertificateRegistryKey.serial(entry.serialNumber)
        revokedAt = entry.revocationDate
        reason = entry.reason
    }
}

extension SignetService {
    /// The revocation reasons an operator may give (RFC 5280 §5.3.1 without removeFromCRL,
    /// which un-revokes, and unspecified, which is the absence of a reason).
    public static let revocationReasons: [RevocationReason] = RevocationReason.allCases.filter {
        $0 != .removeFromCRL && $0 != .unspecified
    }

    /// Revokes a certificate of the issuing CA (an event certificate, a seal, the TSA's or the
    /// OCSP responder's) by its serial number in hex, with `reasonName` (one of
    /// `revocationReasons`; nil or "unspecified": no reason). The registry is the service's
    /// database, so every instance's OCSP answers and CRLs report it at once.
    ///
    /// Throws `validationFailed` for a serial that is not hex (at most 20 bytes) or an unknown
    /// reason, `certificateUnknown` when the CA has no record of the serial and
    /// `certificateAlreadyRevoked` when it is revoked already.
    public func revokeCertificate(serial: String, reasonName: String?, at date: Date = Date()) async throws -> CertificateRevocation {
        var issues: [ValidationIssue] = []
        let bytes = CertificateRegistryKey.serialBytes(serial)
        if bytes == nil {
            issues.append(ValidationIssue(field: "serial", code: "invalid_serial",
                                          message: "a certificate serial number in hexadecimal, at most 20 bytes"))
        }
        var reason: RevocationReason?
        if let reasonName, reasonName.lowercased() != RevocationReason.unspecified.name.lowercased() {
            reason = RevocationReason(name: reasonName).flatMap { Self.revocationReasons.contains($0) ? $0 : nil }
            if reason == nil {
                issues.append(ValidationIssue(field: "reason", code: "invalid_reason", message: "one of "
                    + Self.revocationReasons.map(\.name).joined(separator: ", ")))
            }
        }
        guard issues.isEmpty, let bytes else { throw ServiceError.validationFailed(issues) }
        let registry: any CertificateRegistry = try signingFlow.pki?.registry ?? keys.issuingDatabase
        do {
            let entry = try await registry.revoke(serialNumber: bytes, at: date, reason: reason, invalidityDate: nil)
            return CertificateRevocation(entry)
        } catch CertificateAuthorityDatabaseError.unknownSerial {
            throw ServiceError.certificateUnknown(serial: CertificateRegistryKey.serial(bytes))
        } catch CertificateAuthorityDatabaseError.alreadyRevoked {
            throw ServiceError.certificateAlreadyRevoked(serial: CertificateRegistryKey.serial(bytes))
        }
    }
}
