import ArgumentParser
import Foundation
import SignetTemplates

/// `signet demo --out DIR`: renders every template's sample contract.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Render every template's sample contract into a directory and print their SHA-256.",
        discussion: """
        Uses each template's newest version and its sample.json, with a fixed contract number \
        and issue time, so the output is the same on every run. Standard output is in \
        sha256sum format (check it with `sha256sum -c`); details go to standard error.
        """
    )

    @OptionGroup var templates: TemplatesDirectoryOption
    @Option(help: ArgumentHelp("Output directory.", valueName: "dir")) var out = "out"

    /// The fixed issue time of demo contracts.
    static let issuedAt = "2025-03-01T10:00:00+08:00"

    func run() throws {
        let store = templates.store
        let ids = try store.templateIDs()
        guard !ids.isEmpty else {
            printError("error: no templates in \(store.root.path)")
            throw ExitCode.failure
        }
        for id in ids {
            let template = try store.load(id: id)
            guard let sample = template.sample else {
                printError("skipped \(template.reference): no sample.json")
                continue
            }
            let metadata = try ContractMetadata(number: Self.contractNumber(for: template), issuedAt: Self.issuedAt)
            let rendered = try ContractRenderer.render(template: template, fields: sample, metadata: metadata)
            let path = URL(fileURLWithPath: out).appendingPathComponent("\(id)-\(template.manifest.version).pdf").path
            try writeFile(rendered.pdf, to: path)
            print("\(rendered.sha256)  \(path)")
            let boxes = rendered.signatureBoxes.map { "\($0.role) p\($0.page) \($0.rect)" }.joined(separator: ", ")
            printError("rendered \(template.reference): \(rendered.pageCount) pages; signature boxes \(boxes)")
        }
    }

    /// `DEMO-MSA-1.0.0` for merchant-service-agreement 1.0.0.
    static func contractNumber(for template: ContractTemplate) -> String {
        let initials = template.manifest.id.split(separator: "-").compactMap(\.first).map(String.init).joined().uppercased()
        return "DEMO-\(initials)-\(template.manifest.version)"
    }
}
