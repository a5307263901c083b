import ArgumentParser
import FoundationEssentials
import SignetCrypto
import SignetPAdES

/// `signet verify FILE`: validates every signature of a PDF offline (thin over
/// `SignetPAdES.PDFSignatureValidator`). Exit status: 0 all signatures passed, 1 a
/// signature failed, 2 indeterminate (none failed), 3 no signature, 4 unreadable or not a
/// PDF, 64 usage error (docs/verify-report.md).
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify the signatures of a PDF (PAdES, PKCS#7, document timestamps), offline.",
        discussion: """
        Nothing is trusted unless given with --trust (PEM or DER; a PEM file may hold several \
        certificates). Revocation comes only from data embedded in the file (DSS, CMS).

        Exit status: 0 every signature TOTAL_PASSED; 1 at least one TOTAL_FAILED (also a \
        damaged file with a signature in it); 2 at least one INDETERMINATE and none failed; \
        3 the PDF has no signature; 4 the file cannot be read or is not a PDF; 64 usage \
        error. Every report has a verdict: without a signature, TOTAL_FAILED / FORMAT_FAILURE.
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Argument(help: ArgumentHelp("The PDF to verify.", valueName: "file")) var file: String
    @Option(name: .customLong("trust"), help: ArgumentHelp("A trust anchor certificate file (repeatable).", valueName: "pem"))
    var trust: [String] = []
    @Option(help: "Output format: text or json.") var format: Format = .text
    @Option(help: ArgumentHelp("Validate at this time (ISO 8601, e.g. 2030-01-01T00:00:00Z) or 'claimed' (each signature at the time it claims).",
                               valueName: "time"))
    var at: String?
    @Flag(help: "Do not require revocation data (embedded revocation data still counts).") var noRevocationCheck = false
    @Flag(help: "Also trust the operating system's CA bundle (web PKI roots; off by default).") var systemTrust = false
    @Option(help: ArgumentHelp("Validate this many times and report the mean time on stderr (benchmarks).", visibility: .hidden))
    var repeatCount = 1

    /// Validates the file and prints the report; exits with the report's status
    /// (docs/verify-report.md). Usage problems (an unreadable trust anchor, a bad `--at`)
    /// are thrown before any output.
    func run() throws {
        let options = ValidationOptions(trustAnchors: try trustAnchors(), validationTime: try validationTime(),
                                        requireRevocationData: !noRevocationCheck)
        let bytes: [UInt8]
        do {
            bytes = try readFileBytes(file)
        } catch {
            printError("signet verify: cannot read \(file): \(error)")
            throw ExitCode(ValidationReport.Outcome.unreadable.exitStatus)
        }
        let validator = PDFSignatureValidator(options: options)
        let name = file.split(separator: "/").last.map(String.init) ?? file
        if repeatCount > 1 {
            let clock = ContinuousClock()
            let elapsed = clock.measure { for _ in 0..<repeatCount { _ = validator.validate(pdf: bytes, fileName: name) } }
            let mean = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
            printError("validate: \(repeatCount) runs, \(decimal(mean / Double(repeatCount), places: 3)) ms per run")
        }
        let report = validator.validate(pdf: bytes, fileName: name)
        switch format {
        case .text: print(ValidationReportFormatter.text(report), terminator: "")
        case .json:
            do {
                print(try ValidationReportFormatter.json(report), terminator: "")
            } catch {
                printError("signet verify: cannot write the JSON report: \(error)")
                throw ExitCode(70)  // EX_SOFTWARE
            }
        }
        throw ExitCode(report.exitStatus)
    }

    /// The certificates of every `--trust` file, and the system's with `--system-trust`.
    private func trustAnchors() throws(ValidationError) -> [Certificate] {
        var anchors: [Certificate]
        do { anchors = try loadTrustAnchors(from: trust) } catch { throw ValidationError(error.description) }
        if systemTrust {
            do { anchors += try SystemTrustStore.load() } catch { throw ValidationError("\(error)") }
        }
        return anchors
    }

    /// `--at`, or now.
    private func validationTime() throws(ValidationError) -> ValidationTimeSetting {
        guard let at else { return .current }
        guard let setting = ValidationTimeSetting(parsing: at) else {
            throw ValidationError("--at must be an ISO 8601 time such as 2030-01-01T00:00:00Z, or 'claimed'")
        }
        return setting
    }
}
