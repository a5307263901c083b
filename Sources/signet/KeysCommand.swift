import ArgumentParser
import FoundationEssentials
import SignetCrypto
import SignetPKI
import SignetService
import SignetStore

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

/// `signet keys revoke`: in the key directory's index file (then a new CRL file), or with
/// `--database URL` / `--data DIR` in the service's database, where every running instance's
/// OCSP answers and CRLs report it at once (the index file is imported first, so the
/// certificates `keys init` and `keys seal` made are known there).
struct KeysRevokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Revoke a certificate issued by the issuing CA (in the key directory, or in the service's database)."
    )

    @OptionGroup var directory: KeysDirectoryOption
    @Option(help: ArgumentHelp("Serial number in hex, as `signet keys show` or `openssl x509 -serial` print it.", valueName: "hex"))
    var serial: String
    @Option(help: ArgumentHelp("keyCompromise, cACompromise, affiliationChanged, superseded, cessationOfOperation, certificateHold, privilegeWithdrawn (default: none given).",
                               valueName: "reason"))
    var reason: String?
    @Option(help: ArgumentHelp("Revoke in the service's PostgreSQL database (what `signet serve --database` runs on).", valueName: "url"))
    var database: String?
    @Option(help: ArgumentHelp("Revoke in the service's SQLite database in this data directory (what `signet serve --data` runs on).",
                               valueName: "dir"))
    var data: String?

    func run() async throws {
        guard let bytes = CertificateRegistryKey.serialBytes(serial) else {
            throw ValidationError("--serial must be hexadecimal, at most 20 bytes")
        }
        var revocationReason: RevocationReason?
        if let reason {
            guard let parsed = RevocationReason(name: reason), parsed != .removeFromCRL else {
                throw ValidationError("unknown revocation reason \(reason)")
            }
            revocationReason = parsed
        }
        if database != nil && data != nil { throw ValidationError("give --database or --data, not both") }
        let hex = CertificateRegistryKey.serial(bytes)
        guard database != nil || data != nil else {
            try reportingErrors {
                let crl = try directory.load().revoke(serialNumber: bytes, reason: revocationReason)
                print("Revoked \(hex)\(revocationReason.map { " (\($0))" } ?? ""); CRL number \(crl.crlNumberValue.map(String.init) ?? "?") written.")
            }
            return
        }
        let keys: KeyDirectory
        let store: any ServiceStore
        do {
            keys = try directory.load()
            store = try await StorageLocation.resolve(database: database, dataDirectory: data ?? "data").open()
        } catch {
            printError("error: \(error)")
            throw ExitCode.failure
        }
        do {
            let registry = store.storage.certificateRegistries.registry(issuer: CertificateRegistryKey.issuer(keys.issuingAuthority.certificate))
            try await keys.importIssuingIndex(into: registry)
            _ = try await registry.revoke(serialNumber: bytes, at: Date(), reason: revocationReason, invalidityDate: nil)
            try? await store.close()
            print("Revoked \(hex)\(revocationReason.map { " (\($0))" } ?? "") in the service's database; OCSP and CRLs of every instance report it now.")
        } catch {
            try? await store.close()
            printError("error: \(error)")
            throw ExitCode.failure
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
