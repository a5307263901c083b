/// A party's role in a contract: who signs, as the template's manifest declares it under
/// `signers` (`merchant`, `platform`, or any other role a template defines).
///
/// The raw value names the party's signature field and box, and prefixes its template fields
/// (`merchant_name`, `merchant_credit_code`, …). Role names are lower-case letters, digits
/// and `_`; the manifest parser checks them.
public struct PartyRole: RawRepresentable, Sendable, Hashable, Comparable, Codable, ExpressibleByStringLiteral,
    CustomStringConvertible {
    /// The role's name, e.g. `merchant`.
    public let rawValue: String

    /// The role named `rawValue`.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// The role named by a string literal, e.g. `"guarantor"`.
    public init(stringLiteral value: String) { rawValue = value }

    /// The merchant: signs first, with a one-time event certificate for the signing act.
    public static let merchant: PartyRole = "merchant"
    /// The platform: countersigns with its seal certificate and closes the document (B-LTA).
    public static let platform: PartyRole = "platform"

    /// The role's name.
    public var description: String { rawValue }

    /// Alphabetical order of the names.
    public static func < (lhs: PartyRole, rhs: PartyRole) -> Bool { lhs.rawValue < rhs.rawValue }
}
