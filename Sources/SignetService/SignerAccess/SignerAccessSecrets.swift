import FoundationEssentials
import SignetCrypto

/// The secrets of signer authentication and their stored forms.
enum SignerAccessSecrets {
    /// A 6-digit code from the CSPRNG without modulo bias: 32-bit draws at or past the last
    /// whole multiple of 1 000 000 below 2³² are drawn again.
    static func code() -> String {
        let bound: UInt32 = 4_294_000_000  // 4294 × 10⁶ ≤ 2³²
        while true {
            let bytes = SecureRandom.bytes(4)
            let value = bytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            guard value < bound else { continue }
            let digits = String(value % 1_000_000)
            return String(repeating: "0", count: 6 - digits.count) + digits
        }
    }

    /// The stored form of a code: SHA-256 over the service's secret pepper, the challenge id
    /// and the code, so a copy of the database alone does not give the codes away (10⁶
    /// guesses per challenge would otherwise) and a hash is worthless for another challenge.
    static func codeHash(code: String, challengeID: String, pepper: [UInt8]) -> String {
        DigestAlgorithm.sha256.hash(pepper + Array("\u{0}signet-otp\u{0}\(challengeID)\u{0}\(code)".utf8)).hexString
    }

    /// A new session secret: `ses_` and 256 random bits, base64url.
    static func sessionSecret() -> String { "ses_" + Base32.base64URL(SecureRandom.bytes(32)) }

    /// The stored form of a session secret (or any other token).
    static func hash(_ secret: String) -> String { DigestAlgorithm.sha256.hash(Array(secret.utf8)).hexString }

    /// Whether `text` is six ASCII digits.
    static func isCodeShaped(_ text: String) -> Bool { text.utf8.count == 6 && text.utf8.allSatisfy { (0x30...0x39).contains($0) } }
}
