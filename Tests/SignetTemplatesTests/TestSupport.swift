import Foundation
import SignetTemplates
import SignetTestSupport
import Testing

/// Shared helpers of the SignetTemplates tests.
enum Fixtures {
    /// The repository's template directory.
    static var store: TemplateStore { TemplateStore(root: RepositoryPaths.templates) }

    /// The three templates every rendering test runs on.
    static let templateIDs = ["merchant-service-agreement", "payment-processing-agreement", "settlement-account-authorization"]

    /// A fixed contract identity.
    static func metadata(_ number: String = "SN-2025-000123") throws -> ContractMetadata {
        try ContractMetadata(number: number, issuedAt: "2025-03-01T10:00:00+08:00")
    }

    static func template(_ id: String) throws -> ContractTemplate {
        try store.load(id: id)
    }

    static func sample(_ template: ContractTemplate) throws -> FieldValues {
        try #require(template.sample, "\(template.reference) has no sample.json")
    }

    /// The name of the multi-line field of each template, used for overflow tests.
    static func longField(of template: ContractTemplate) throws -> String {
        let field = template.manifest.fields.first { if case .multilineText = $0.type { true } else { false } }
        return try #require(field, "\(template.reference) has no multi-line field").name
    }
}

/// Running poppler and qpdf on PDFs in a temporary directory.
struct PDFOracle {
    let directory: TemporaryDirectory
    let url: URL

    init(_ pdf: [UInt8], name: String = "contract.pdf") throws {
        directory = try TemporaryDirectory("signet-templates")
        url = directory.file(name)
        try Data(pdf).write(to: url)
    }

    /// `qpdf --check`, which must exit 0 and report no errors or warnings.
    func qpdfCheck() throws -> ToolResult { try ExternalTool.run("qpdf", ["--check", url.path]) }

    /// `pdffonts` rows: (name, type, embedded, subset).
    func fonts() throws -> [(name: String, type: String, embedded: Bool, subset: Bool)] {
        let result = try ExternalTool.run("pdffonts", [url.path])
        #expect(result.status == 0, "pdffonts failed: \(result.errorOutput)")
        return result.output.split(separator: "\n").dropFirst(2).map { line in
            let columns = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            // name, type words..., encoding, emb, sub, uni, object, id
            let n = columns.count
            return (columns[0], columns[1..<(n - 6)].joined(separator: " "), columns[n - 5] == "yes", columns[n - 4] == "yes")
        }
    }

    /// Text in content-stream order (`pdftotext -raw`), optionally of one page, optionally
    /// only the body area of A4 pages (without page headers and footers).
    func text(page: Int? = nil, bodyOnly: Bool = false) throws -> String {
        var arguments = ["-raw", "-enc", "UTF-8"]
        if bodyOnly { arguments += ["-x", "0", "-y", "60", "-W", "596", "-H", "720"] }
        if let page { arguments += ["-f", "\(page)", "-l", "\(page)"] }
        let result = try ExternalTool.run("pdftotext", arguments + [url.path, "-"])
        #expect(result.status == 0, "pdftotext failed: \(result.errorOutput)")
        return result.output
    }

    /// `pdfinfo -isodates` as key → value.
    func info() throws -> [String: String] {
        let result = try ExternalTool.run("pdfinfo", ["-isodates", url.path])
        #expect(result.status == 0, "pdfinfo failed: \(result.errorOutput)")
        var out: [String: String] = [:]
        for line in result.output.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            out[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return out
    }

    /// A word from `pdftotext -bbox`: top-left origin, y down, in points.
    struct Word {
        let text: String
        let xMin, yMin, xMax, yMax: Double
    }

    /// The words of each page, pages in order.
    func words() throws -> [[Word]] {
        let result = try ExternalTool.run("pdftotext", ["-bbox", url.path, "-"])
        #expect(result.status == 0)
        var pages: [[Word]] = []
        for line in result.output.split(separator: "\n") {
            if line.contains("<page ") { pages.append([]) }
            guard line.contains("<word "), !pages.isEmpty else { continue }
            func attribute(_ name: String) -> Double {
                guard let range = line.range(of: "\(name)=\"") else { return .nan }
                let rest = line[range.upperBound...]
                return Double(rest.prefix { $0 != "\"" }) ?? .nan
            }
            let text = line.split(separator: ">", maxSplits: 1).last?.split(separator: "<").first.map(String.init) ?? ""
            pages[pages.count - 1].append(Word(text: text, xMin: attribute("xMin"), yMin: attribute("yMin"),
                                               xMax: attribute("xMax"), yMax: attribute("yMax")))
        }
        return pages
    }
}

extension String {
    /// Without any white space, so values that wrap across lines can be found in extracted text.
    var squeezed: String { String(unicodeScalars.filter { !CharacterSet.whitespacesAndNewlines.contains($0) }) }
}

/// A one-off template written to a temporary directory (manifest with fields `name` and
/// `amount` unless given, one `merchant` signer).
struct AdHocTemplate {
    let directory: TemporaryDirectory

    init(body: String, fields: String? = nil, locale: String = "zh-CN") throws {
        directory = try TemporaryDirectory("signet-adhoc")
        let manifest = """
        { "id": "t", "version": "1", "title": "测试合同", "locale": "\(locale)",
          "signers": [{ "role": "merchant", "label": "甲方", "signature": { "width": 150, "height": 80 } }],
          "fields": \(fields ?? #"[{ "name": "name", "label": "N", "type": "text" }, { "name": "amount", "label": "A", "type": "money", "currency": "CNY" }]"#) }
        """
        try Data(manifest.utf8).write(to: directory.file("manifest.json"))
        try Data(body.utf8).write(to: directory.file("body.txt"))
    }

    func load() throws(TemplateError) -> ContractTemplate {
        try ContractTemplate.load(from: directory.url)
    }
}
