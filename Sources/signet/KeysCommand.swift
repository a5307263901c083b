import ArgumentParser
import FoundationEssentials
import SignetCrypto
import SignetPKI

/// `signet keys`: the PKI under keys/ (thin over `SignetCrypto.KeyDirectory`).
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Create and inspect the PKI in keys/: root CA, issuing CA, TSA, OCSP responder, platform seal.",
        discussion: """
        Private keys are PKCS#8 files with mode 0600. When \(KeyDirectory.passphraseEnvironmentVariable) is set, \
        `init` encrypts them with it (AES-256) and every command that needs a key reads it from there. \
        See keys/README.md.
        """,
        subcommands: [KeysInitCommand.self, KeysShowCommand.self, KeysSealCommand.self, KeysRevokeCommand.self, KeysCRLCommand.self]
    )
}

/// `--dir`, shared by the keys subcommands.
struct KeysDirectoryOption: ParsableArguments {
    @Option(help: ArgumentHelp("The key directory.", valueName: "dir")) var dir = "keys"

    /// The passphrase from the environment, if set and non-empty.
    var passphrase: String? {
        ProcessInfo.processInfo.environment[KeyDirectory.passphraseEnvironmentVariable].flatMap { $0.isEmpty ? nil : $0 }
    }

    func load() throws -> KeyDirectory { try KeyDirectory.load(from: dir, passphrase: passphrase) }
}

/// `signet keys init`.
struct KeysInitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a development PKI; refuses to replace an existing one without --force."
    )

    @OptionGroup var directory: KeysDirectoryOption
    @Option(help: ArgumentHelp("The platform company (organization of every certificate, name of the seal).", valueName: "name"))
    var org = "Signet Development"
    @Option(help: ArgumentHelp("The platform's unified social credit code, for the seal certificate.", valueName: "code"))
    var creditCode: String?
    @Option(help: ArgumentHelp("Where the service publishes CRLs and OCSP (written into the certificates).", valueName: "url"))
    var baseURL = "http://localhost:8080"
    @Option(help: "Key algorithm: ec (P-256 throughout), ec-p384-ca (P-384 CAs, P-256 end entities) or rsa (RSA 3072).")
    var keyAlgorithm: String = KeyDirectory.KeyAlgorithm.ec.rawValue
    @Flag(help: "Replace an existing PKI (its keys are deleted).") var force = false

    func run() throws {
        guard let algorithm = KeyDirectory.KeyAlgorithm(rawValue: keyAlgorithm) else {
            throw ValidationError("--key-algorithm must be ec, ec-p384-ca or rsa")
        }
        var options = KeyDirectory.CreationOptions()
        options.organization = org
        options.creditCode = creditCode
        options.baseURL = baseURL
        options.keyAlgorithm = algorithm
        try reportingErrors {
            let pki = try KeyDirectory.create(at: directory.dir, options: options, passphrase: directory.passphrase, force: force)
            print("Created a development PKI in \(pki.directory) (keys \(pki.manifest.encrypted ? "encrypted" : "not encrypted")).")
            print("Trust anchor for verifiers: \(pki.path(KeyDirectory.Role.rootCA.certificateFile))")
            print("Run `signet keys show --dir \(directory.dir)` for details.")
        }
    }
}

/// `signet keys show`.
struct KeysShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "List the certificates, key files and CRLs in the key directory (never key material)."
    )

    @OptionGroup var directory: KeysDirectoryOption

    func run() throws {
        let inventory = KeyDirectoryInventory(directory: directory.dir)
        if inventory.isEmpty {
            printError("error: no PKI in \(directory.dir); run `signet keys init`")
            throw ExitCode.failure
        }
        print(inventory.report(), terminator: "")
    }
}

/// `signet keys revoke`.
struct KeysRevokeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Revoke a certificate issued by the issuing CA and publish a new CRL."
    )

    @OptionGroup var directory: KeysDirectoryOption
    @Option(help: ArgumentHelp("Serial number in hex, as `signet keys show` or `openssl x509 -serial` print it.", valueName: "hex"))
    var serial: String
    @Option(help: ArgumentHelp("keyCompromise, cACompromise, affiliationChanged, superseded, cessationOfOperation, certificateHold, privilegeWithdrawn (default: none given).",
                               valueName: "reason"))
    var reason: String?

    func run() throws {
        let digits = serial.replacing(":", with: "")
        guard !digits.isEmpty, digits.allSatisfy(\.isHexDigit) else { throw ValidationError("--serial must be hexadecimal") }
        let padded = digits.count % 2 == 1 ? "0" + digits : digits
        let bytes = stride(from: 0, to: padded.count, by: 2).map { offset -> UInt8 in
            let start = padded.index(padded.startIndex, offsetBy: offset)
            return UInt8(padded[start..<padded.index(start, offsetBy: 2)], radix: 16)!
        }
        var revocationReason: RevocationReason?
        if let reason {
            guard let parsed = RevocationReason(name: reason), parsed != .removeFromCRL else {
                throw ValidationError("unknown revocation reason \(reason)")
            }
            revocationReason = parsed
        }
        try reportingErrors {
            let crl = try directory.load().revoke(serialNumber: bytes, reason: revocationReason)
            print("Revoked \(padded.uppercased())\(revocationReason.map { " (\($0))" } ?? ""); CRL number \(crl.crlNumberValue.map(String.init) ?? "?") written.")
        }
    }
}

/// `signet keys crl`.
struct KeysCRLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crl",
        abstract: "Issue a fresh CRL of the issuing CA (keys/issuing-ca.crl)."
    )

    @OptionGroup var directory: KeysDirectoryOption
    @Option(help: "Days until nextUpdate.") var days = 7

    func run() throws {
        guard days > 0 else { throw ValidationError("--days must be positive") }
        try reportingErrors {
            let crl = try directory.load().refreshIssuingCRL(validity: TimeInterval(days) * 86_400)
            print("CRL number \(crl.crlNumberValue.map(String.init) ?? "?") with \(crl.entries.count) revoked certificate(s), valid until \(crl.nextUpdate.map { "\($0)" } ?? "-").")
        }
    }
}

/// Prints a library error as one line on stderr and exits with status 1.
func reportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch {
        printError("error: \(error)")
        throw ExitCode.failure
    }
}
