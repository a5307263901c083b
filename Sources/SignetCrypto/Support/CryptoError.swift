/// Errors raised by SignetCrypto besides OpenSSL's own (`OpenSSLError`).
public enum CryptoError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Input is not the expected encoding or structure.
    case malformed(String)
    /// A private key is encrypted and no or a wrong passphrase was given.
    case wrongPassphrase
    /// An algorithm, key type or parameter Signet does not support.
    case unsupported(String)
    /// A file could not be read or written.
    case io(path: String, reason: String)

    /// A stable, machine-readable code for the case, e.g. `crypto.malformed` (docs/error-codes.md):
    /// for programs and the API's problem details; `description` is for people.
    public var code: String {
        switch self {
        case .malformed: "crypto.malformed"
        case .wrongPassphrase: "crypto.wrong_passphrase"
        case .unsupported: "crypto.unsupported"
        case .io: "crypto.io"
        }
    }

    /// What went wrong, in words.
    public var description: String {
        switch self {
        case .malformed(let what): "malformed input: \(what)"
        case .wrongPassphrase: "the private key is encrypted and the passphrase is missing or wrong"
        case .unsupported(let what): "not supported: \(what)"
        case .io(let path, let reason): "\(path): \(reason)"
        }
    }
}
