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

    /// The parsed options.
    var request: VerifyRequest {
        VerifyRequest(file: file, trust: trust, format: format, at: at, noRevocationCheck: noRevocationCheck,
                      systemTrust: systemTrust, repeatCount: repeatCount)
    }

    func run() throws {
        throw ExitCode(try request.run())
    }
}
