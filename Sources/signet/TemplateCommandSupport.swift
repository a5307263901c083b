import ArgumentParser
import FoundationEssentials
import Glibc
import SignetTemplates

/// `--templates DIR`, shared by the template commands.
struct TemplatesDirectoryOption: ParsableArguments {
    @Option(name: .customLong("templates"), help: ArgumentHelp(
        "Template directory (default: $SIGNET_TEMPLATES or ./contract-templates).", valueName: "dir"))
    var directory: String?

    var store: TemplateStore {
        let path = directory ?? ProcessInfo.processInfo.environment["SIGNET_TEMPLATES"] ?? "contract-templates"
        return TemplateStore(root: URL(fileURLWithPath: path))
    }
}

/// JSON output for `--json`: sorted keys so output is stable.
enum JSONOutput {
    static func print<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        Swift.print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}

/// Prints a line to standard error.
func printError(_ message: String) {
    var line = message + "\n"
    line.withUTF8 { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
}

/// `value` with exactly `places` decimals ("12.35" for 12.345, 2), for benchmark output:
/// Foundation's `String(format:)` and number formats would link full Foundation and ICU.
func decimal(_ value: Double, places: Int) -> String {
    guard value.isFinite, abs(value) < 1e15 else { return "\(value)" }
    var unit: Int64 = 1
    for _ in 0..<places { unit *= 10 }
    let scaled = Int64((abs(value) * Double(unit)).rounded())
    let fraction = String(scaled % unit)
    let sign = value < 0 && scaled > 0 ? "-" : ""
    return sign + String(scaled / unit) + (places > 0 ? "." + String(repeating: "0", count: places - fraction.count) + fraction : "")
}

/// The JSON shape of a rendered contract (the CLI's `--json`, and the demo's summary).
struct RenderedContractReport: Encodable {
    struct Template: Encodable {
        let id: String
        let version: String
        let digest: String
    }
    struct Contract: Encodable {
        let number: String
        let issuedAt: String
    }
    let file: String
    let sha256: String
    let pageCount: Int
    let template: Template
    let contract: Contract
    let signatureBoxes: [SignatureBox]

    init(_ rendered: RenderedContract, file: String) {
        self.file = file
        sha256 = rendered.sha256
        pageCount = rendered.pageCount
        template = Template(id: rendered.templateID, version: rendered.templateVersion, digest: rendered.templateDigest)
        contract = Contract(number: rendered.metadata.number, issuedAt: rendered.metadata.issuedAtISO)
        signatureBoxes = rendered.signatureBoxes
    }

    /// Lines for people.
    var text: String {
        var lines = [
            "file:      \(file)",
            "sha256:    \(sha256)",
            "pages:     \(pageCount)",
            "template:  \(template.id)@\(template.version) (sha256 \(template.digest))",
            "contract:  \(contract.number), issued \(contract.issuedAt)",
        ]
        for box in signatureBoxes {
            lines.append("signature: \(box.role) on page \(box.page) at \(box.rect) (x y x+w y+h, points, origin bottom-left)")
        }
        return lines.joined(separator: "\n")
    }
}

/// The JSON shape of an error for `--json`.
struct ErrorReport: Encodable {
    /// The kind of failure (`invalid_fields`, `render_failed`, …).
    let error: String
    /// The library's stable error code (docs/error-codes.md), when a Signet library threw.
    let code: String?
    let message: String
    let errors: [FieldError]?
}

/// Writes `bytes` to `path`, creating parent directories.
func writeFile(_ bytes: [UInt8], to path: String) throws {
    let url = URL(fileURLWithPath: path)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(bytes).write(to: url, options: .atomic)
}
