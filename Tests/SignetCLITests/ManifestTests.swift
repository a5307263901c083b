import Foundation
import SignetTestSupport
import Testing

/// Other packages can depend on Signet's libraries from a URL only while no target those
/// products are built from carries `unsafeFlags`: SwiftPM refuses them in a remote
/// dependency. Executables and tests may keep theirs (docs/engineering.md, "The manifest").
@Suite("Package.swift: a manifest other packages can depend on")
struct ManifestTests {
    /// A target of `swift package dump-package`: its name, type and unsafe flags.
    struct Target {
        let name: String
        let type: String
        let unsafeFlags: [[String]]
    }

    /// The manifest's targets, from the real `swift package dump-package` (a scratch directory of
    /// its own, so it never waits for the lock of the build that runs the tests).
    static func targets() throws -> [Target] {
        let scratch = try TemporaryDirectory("signet-dump-package")
        let result = try ExternalTool.run("swift", ["package", "--package-path", RepositoryPaths.root.path,
                                                    "--scratch-path", scratch.url.path, "dump-package"])
        guard result.status == 0 else { throw ManifestError("swift package dump-package failed: \(result.combinedOutput)") }
        guard let package = try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any],
              let targets = package["targets"] as? [[String: Any]] else {
            throw ManifestError("dump-package printed no targets: \(result.output.prefix(500))")
        }
        return try targets.map { target in
            guard let name = target["name"] as? String, let type = target["type"] as? String else {
                throw ManifestError("a target without name or type: \(target)")
            }
            // Each setting is {"tool": "c" | "cxx" | "swift" | "linker", "kind": {"unsafeFlags": {"_0": [...]}} , ...}.
            let settings = target["settings"] as? [[String: Any]] ?? []
            let flags = settings.compactMap { setting -> [String]? in
                guard let kind = setting["kind"] as? [String: Any], let value = kind["unsafeFlags"] else { return nil }
                return (value as? [String: Any])?["_0"] as? [String] ?? ["(unreadable: \(value))"]
            }
            return Target(name: name, type: type, unsafeFlags: flags)
        }
    }

    @Test("no target but executables and tests carries unsafeFlags")
    func unsafeFlagsOnlyOnExecutablesAndTests() throws {
        let targets = try Self.targets()
        // The reading works: the library layers are there, and signet's linker flags are found.
        for name in ["SignetCrypto", "SignetPAdES", "SignetPDF", "SignetTemplates", "COpenSSL", "CPangoCairo"] {
            #expect(targets.contains { $0.name == name }, "dump-package lists no \(name)")
        }
        let signet = try #require(targets.first { $0.name == "signet" })
        #expect(signet.type == "executable")
        #expect(signet.unsafeFlags.contains(["-Xlinker", "--no-export-dynamic"]), "\(signet.unsafeFlags)")

        let offending = targets.filter { !["executable", "test"].contains($0.type) && !$0.unsafeFlags.isEmpty }
        #expect(offending.isEmpty, "\(offending.map { "\($0.name) (\($0.type)): \($0.unsafeFlags)" }.joined(separator: "\n"))")
    }
}

/// `swift package dump-package` did not give what the test reads.
struct ManifestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
