import ArgumentParser
import FoundationEssentials
import Glibc
import SignetCrypto
import SignetPKI
import SignetService
import SignetStore

/// `signet check`: proves the store's invariants (thin over `SignetService.ConsistencyChecker`)
/// and reports, or deletes, orphaned blobs. Exit status: 0 consistent, 1 a violation, 64
/// usage error, 69 the store cannot be opened or read (docs/deployment.md, "Checking the store").
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the store's invariants (states, PDFs, signatures, audit chains, outbox); report or delete orphaned blobs.",
        discussion: """
            Reads the storage signet serve uses (--data or --database) and checks that every contract's \
            state is legal and agrees with its signers, dates and audit trail; that every blob a row \
            names exists with its recorded size and digest; that every signed PDF verifies against \
            the --trust roots (and the root of --keys), starts with the original and holds one \
            signature per signer who signed; that every audit chain verifies; and that every \
            committed change has its webhook outbox event. Run it while no server writes to the \
            store. Read-only unless --gc-orphans.

            Orphaned blobs (stored, named by no row: a crash between a blob's write and its commit \
            leaves one) are reported, not violations; --gc-orphans deletes those older than \
            --orphan-min-age.

            --verified-cache FILE holds SHA-256 digests of blobs verified in earlier runs (one per \
            line): they are only looked for again; the digests this run verifies are appended.

            Exit status: 0 every invariant holds; 1 at least one violation (each printed); 64 \
            usage error; 69 the store cannot be opened or read.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Option(help: ArgumentHelp("The service's data directory (SQLite).", valueName: "dir")) var data = "data"
    @Option(help: ArgumentHelp("The service's PostgreSQL database instead (default: $SIGNET_DATABASE_URL).", valueName: "url"))
    var database: String?
    @Option(help: ArgumentHelp("The PKI directory: its root CA (chain.pem) is trusted too.", valueName: "dir")) var keys: String?
    @Option(name: .customLong("trust"), help: ArgumentHelp("A trust anchor certificate file (repeatable).", valueName: "pem"))
    var trust: [String] = []
    @Flag(help: "Delete orphaned blobs older than --orphan-min-age.") var gcOrphans = false
    @Option(help: ArgumentHelp("The age in seconds an orphaned blob must reach to be deleted.", valueName: "seconds"))
    var orphanMinAge = 3600
    @Option(help: ArgumentHelp("A file of digests verified in earlier runs (read, then appended to).", valueName: "file"))
    var verifiedCache: String?
    @Option(help: "Output format: text or json.") var format: Format = .text

    func validate() throws {
        guard !trust.isEmpty || keys != nil else { throw ValidationError("give the root to trust with --trust ROOT.pem (or --keys DIR)") }
        guard orphanMinAge >= 0 else { throw ValidationError("--orphan-min-age must be 0 or more seconds") }
    }

    func run() async throws {
        let anchors = try trustAnchors()
        let verified = try readVerifiedCache()
        let store = try await openStore()
        let report: ConsistencyReport
        do {
            let options = ConsistencyChecker.Options(trustAnchors: anchors, verifiedDigests: verified, deleteOrphans: gcOrphans,
                                                     orphanMinimumAge: TimeInterval(orphanMinAge))
            report = try await ConsistencyChecker(storage: store.storage, inventory: store.inventory, options: options).run()
            try? await store.close()
        } catch {
            try? await store.close()
            printError("signet check: cannot read the store: \(error)")
            throw ExitCode(69)  // EX_UNAVAILABLE
        }
        appendVerifiedCache(report.newlyVerified)
        switch format {
        case .text: print(Self.text(report), terminator: "")
        case .json: try printJSONReport(report, command: "check")
        }
        if !report.consistent { throw ExitCode.failure }
    }

    /// The `--trust` certificates and the self-signed root of `--keys`' chain.pem.
    private func trustAnchors() throws -> [Certificate] {
        var anchors: [Certificate]
        do { anchors = try loadTrustAnchors(from: trust) } catch { throw ValidationError(error.description) }
        if let keys {
            let chain = "\(keys)/\(KeyDirectory.File.chain)"
            do {
                anchors += try Certificate.loadAll(contentsOfFile: chain).filter(\.isSelfSigned)
            } catch {
                throw ValidationError("--keys: cannot read \(chain): \(error)")
            }
        }
        return anchors
    }

    /// The storage (no SQLite database is created: a missing one is an error, exit 69).
    private func openStore() async throws -> any ServiceStore {
        let url = database ?? ProcessInfo.processInfo.environment[ServeCommand.databaseEnvironmentVariable].flatMap { $0.isEmpty ? nil : $0 }
        let location: StorageLocation
        do {
            location = try StorageLocation.resolve(database: url, dataDirectory: data)
        } catch {
            throw ValidationError("--database: \(error)")
        }
        if case .sqlite = location, !FileManager.default.fileExists(atPath: "\(data)/signet.sqlite") {
            printError("signet check: no service database in \(data) (signet.sqlite)")
            throw ExitCode(69)
        }
        do {
            return try await location.open()
        } catch {
            printError("signet check: cannot open the store (\(location)): \(error)")
            throw ExitCode(69)
        }
    }

    /// The digests in `--verified-cache` (none when it is not given or does not exist yet).
    private func readVerifiedCache() throws -> Set<String> {
        guard let verifiedCache, FileManager.default.fileExists(atPath: verifiedCache) else { return [] }
        do {
            let text = String(decoding: try readFileBytes(verifiedCache), as: UTF8.self)
            return Set(text.split(whereSeparator: \.isNewline).map { String($0) }.filter { $0.utf8.count == 64 })
        } catch {
            throw ValidationError("--verified-cache: cannot read \(verifiedCache): \(error)")
        }
    }

    /// Appends this run's verified digests to `--verified-cache` (a failure only warns: the
    /// next run verifies them again).
    private func appendVerifiedCache(_ digests: [String]) {
        guard let verifiedCache, !digests.isEmpty else { return }
        let bytes = Array(digests.map { $0 + "\n" }.joined().utf8)
        let descriptor = open(verifiedCache, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            printError("signet check: cannot append to \(verifiedCache) (errno \(errno))")
            return
        }
        defer { close(descriptor) }
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        if written != bytes.count { printError("signet check: cannot append to \(verifiedCache) (errno \(errno))") }
    }

    /// The text report: one line per violation, then the counts and the orphans.
    static func text(_ report: ConsistencyReport) -> String {
        var lines = report.violations.map { "VIOLATION \($0.check.rawValue) \($0.contractID ?? "-"): \($0.detail)" }
        let counts = report.counts
        lines.append("\(counts.contracts) contracts, \(counts.documents) documents, \(counts.auditEvents) audit events, "
                     + "\(counts.webhookEvents) outbox events, \(counts.blobs) blobs (\(counts.referencedBlobs) named by rows); "
                     + "\(counts.signedPDFsVerified) signed PDFs verified, \(counts.signedPDFsCached) verified before")
        let orphans = report.orphans
        lines.append("\(orphans.found) orphaned blobs (\(orphans.bytes) bytes), \(orphans.deleted) deleted")
        lines += orphans.digests.map { "orphan \($0)" }
        lines.append(report.consistent ? "consistent" : "INCONSISTENT: \(report.violations.count) violation(s)")
        return lines.joined(separator: "\n") + "\n"
    }
}
