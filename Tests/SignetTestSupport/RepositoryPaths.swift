public import Foundation

/// Well-known locations in the repository, found from this file's path so tests work from
/// any working directory.
public enum RepositoryPaths {
    /// The package root (the directory holding Package.swift).
    public static let root: URL = {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while dir.path != "/" {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) {
                return dir
            }
            dir.deleteLastPathComponent()
        }
        fatalError("Package.swift not found above \(#filePath)")
    }()

    /// `contract-templates/`.
    public static var templates: URL { root.appendingPathComponent("contract-templates") }
    /// `Tests/Fixtures/`.
    public static var fixtures: URL { root.appendingPathComponent("Tests/Fixtures") }
    /// The third-party signed-PDF corpus with its `expected.tsv` (a copy of `shared/corpus`).
    public static var corpus: URL { fixtures.appendingPathComponent("corpus") }

    /// The built `signet` executable of the current build (debug or release).
    public static func signetExecutable() throws -> URL {
        // The test bundle sits next to the executable in the build products directory.
        let bundle = Bundle.main.bundleURL
        for dir in [bundle, bundle.deletingLastPathComponent()] {
            let candidate = dir.appendingPathComponent("signet")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        for config in ["debug", "release"] {
            let candidate = root.appendingPathComponent(".build/\(config)/signet")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw ExternalToolError.notFound("signet", searched: [bundle.path, root.appendingPathComponent(".build").path])
    }
}
