public import FoundationEssentials
public import SignetCrypto

/// A CA's record of what it issued and revoked, with its CRL numbers: what OCSP answers
/// and CRLs list. `CertificateAuthorityDatabase` (the index file) is one; the service keeps
/// one per issuing CA in its database (SQLite or PostgreSQL), shared by every instance.
///
/// Serial numbers are big-endian bytes; leading zeros do not matter (`0x00 0x7F` is `0x7F`).
public protocol CertificateRegistry: CertificateStatusProvider, IssuedCertificateRecorder {
    /// Records an issued certificate as valid. Throws
    /// `CertificateAuthorityDatabaseError.duplicateSerial` when its serial is recorded already.
    func recordIssued(_ certificate: Certificate) async throws

    /// Marks a recorded certificate revoked at `date` (whole seconds) and returns the CRL
    /// entry. Throws `CertificateAuthorityDatabaseError.unknownSerial` for a serial it has no
    /// record of and `.alreadyRevoked` for one revoked before (the first revocation stands).
    func revoke(serialNumber: [UInt8], at date: Date, reason: RevocationReason?, invalidityDate: Date?) async throws -> RevokedCertificate

    /// Takes the next CRL number: 1, 2, 3… for this CA, never the same twice (also across
    /// processes sharing the registry).
    func nextCRLNumber() async throws -> UInt64
}

extension CertificateAuthorityDatabase: CertificateRegistry {}

/// How a database registry names things: the issuing CA and serial numbers as text keys.
public enum CertificateRegistryKey {
    /// The key of the CA that issued the certificates: the SHA-256 of its certificate, in
    /// lower-case hex (a re-issued CA certificate gets a registry of its own).
    public static func issuer(_ certificate: Certificate) -> String {
        DigestAlgorithm.sha256.hash(certificate.der).hexString
    }

    /// A serial number as upper-case hex without leading zeros ("0" for zero): `0x00 0x0A` is "A".
    public static func serial(_ bytes: [UInt8]) -> String {
        let digits = bytes.hexString.uppercased().drop { $0 == "0" }
        return digits.isEmpty ? "0" : String(digits)
    }

    /// The serial number (big-endian, no leading zero bytes) of hex text, with or without
    /// leading zeros or colons between bytes ("0A", "a", "01:F4"); nil when it is not hex
    /// or longer than 20 bytes (RFC 5280 §4.1.2.2).
    public static func serialBytes(_ text: String) -> [UInt8]? {
        let digits = Array(text.filter { $0 != ":" }.utf8)
        guard !digits.isEmpty, digits.count <= 40, digits.allSatisfy({ Character(Unicode.Scalar($0)).isHexDigit }) else { return nil }
        var padded = digits.count % 2 == 1 ? [UInt8(ascii: "0")] + digits : digits
        var bytes: [UInt8] = []
        while !padded.isEmpty {
            guard let byte = UInt8(String(decoding: padded.prefix(2), as: UTF8.self), radix: 16) else { return nil }
            bytes.append(byte)
            padded.removeFirst(2)
        }
        let trimmed = Array(bytes.drop { $0 == 0 })
        return trimmed.isEmpty ? [0] : trimmed
    }
}
