import ArgumentParser
import FoundationEssentials
import SignetArchive
import SignetCrypto

/// `signet verify-archive FILE --trust ROOT.pem`: checks an ASiC-E contract archive offline
/// (thin over `SignetArchive.ArchiveVerifier`). Exit status: 0 every check passed, 1 a check
/// failed, 4 not a ZIP / not an ASiC-E container / unreadable, 64 usage error (docs/archives.md).
struct VerifyArchiveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-archive",
        abstract: "Verify a contract archive (ASiC-E, from signet export), offline.",
        discussion: """
        Nothing is trusted unless given with --trust (PEM or DER; a PEM file may hold several \
        certificates); the archive's own trust/root-ca.pem is never used. Checks the ZIP layout \
        (mimetype first and stored, safe unique names), the manifest's CAdES signature and its \
        timestamp (chains to a --trust root, embedded revocation data), that every file is \
        listed with its SHA-256 and nothing else is there, SHA256SUMS, and for every contract: \
        its files, the PDF's signatures, that signed.pdf extends the original and the document \
        the contract completed with, the audit chain, and that re-rendering the original from \
        its template files and fields gives the same SHA-256, and that evidence.pdf is, byte for \
        byte, the evidence report derived from this contract's files, sealed by a trusted seal.

        Exit status: 0 every check passed; 1 at least one check failed; 4 the file cannot be \
        read, is not a ZIP or not an ASiC-E container (mimetype entry); 64 usage error.
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Argument(help: ArgumentHelp("The archive (.asice) to verify.", valueName: "file")) var file: String
    @Option(name: .customLong("trust"), help: ArgumentHelp("A trust anchor certificate file (repeatable; at least one).", valueName: "pem"))
    var trust: [String] = []
    @Option(help: "Output format: text or json.") var format: Format = .text
    @Flag(help: "Do not require revocation data (embedded revocation data still counts).") var noRevocationCheck = false

    func validate() throws {
        guard !trust.isEmpty else { throw ValidationError("give the root to trust with --trust ROOT.pem") }
    }

    func run() async throws {
        let anchors: [Certificate]
        do { anchors = try loadTrustAnchors(from: trust) } catch { throw ValidationError(error.description) }
        let verifier = ArchiveVerifier(trustRoots: anchors, revocationRequired: !noRevocationCheck)
        let report = await verifier.verify(archiveAt: URL(fileURLWithPath: file))
        switch format {
        case .text: print(Self.text(report, file: file), terminator: "")
        case .json: try printJSONReport(report, command: "verify-archive")
        }
        throw ExitCode(report.exitStatus)
    }

    /// The report as text: archive checks, then per contract, then the verdict.
    static func text(_ report: ArchiveVerificationReport, file: String) -> String {
        var out = "Archive: \(file)\n"
        for check in report.checks { out += "  [\(check.passed ? "ok" : "FAILED")] \(check.name): \(check.detail)\n" }
        for contract in report.contracts {
            out += "Contract \(contract.contractID)\(contract.number.map { " (\($0))" } ?? ""): \(contract.outcome.rawValue)\n"
            for check in contract.checks { out += "  [\(check.passed ? "ok" : "FAILED")] \(check.name): \(check.detail)\n" }
        }
        let failed = report.contracts.filter { $0.outcome != .passed }.count
        out += "Result: \(report.outcome.rawValue.uppercased()) (\(report.contracts.count) contract(s), \(failed) failed)\n"
        return out
    }
}
