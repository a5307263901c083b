import Foundation
import SignetTestSupport
import Testing

/// Pango, Cairo, GLib, fontconfig and their dependencies are not linked into `signet`: CPangoCairo
/// opens them on first use (docs/engineering.md, "Lazily loaded rendering libraries"), so
/// commands that do not render start without them.
@Suite("rendering libraries loaded on first use")
struct RenderingLibrariesTests {
    /// Libraries of the rendering stack (file-name prefixes), none of which `signet` needs to start.
    static let renderingLibraries = [
        "libpangocairo-1.0.so", "libpangoft2-1.0.so", "libpango-1.0.so", "libcairo.so", "libgobject-2.0.so",
        "libglib-2.0.so", "libfontconfig.so", "libharfbuzz.so", "libfreetype.so", "libX11.so", "libxcb.so",
    ]

    func signet(_ arguments: [String], environment: [String: String] = [:]) throws -> ToolResult {
        try ExternalTool.run(try RepositoryPaths.signetExecutable().path, arguments, environment: environment,
                             currentDirectory: RepositoryPaths.root)
    }

    /// The shared libraries a run initialised, by file name, from the dynamic loader's `LD_DEBUG=libs` trace.
    func loadedLibraries(_ result: ToolResult) -> Set<String> {
        var names = Set<String>()
        for line in result.errorOutput.split(separator: "\n") {
            guard let range = line.range(of: "calling init: ") else { continue }
            names.insert(String(line[range.upperBound...].split(separator: "/").last ?? ""))
        }
        return names
    }

    func rendering(_ loaded: Set<String>) -> [String] {
        loaded.filter { name in Self.renderingLibraries.contains { name.hasPrefix($0) } }.sorted()
    }

    var verifyArguments: [String] {
        let corpus = RepositoryPaths.corpus
        return ["verify", corpus.appendingPathComponent("pyhanko/pades-lta-dss-indirect-arrs-test.pdf").path,
                "--trust", corpus.appendingPathComponent("trust/pyhanko-testing-ca-root.cert.pem").path]
    }

    func renderArguments(out: URL) -> [String] {
        let template = "merchant-service-agreement"
        return ["render", "--templates", RepositoryPaths.templates.path, "--template", template,
                "--fields", RepositoryPaths.templates.appendingPathComponent("\(template)/1.0.0/sample.json").path,
                "--out", out.path, "--number", "LAZY-0001", "--issued-at", "2025-03-01T10:00:00+08:00"]
    }

    @Test("signet --help and signet verify load none of the rendering libraries; signet render loads them")
    func loadedOnFirstUse() throws {
        let trace = ["LD_DEBUG": "libs"]
        let help = try signet(["--help"], environment: trace)
        #expect(help.status == 0, "\(help.output)")
        #expect(loadedLibraries(help).contains { $0.hasPrefix("libc.so") }, "no LD_DEBUG trace:\n\(help.errorOutput.prefix(2000))")
        #expect(rendering(loadedLibraries(help)) == [])

        let verify = try signet(verifyArguments, environment: trace)
        #expect(verify.status == 0, "\(verify.output)")
        #expect(rendering(loadedLibraries(verify)) == [])

        let dir = try TemporaryDirectory()
        let render = try signet(renderArguments(out: dir.file("contract.pdf")), environment: trace)
        #expect(render.status == 0, "\(render.output)")
        let loaded = rendering(loadedLibraries(render))
        for library in ["libpangocairo-1.0.so", "libpango-1.0.so", "libcairo.so", "libfontconfig.so", "libglib-2.0.so"] {
            #expect(loaded.contains { $0.hasPrefix(library) }, "render did not load \(library): \(loaded)")
        }
    }

    @Test("a rendering library that cannot be loaded is a clear render error naming it and its Debian package; verify still works")
    func missingLibrary() throws {
        // An empty file found first on LD_LIBRARY_PATH: dlopen fails with "file too short", as
        // it would for a missing or broken installation.
        let dir = try TemporaryDirectory()
        let libraries = dir.file("lib")
        try FileManager.default.createDirectory(at: libraries, withIntermediateDirectories: true)
        try Data().write(to: libraries.appendingPathComponent("libpango-1.0.so.0"))
        let environment = ["LD_LIBRARY_PATH": libraries.path]

        let render = try signet(renderArguments(out: dir.file("contract.pdf")), environment: environment)
        #expect(render.status == 1, "\(render.combinedOutput)")
        #expect(render.errorOutput.contains("libpango-1.0.so.0 could not be loaded"), "\(render.errorOutput)")
        #expect(render.errorOutput.contains("install the Debian package libpango-1.0-0"), "\(render.errorOutput)")
        #expect(!FileManager.default.fileExists(atPath: dir.file("contract.pdf").path))

        let verify = try signet(verifyArguments, environment: environment)
        #expect(verify.status == 0, "\(verify.combinedOutput)")
        #expect(verify.output.contains("TOTAL_PASSED"))
    }
}
