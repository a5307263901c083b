import ArgumentParser
import FoundationEssentials
import SignetService
import SignetTemplates

/// `signet render`: fill a template and render the contract PDF.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Fill a contract template and render it to a deterministic PDF.",
        discussion: """
        Prints the PDF's SHA-256, page count and signature boxes. The same template version, \
        fields, --number and --issued-at always give the same bytes. Invalid fields: exit \
        status 1 and every problem listed (as JSON with --json).
        """
    )

    @OptionGroup var templates: TemplatesDirectoryOption
    @Option(help: "Template id.") var template: String
    @Option(help: "Template version (default: the newest).") var version: String?
    @Option(help: ArgumentHelp("JSON object of field values.", valueName: "file.json")) var fields: String
    @Option(help: ArgumentHelp("Where to write the PDF.", valueName: "file.pdf")) var out: String
    @Option(help: "Contract number (default: DRAFT).") var number = "DRAFT"
    @Option(help: ArgumentHelp("Issue time, ISO 8601 with offset (default: now).", valueName: "time"))
    var issuedAt: String?
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        do {
            let loaded = try templates.store.load(id: template, version: version)
            let values = try FieldValues(json: Data(contentsOf: URL(fileURLWithPath: fields)))
            let metadata = try ContractMetadata(number: number, issuedAt: issuedAt ?? Self.now())
            let rendered = try ContractRenderer.render(template: loaded, fields: values, metadata: metadata)
            try writeFile(rendered.pdf, to: out)
            let report = RenderedContractReport(rendered, file: out)
            if json { try JSONOutput.print(report) } else { print(report.text) }
        } catch let error as RenderError {
            if case .invalidFields(let invalid) = error {
                try fail("invalid_fields", message: invalid.description, error: error, errors: invalid.errors)
            }
            try fail("render_failed", message: error.description, error: error)
        } catch let error as TemplateError {
            try fail("template_error", message: error.description, error: error)
        } catch let error as FieldValuesError {
            try fail("invalid_fields_file", message: "\(fields): \(error.description)", error: error)
        } catch {
            try fail("io_error", message: "\(error)", error: error)
        }
    }

    /// Reports an error (JSON on stdout with --json: its category, message, the library's
    /// error code and any field errors; text on stderr) and exits with status 1.
    private func fail(_ category: String, message: String, error: any Error, errors: [FieldError]? = nil) throws -> Never {
        if json {
            try JSONOutput.print(ErrorReport(error: category, code: ErrorCodes.code(of: error), message: message, errors: errors))
        } else {
            printError("error: \(message)")
        }
        throw ExitCode.failure
    }

    /// Now, whole seconds, in the local time zone.
    static func now() -> String {
        let seconds = Date().timeIntervalSince1970.rounded(.down)
        let offset = TimeZone.current.secondsFromGMT()
        return ContractMetadata(number: "X", issuedAt: Date(timeIntervalSince1970: seconds), utcOffsetSeconds: offset).issuedAtISO
    }
}
