public import FoundationEssentials

/// Opaque, prefixed identifiers of the service's resources (`mer_…`, `ctr_…`, `doc_…`,
/// `key_…`): the prefix names the kind, then 26 lower-case base32 characters (130 bits from
/// the system's CSPRNG), so ids are unguessable and safe in URLs and file names.
public enum ResourceID {
    /// The kinds of resources and their prefixes.
    public enum Kind: String, Sendable, CaseIterable {
        /// A merchant.
        case merchant = "mer"
        /// A contract.
        case contract = "ctr"
        /// A certified copy of a paper document.
        case document = "doc"
        /// An API key.
        case apiKey = "key"
        /// A signing claim (one attempt at signing).
        case signingClaim = "sig"
        /// A one-time code challenge.
        case codeChallenge = "otp"
        /// A webhook endpoint.
        case webhookEndpoint = "whe"
        /// A webhook event (its id is the `webhook-id` of every delivery of it).
        case webhookEvent = "evt"
        /// A webhook delivery (one event to one endpoint).
        case webhookDelivery = "whd"
        /// An export job.
        case export = "exp"
    }

    /// A new random id of `kind`.
    public static func make(_ kind: Kind) -> String {
        "\(kind.rawValue)_" + Base32.lowercase(SecureRandom.bytes(17)).prefix(26)
    }

    /// Whether `text` has the shape of an id of `kind` (never a database lookup).
    public static func isWellFormed(_ text: String, kind: Kind) -> Bool {
        let prefix = "\(kind.rawValue)_"
        guard text.hasPrefix(prefix) else { return false }
        let rest = text.utf8.dropFirst(prefix.utf8.count)
        return (16...40).contains(rest.count) && rest.allSatisfy { (0x61...0x7A).contains($0) || (0x32...0x37).contains($0) }
    }
}

/// Random bytes from the system's CSPRNG (`getrandom` on Linux through Swift's
/// `SystemRandomNumberGenerator`, documented as cryptographically secure).
public enum SecureRandom {
    /// `count` random bytes.
    public static func bytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }
}

/// RFC 4648 base32 (lower case, no padding) and base64url (no padding) text of bytes.
public enum Base32 {
    private static let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567".utf8)

    /// Lower-case base32 without padding.
    public static func lowercase(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        var buffer = 0, bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | Int(byte)
            bits += 8
            while bits >= 5 {
                out.append(alphabet[(buffer >> (bits - 5)) & 31])
                bits -= 5
            }
        }
        if bits > 0 { out.append(alphabet[(buffer << (5 - bits)) & 31]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// base64url without padding (RFC 4648 §5), as used in signing links and API keys.
    public static func base64URL(_ bytes: [UInt8]) -> String {
        String(Data(bytes).base64EncodedString().compactMap { character -> Character? in
            switch character {
            case "+": "-"
            case "/": "_"
            case "=": nil
            default: character
            }
        })
    }
}
