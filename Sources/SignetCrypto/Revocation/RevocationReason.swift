public import FoundationEssentials

/// CRLReason (RFC 5280 §5.3.1), also used by OCSP RevokedInfo (RFC 6960 §4.2.1).
public enum RevocationReason: Int, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
    /// unspecified (0).
    case unspecified = 0
    /// keyCompromise (1): the subject's key is known or suspected to be compromised.
    case keyCompromise = 1
    /// cACompromise (2): the issuing CA's key is.
    case cACompromise = 2
    /// affiliationChanged (3).
    case affiliationChanged = 3
    /// superseded (4): replaced by another certificate.
    case superseded = 4
    /// cessationOfOperation (5): no longer needed.
    case cessationOfOperation = 5
    /// A suspension: the certificate may be released later (removeFromCRL).
    case certificateHold = 6
    /// Only meaningful in delta CRLs.
    case removeFromCRL = 8
    /// privilegeWithdrawn (9).
    case privilegeWithdrawn = 9
    /// aACompromise (10).
    case aACompromise = 10

    /// The ASN.1 name, e.g. "keyCompromise".
    public var name: String {
        switch self {
        case .unspecified: "unspecified"
        case .keyCompromise: "keyCompromise"
        case .cACompromise: "cACompromise"
        case .affiliationChanged: "affiliationChanged"
        case .superseded: "superseded"
        case .cessationOfOperation: "cessationOfOperation"
        case .certificateHold: "certificateHold"
        case .removeFromCRL: "removeFromCRL"
        case .privilegeWithdrawn: "privilegeWithdrawn"
        case .aACompromise: "aACompromise"
        }
    }

    /// Parses an ASN.1 name, case-insensitively ("keyCompromise", "CACompromise", ...).
    public init?(name: String) {
        guard let match = Self.allCases.first(where: { $0.name.lowercased() == name.lowercased() }) else { return nil }
        self = match
    }

    /// The RFC 5280 name.
    public var description: String { name }
}

/// One revoked certificate, as listed in a CRL or reported by OCSP.
public struct RevokedCertificate: Sendable, Hashable {
    /// Big-endian serial number without leading zero bytes.
    public var serialNumber: [UInt8]
    /// When the CA revoked the certificate.
    public var revocationDate: Date
    /// The reason, when given (RFC 5280 recommends leaving out "unspecified").
    public var reason: RevocationReason?
    /// When the key is known or suspected to have been compromised, if given.
    public var invalidityDate: Date?

    /// An entry for `serialNumber` (big-endian) revoked at `revocationDate`.
    public init(serialNumber: [UInt8], revocationDate: Date, reason: RevocationReason? = nil, invalidityDate: Date? = nil) {
        self.serialNumber = normalizedSerial(serialNumber)
        self.revocationDate = revocationDate
        self.reason = reason
        self.invalidityDate = invalidityDate
    }

    /// The serial in upper-case hex, as `openssl` prints it.
    public var serialNumberHex: String { serialNumber.hexString.uppercased() }
}

/// A serial number without leading zero bytes (so equal serials compare equal).
package func normalizedSerial(_ serial: [UInt8]) -> [UInt8] {
    let trimmed = Array(serial.drop { $0 == 0 })
    return trimmed.isEmpty ? [0] : trimmed
}
