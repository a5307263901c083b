import Foundation
import SignetPKI
import SignetService
import SignetServiceTestSupport
import SignetStore
import SignetTestSupport
import Testing

/// `signet check` end to end over a store made by the service, on SQLite and on PostgreSQL:
/// exit 0 and its JSON on a clean store, exit 1 with the violation on a broken one, orphans
/// reported and collected, the verified cache, usage and unavailable-store exits.
@Suite("signet check")
struct CheckCommandTests {
    private func check(_ arguments: [String], on fixture: ServiceFixture) throws -> ToolResult {
        let root = fixture.keys.path(KeyDirectory.Role.rootCA.certificateFile)
        return try ExternalTool.run(try RepositoryPaths.signetExecutable().path,
                                    ["check"] + TestStorage.arguments(for: fixture.location) + ["--keys", fixture.keys.directory, "--trust", root] + arguments,
                                    currentDirectory: fixture.directory.url)
    }

    private func report(_ result: ToolResult) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any], "\(result.combinedOutput)")
    }

    @Test("SQLite: clean → 0 and the JSON report; the verified cache; a broken store → 1; orphans collected")
    func sqlite() async throws {
        try await endToEnd(try await EveryStateStore.make(location: nil))
    }

    @Test("PostgreSQL (--database): the same")
    func postgres() async throws {
        try await endToEnd(try await EveryStateStore.make(location: try TestStorage.postgresLocation()))
    }

    private func endToEnd(_ store: EveryStateStore) async throws {
        let fixture = store.fixture
        let cache = fixture.directory.file("verified.txt").path
        let clean = try check(["--format", "json", "--verified-cache", cache], on: fixture)
        #expect(clean.status == 0, "\(clean.combinedOutput)")
        let json = try report(clean)
        #expect(json["consistent"] as? Bool == true)
        let counts = try #require(json["counts"] as? [String: Int])
        #expect(counts["contracts"] == ContractState.allCases.count)
        #expect(counts["signed_pdfs_verified"] == 2)
        #expect((counts["audit_events"] ?? 0) > 20 && (counts["webhook_events"] ?? 0) > 8 && (counts["blobs"] ?? 0) > 8, "\(counts)")
        #expect((json["violations"] as? [Any])?.isEmpty == true)
        #expect((json["orphans"] as? [String: Any])?["found"] as? Int == 0)
        let cached = try String(contentsOfFile: cache, encoding: .utf8).split(separator: "\n")
        #expect(cached.count >= 2 && cached.allSatisfy { $0.count == 64 }, "\(cached)")

        let again = try check(["--format", "json", "--verified-cache", cache], on: fixture)
        #expect(again.status == 0, "\(again.combinedOutput)")
        let againCounts = try #require(try report(again)["counts"] as? [String: Int])
        #expect(againCounts["signed_pdfs_verified"] == 0 && againCounts["signed_pdfs_cached"] == 2, "\(againCounts)")

        // An orphan: reported (exit 0), deleted with --gc-orphans once old enough.
        let orphan = try await fixture.storage.storage.blobs.put(Array("%PDF-1.7 orphan of a crashed request".utf8))
        let reported = try check([], on: fixture)
        #expect(reported.status == 0 && reported.output.contains("orphan \(orphan.sha256)") && reported.output.contains("consistent"),
                "\(reported.combinedOutput)")
        let young = try check(["--gc-orphans", "--format", "json"], on: fixture)
        #expect((try report(young)["orphans"] as? [String: Any])?["deleted"] as? Int == 0, "\(young.combinedOutput)")
        let collected = try check(["--gc-orphans", "--orphan-min-age", "0", "--format", "json"], on: fixture)
        #expect(collected.status == 0)
        let orphans = try #require(try report(collected)["orphans"] as? [String: Any])
        #expect(orphans["deleted"] as? Int == 1 && orphans["digests"] as? [String] == [orphan.sha256], "\(orphans)")
        #expect(try await !fixture.storage.storage.blobs.contains(orphan.sha256))

        // Broken: an illegal state and a missing signed PDF → exit 1, each violation printed.
        let completed = try await fixture.service.contract(id: try #require(store.contracts[.completed]))
        try await fixture.removeBlob(try #require(completed.signed?.sha256))
        try await fixture.executeSQL("UPDATE contracts SET state = 'lost' WHERE id = \(ServiceFixture.quoted(try #require(store.contracts[.voided])))")
        let broken = try check([], on: fixture)
        #expect(broken.status == 1, "\(broken.combinedOutput)")
        #expect(broken.output.contains("VIOLATION blob_missing \(completed.id)"), "\(broken.output)")
        #expect(broken.output.contains("VIOLATION state_illegal \(store.contracts[.voided]!)"), "\(broken.output)")
        let brokenJSON = try report(try check(["--format", "json", "--verified-cache", cache], on: fixture))
        #expect(brokenJSON["consistent"] as? Bool == false)
        let checks = (brokenJSON["violations"] as? [[String: Any]] ?? []).compactMap { $0["check"] as? String }
        #expect(checks.sorted() == ["blob_missing", "state_illegal"], "even with the cache, the missing PDF is found: \(checks)")
    }

    @Test("Usage errors exit 64; a store that cannot be opened exits 69")
    func refusals() async throws {
        let directory = try TemporaryDirectory()
        let executable = try RepositoryPaths.signetExecutable().path
        let noTrust = try ExternalTool.run(executable, ["check", "--data", directory.url.path])
        #expect(noTrust.status == 64 && noTrust.errorOutput.contains("--trust"), "\(noTrust.combinedOutput)")
        let badAge = try ExternalTool.run(executable, ["check", "--data", directory.url.path, "--keys", "keys", "--orphan-min-age", "-5"])
        #expect(badAge.status == 64, "\(badAge.combinedOutput)")
        let pem = directory.file("root.pem")
        let fixtureKeys = try KeyDirectory.create(at: directory.file("keys").path, options: KeyDirectory.CreationOptions())
        try FileManager.default.copyItem(atPath: fixtureKeys.path(KeyDirectory.Role.rootCA.certificateFile), toPath: pem.path)
        let noStore = try ExternalTool.run(executable, ["check", "--data", directory.file("missing").path, "--trust", pem.path])
        #expect(noStore.status == 69 && noStore.errorOutput.contains("no service database"), "\(noStore.combinedOutput)")
        #expect(!FileManager.default.fileExists(atPath: directory.file("missing").path), "nothing created")
    }
}
