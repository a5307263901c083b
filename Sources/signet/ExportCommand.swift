import ArgumentParser
import FoundationEssentials
import Glibc
import SignetPKI
import SignetService
import SignetStore
import SignetTemplates

/// `signet export`: the auditors' archive (ASiC-E, docs/archives.md) of a merchant's
/// contracts or of those completed in a period, from the storage `signet serve` uses. Thin:
/// the service's `exportArchive` does the work; this parses, shows progress on a terminal
/// and reports. A failed export leaves no file under `--out`.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export completed contracts into one signed ASiC-E archive for auditors.",
        discussion: """
            Selects a merchant's contracts (--merchant), those completed in a period (--from and --to, \
            dates YYYY-MM-DD, both inclusive, on the service's clock, UTC+8), or both. Shows a progress \
            bar when standard error is a terminal. Exit status: 0 written; 1 nothing written (unknown \
            merchant, no matching contract, a failure); 64 bad arguments.
            """)

    @Option(help: ArgumentHelp("The service's data directory (SQLite).", valueName: "dir")) var data = "data"
    @Option(help: ArgumentHelp("The service's PostgreSQL database instead (default: $SIGNET_DATABASE_URL).", valueName: "url"))
    var database: String?
    @Option(help: ArgumentHelp("The PKI directory (its seal signs the archive, its TSA timestamps it).", valueName: "dir"))
    var keys = "keys"
    @OptionGroup var templates: TemplatesDirectoryOption
    @Option(help: ArgumentHelp("Only this merchant's contracts (mer_…).", valueName: "id")) var merchant: String?
    @Option(help: ArgumentHelp("First completion date, YYYY-MM-DD.", valueName: "date")) var from: String?
    @Option(help: ArgumentHelp("Last completion date, YYYY-MM-DD.", valueName: "date")) var to: String?
    @Option(help: ArgumentHelp("The contracts' state (only completed contracts can be exported).", valueName: "state"))
    var state = "completed"
    @Option(help: ArgumentHelp("The archive to write (.asice).", valueName: "file")) var out: String

    func validate() throws {
        guard let state = ContractState(rawValue: state) else { throw ValidationError("--state: not a contract state: \(self.state)") }
        let issues = filter(state: state).issues()
        guard issues.isEmpty else {
            throw ValidationError(issues.map { "--\($0.field == "merchant_id" ? "merchant" : $0.field): \($0.message)" }.joined(separator: "; "))
        }
    }

    func filter(state: ContractState) -> ExportFilter {
        ExportFilter(merchantID: merchant, from: from, to: to, state: state)
    }

    func run() async throws {
        let service = try await openService()
        let bar = isatty(STDERR_FILENO) == 1 ? ProgressBar() : nil
        let destination = URL(fileURLWithPath: out)
        do {
            let result = try await service.exportArchive(filter: filter(state: ContractState(rawValue: state) ?? .completed),
                                                         to: destination) { progress in bar?.show(progress) }
            bar?.finish()
            printError("wrote \(out): \(result.contracts) contract\(result.contracts == 1 ? "" : "s"), \(result.bytes) bytes, sha256 \(result.sha256)")
        } catch {
            bar?.finish()
            let message = (error as? ServiceError).map { $0.debugDescription } ?? String(describing: error)
            printError("signet export: \(message); nothing was written to \(out)")
            throw ExitCode.failure
        }
    }

    /// The service over the storage (`--data` or `--database`), keys and templates `signet
    /// serve` uses (no SQLite database is created: a missing one or a missing PKI is an error).
    func openService() async throws -> SignetService {
        let url = database ?? ProcessInfo.processInfo.environment[ServeCommand.databaseEnvironmentVariable].flatMap { $0.isEmpty ? nil : $0 }
        let location: StorageLocation
        do {
            location = try StorageLocation.resolve(database: url, dataDirectory: data)
        } catch {
            printError("signet export: --database: \(error)")
            throw ExitCode.failure
        }
        if case .sqlite = location, !FileManager.default.fileExists(atPath: "\(data)/signet.sqlite") {
            printError("signet export: no service database in \(data) (signet.sqlite)")
            throw ExitCode.failure
        }
        do {
            let passphrase = ProcessInfo.processInfo.environment[KeyDirectory.passphraseEnvironmentVariable].flatMap { $0.isEmpty ? nil : $0 }
            let keys = try KeyDirectory.load(from: keys, passphrase: passphrase)
            let storage = try await location.open()
            let catalog = TemplateCatalog(root: templates.store.root)
            return SignetService(storage: storage.storage, templates: catalog, keys: keys,
                                 signingFlow: try ContractSigningFlow(keys: keys, passphrase: passphrase),
                                 configuration: ServiceConfiguration(baseURL: keys.manifest.urls?.base ?? "http://127.0.0.1:8080"))
        } catch {
            printError("signet export: cannot open the service (\(location), \(keys)): \(error)")
            throw ExitCode.failure
        }
    }
}

/// A one-line progress bar on standard error (a terminal): `[#####.....]  12/40 contracts`.
final class ProgressBar: Sendable {
    /// Draws `progress`, replacing the line.
    func show(_ progress: ExportJob.Progress) {
        let width = 30
        let filled = progress.total > 0 ? width * progress.done / progress.total : 0
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        var line = "\r[\(bar)] \(progress.done)/\(progress.total) contracts"
        line.withUTF8 { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }

    /// Ends the bar's line.
    func finish() {
        _ = write(STDERR_FILENO, "\n", 1)
    }
}
