import FoundationEssentials
import SignetCrypto
import SignetService

/// CSRF tokens of the pages' forms: derived from the session's random secret (so nothing
/// more is stored and a token from one session is worthless in another), sent as a hidden
/// `csrf` field, compared in constant time.
public enum CSRFToken {
    /// The token of a session with secret `sessionSecret`.
    public static func token(sessionSecret: String) -> String {
        Base32.base64URL(Array(DigestAlgorithm.sha256.hash(Array("signet-csrf\u{0}\(sessionSecret)".utf8)).prefix(24)))
    }

    /// Whether `presented` is the token of `sessionSecret` (constant time in the token's length).
    public static func matches(_ presented: String?, sessionSecret: String) -> Bool {
        guard let presented else { return false }
        return ConstantTime.equal(Array(presented.utf8), Array(token(sessionSecret: sessionSecret).utf8))
    }
}
