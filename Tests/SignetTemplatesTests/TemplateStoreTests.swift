import Foundation
import SignetTemplates
import SignetTestSupport
import Testing

@Suite("Template versions and the lock")
struct TemplateStoreTests {
    /// A copy of the repository's templates in a temporary directory.
    func copyOfTemplates() throws -> (TemporaryDirectory, TemplateStore) {
        let directory = try TemporaryDirectory("signet-store")
        let root = directory.file("contract-templates")
        try FileManager.default.copyItem(at: RepositoryPaths.templates, to: root)
        return (directory, TemplateStore(root: root))
    }

    @Test("lists the three templates with their versions")
    func lists() throws {
        let listings = try Fixtures.store.list()
        #expect(listings.map(\.id) == Fixtures.templateIDs)
        #expect(listings.allSatisfy { $0.versions.map(\.description).contains("1.0.0") && $0.latest != nil })
    }

    @Test("the committed lock matches every version (templates.lock is up to date)")
    func lockIsCurrent() throws {
        let result = try Fixtures.store.lock(write: false)
        #expect(result.added.isEmpty, "unlocked versions: \(result.added.keys.sorted())")
        let versions = try Fixtures.templateIDs.map { try Fixtures.store.versions(of: $0).count }.reduce(0, +)
        #expect(result.unchanged.count == versions)
    }

    @Test("the digest is the sha256sum of the sha256sum listing", arguments: Fixtures.templateIDs)
    func digestMatchesCoreutils(id: String) throws {
        let template = try Fixtures.store.load(id: id, version: "1.0.0")
        let directory = RepositoryPaths.templates.appendingPathComponent(id).appendingPathComponent("1.0.0")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { !$0.hasPrefix(".") }.sorted()
        let listing = try ExternalTool.run("sha256sum", names, environment: ["LC_ALL": "C"], currentDirectory: directory)
        let digest = try ExternalTool.run("sha256sum", [], input: listing.stdout)
        #expect(digest.output.prefix(64) == template.digest)
    }

    @Test("a locked version whose files changed is refused, naming the version bump")
    func changedVersionIsRefused() throws {
        let (directory, store) = try copyOfTemplates()
        let body = store.root.appendingPathComponent("merchant-service-agreement/1.0.0/body.txt")
        var text = try String(contentsOf: body, encoding: .utf8)
        text = text.replacingOccurrences(of: "五年", with: "三年")
        try Data(text.utf8).write(to: body)
        let error = try #require(throws: TemplateError.self) { try store.load(id: "merchant-service-agreement") }
        guard case .changedWithoutVersionBump(let reference, let locked, let actual) = error else { Issue.record("\(error)"); return }
        #expect(reference == "merchant-service-agreement@1.0.0" && locked != actual)
        #expect(error.description.contains("changed without a version bump"))
        // The other templates still load.
        _ = try store.load(id: "payment-processing-agreement")
        // Locking refuses to rewrite the entry and leaves the file alone.
        let before = try Data(contentsOf: store.lockURL)
        #expect(throws: TemplateError.self) { try store.lock() }
        #expect(try Data(contentsOf: store.lockURL) == before)
        withExtendedLifetime(directory) {}
    }

    @Test("an added file changes the digest too; subdirectories are refused")
    func addedFiles() throws {
        let (directory, store) = try copyOfTemplates()
        let version = store.root.appendingPathComponent("payment-processing-agreement/1.0.0")
        try Data("x".utf8).write(to: version.appendingPathComponent("notes.txt"))
        #expect(throws: TemplateError.self) { try store.load(id: "payment-processing-agreement") }
        try FileManager.default.removeItem(at: version.appendingPathComponent("notes.txt"))
        _ = try store.load(id: "payment-processing-agreement")
        try FileManager.default.createDirectory(at: version.appendingPathComponent("extra"), withIntermediateDirectories: false)
        let error = try #require(throws: TemplateError.self) { try store.load(id: "payment-processing-agreement") }
        guard case .unexpectedEntries = error else { Issue.record("\(error)"); return }
        withExtendedLifetime(directory) {}
    }

    @Test("a new version must be locked before use; locking records it and keeps old entries")
    func newVersion() throws {
        let (directory, store) = try copyOfTemplates()
        let old = store.root.appendingPathComponent("settlement-account-authorization/1.0.0")
        let new = store.root.appendingPathComponent("settlement-account-authorization/1.1.0")
        try FileManager.default.copyItem(at: old, to: new)
        let manifestURL = new.appendingPathComponent("manifest.json")
        let manifest = try String(contentsOf: manifestURL, encoding: .utf8)
            .replacingOccurrences(of: "\"version\": \"1.0.0\"", with: "\"version\": \"1.1.0\"")
        try Data(manifest.utf8).write(to: manifestURL)

        let unlocked = try #require(throws: TemplateError.self) { try store.load(id: "settlement-account-authorization") }
        guard case .notLocked("settlement-account-authorization@1.1.0") = unlocked else { Issue.record("\(unlocked)"); return }
        let lockBefore = try String(contentsOf: store.lockURL, encoding: .utf8)
        let result = try store.lock()
        #expect(Array(result.added.keys) == ["settlement-account-authorization@1.1.0"])
        let lockAfter = try String(contentsOf: store.lockURL, encoding: .utf8)
        for line in lockBefore.split(separator: "\n") { #expect(lockAfter.contains(line)) }

        let newest = try store.load(id: "settlement-account-authorization")
        let oldest = try store.load(id: "settlement-account-authorization", version: "1.0.0")
        #expect(newest.manifest.version.description == "1.1.0" && oldest.manifest.version.description == "1.0.0")
        #expect(newest.digest != oldest.digest)
        // A second run adds nothing.
        #expect(try store.lock().added.isEmpty)
        withExtendedLifetime(directory) {}
    }

    @Test("a manifest whose version disagrees with its directory is refused")
    func versionMismatch() throws {
        let (directory, store) = try copyOfTemplates()
        let old = store.root.appendingPathComponent("settlement-account-authorization/1.0.0")
        try FileManager.default.copyItem(at: old, to: store.root.appendingPathComponent("settlement-account-authorization/2.0.0"))
        let error = try #require(throws: TemplateError.self) { try store.lock() }
        #expect(error.description.contains("version is '1.0.0' but the version directory is '2.0.0'"))
        withExtendedLifetime(directory) {}
    }

    @Test("a locked version that disappeared is reported by lock")
    func missingVersion() throws {
        let (directory, store) = try copyOfTemplates()
        try FileManager.default.removeItem(at: store.root.appendingPathComponent("payment-processing-agreement"))
        let error = try #require(throws: TemplateError.self) { try store.lock(write: false) }
        #expect(error.description.contains("payment-processing-agreement@1.0.0"))
        withExtendedLifetime(directory) {}
    }

    @Test("loading by digest, as an archive would: the expected digest must match")
    func expectedDigest() throws {
        let directory = RepositoryPaths.templates.appendingPathComponent("merchant-service-agreement/1.0.0")
        let template = try ContractTemplate.load(from: directory)
        _ = try ContractTemplate.load(from: directory, expectedDigest: template.digest)
        #expect(throws: TemplateError.self) {
            try ContractTemplate.load(from: directory, expectedDigest: String(repeating: "0", count: 64))
        }
    }

    @Test("unknown ids and versions")
    func unknown() throws {
        #expect(throws: TemplateError.self) { try Fixtures.store.load(id: "nope") }
        let error = try #require(throws: TemplateError.self) { try Fixtures.store.load(id: "merchant-service-agreement", version: "9") }
        #expect(error.description.contains("available: 1.0.0"))
    }

    @Test("malformed lock lines")
    func malformedLock() {
        #expect(throws: TemplateError.self) { try TemplateLock(text: "a@1 nothex") }
        #expect(throws: TemplateError.self) { try TemplateLock(text: "a@1 \(String(repeating: "a", count: 64))\na@1 \(String(repeating: "b", count: 64))") }
        #expect((try? TemplateLock(text: "# comment\n\na@1 \(String(repeating: "a", count: 64))"))?.entries.count == 1)
    }
}
