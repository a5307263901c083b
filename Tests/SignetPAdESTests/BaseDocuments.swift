import Foundation
import SignetTestSupport

/// PDFs written by other producers, to sign: committed fixtures and qpdf rewrites of them.
enum BaseDocuments {
    static let fixtures = ["libreoffice-writer.pdf", "cairo-pango.pdf", "ghostscript.pdf"]

    static func fixture(_ name: String) throws -> [UInt8] {
        try [UInt8](Data(contentsOf: RepositoryPaths.fixtures.appendingPathComponent("pdf/\(name)")))
    }

    /// `name` rewritten by qpdf with `arguments` (e.g. object streams, an xref stream).
    static func qpdfVariant(_ name: String, _ arguments: [String]) throws -> [UInt8] {
        let dir = try TemporaryDirectory("signet-base")
        let output = dir.file("variant.pdf")
        let input = RepositoryPaths.fixtures.appendingPathComponent("pdf/\(name)").path
        let result = try ExternalTool.run("qpdf", arguments + [input, output.path])
        guard result.status == 0 else { throw OracleSetupError(description: "qpdf \(arguments): \(result.combinedOutput)") }
        return try [UInt8](Data(contentsOf: output))
    }

    /// Every base: the fixtures, and qpdf's object-stream, linearized and QDF rewrites.
    static func all() throws -> [(String, [UInt8])] {
        var bases = try fixtures.map { ($0, try fixture($0)) }
        bases.append(("qpdf object streams", try qpdfVariant("libreoffice-writer.pdf", ["--object-streams=generate"])))
        bases.append(("qpdf linearized", try qpdfVariant("cairo-pango.pdf", ["--linearize"])))
        bases.append(("qpdf QDF", try qpdfVariant("ghostscript.pdf", ["--qdf"])))
        return bases
    }
}
