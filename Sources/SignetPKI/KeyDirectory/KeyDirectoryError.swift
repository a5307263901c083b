/// Why a key directory could not be created or loaded.
public enum KeyDirectoryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `init` found existing PKI files and `force` was not given.
    case alreadyInitialized(directory: String, files: [String])
    /// A required file is missing.
    case missingFile(String)
    /// The private keys are encrypted and no passphrase was given (or it is wrong).
    case passphraseRequired(directory: String, environmentVariable: String)
    /// A certificate or key does not fit its role.
    case inconsistent(file: String, reason: String)
    /// Options for creating a directory are invalid.
    case invalidOption(String)

    /// A stable, machine-readable code for the case, e.g. `key_directory.already_initialized` (docs/error-codes.md):
    /// for programs and the API's problem details; `description` is for people.
    public var code: String {
        switch self {
        case .alreadyInitialized: "key_directory.already_initialized"
        case .missingFile: "key_directory.missing_file"
        case .passphraseRequired: "key_directory.passphrase_required"
        case .inconsistent: "key_directory.inconsistent"
        case .invalidOption: "key_directory.invalid_option"
        }
    }

    /// What is wrong, in words.
    public var description: String {
        switch self {
        case .alreadyInitialized(let directory, let files):
            "\(directory) already holds a PKI (\(files.joined(separator: ", "))); refusing to overwrite it without --force"
        case .missingFile(let path):
            "\(path) is missing; run `signet keys init` to create a development PKI"
        case .passphraseRequired(let directory, let variable):
            "the private keys in \(directory) are encrypted: set \(variable) to their passphrase (a wrong passphrase also ends here)"
        case .inconsistent(let file, let reason):
            "\(file): \(reason)"
        case .invalidOption(let reason):
            reason
        }
    }
}
