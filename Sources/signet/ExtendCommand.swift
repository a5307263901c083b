import ArgumentParser
import FoundationEssentials
import SignetCrypto
import SignetPAdES
import SignetService
import SignetPKI

/// `signet extend IN.pdf OUT.pdf`: PAdES B-LTA renewal (thin over
/// `SignetPAdES.LongTermRenewal`). docs/long-term-validation.md has the rules.
struct ExtendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extend",
        abstract: "Renew a signed PDF's long-term validation (PAdES B-LTA): validation data, then a new document timestamp.",
        discussion: """
        Adds, as incremental updates, the certificates and revocation data of the newest \
        document timestamp and of every signature still lacking them (produced locally for \
        certificates of the --keys PKI), then a document timestamp from the built-in TSA of \
        --keys or from --tsa URL. Earlier validation data is never changed.

        Only a file that verifies now is extended: every signature and document timestamp \
        must be TOTAL_PASSED against the --trust anchors (default: the root of --keys). \
        Anything else is refused and nothing is written; so is a result that would not verify.

        Exit status: 0 extended; 1 refused or failed (nothing written); 64 usage error.
        """
    )

    @Argument(help: "The signed PDF to renew.") var input: String
    @Argument(help: "Where to write the renewed PDF (never the input itself).") var output: String
    @Option(help: "The PKI directory (built-in TSA, local revocation data, default trust anchor).") var keys = "keys"
    @Option(help: ArgumentHelp("'builtin' (the TSA of --keys) or an RFC 3161 URL.", valueName: "builtin|url")) var tsa = "builtin"
    @Option(name: .customLong("trust"), help: ArgumentHelp("A trust anchor certificate file (repeatable; default: the root of --keys).", valueName: "pem"))
    var trust: [String] = []
    @Flag(help: "Replace OUT.pdf if it exists.") var force = false

    func validate() throws {
        if URL(fileURLWithPath: input).standardizedFileURL == URL(fileURLWithPath: output).standardizedFileURL {
            throw ValidationError("OUT.pdf must differ from IN.pdf: the input is never modified")
        }
        if tsa != "builtin" {
            guard let url = URL(string: tsa), url.scheme == "http" || url.scheme == "https" else {
                throw ValidationError("--tsa must be 'builtin' or an http(s) URL")
            }
        }
    }

    func run() async throws {
        do {
            try await extend()
        } catch {
            printError("error: \(error)")
            throw ExitCode.failure
        }
    }

    private func extend() async throws {
        if !force && FileManager.default.fileExists(atPath: output) {
            throw CLIError("\(output) exists; use --force to replace it")
        }
        guard FileManager.default.fileExists(atPath: keys) else {
            throw CLIError("\(keys)/ not found: validation data comes from its PKI (run `signet keys init`, or give --keys DIR)")
        }
        let passphrase = ProcessInfo.processInfo.environment[KeyDirectory.passphraseEnvironmentVariable]
        let directory = try KeyDirectory.load(from: keys, passphrase: passphrase)
        let anchors: [Certificate]
        do { anchors = trust.isEmpty ? [directory.root] : try loadTrustAnchors(from: trust) } catch { throw CLIError(error.description) }
        let timestamps: any TimeStampProvider
        if tsa == "builtin" {
            timestamps = try directory.makeTimeStampAuthority()
        } else {
            timestamps = TimeStampClient(url: URL(string: tsa)!)  // checked in validate()
        }
        let renewal = LongTermRenewal(
            timestampProvider: timestamps, revocationSource: KeyDirectoryRevocationSource(keys: directory),
            validation: ValidationOptions(trustAnchors: anchors))
        let result = try await renewal.extend(try readFile(input))
        try writeFile(result.pdf, to: output)
        print("extended \(output): \(result.addedValidationData ? "validation data and " : "")a document timestamp, \(result.pdf.count) bytes, "
              + "SHA-256 \(DigestAlgorithm.sha256.hash(result.pdf).hexString)")
        if let added = result.added {
            print("newest timestamp: \(added.time.map { $0.formatted(.iso8601) } ?? "?") by \(added.tsa.subject), "
                  + "renew before \(added.expiry.formatted(.iso8601)) (its TSA certificate expires then)")
        }
    }
}
