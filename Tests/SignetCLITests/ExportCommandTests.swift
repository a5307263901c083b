import Foundation
import SignetService
import SignetServiceTestSupport
import SignetTestSupport
import Testing

/// `signet export` over a data directory made by the service (ServiceFixture: SQLite, blobs
/// and a development PKI, as `signet serve` keeps them).
@Suite("signet export")
struct ExportCommandTests {
    private func signet(_ arguments: [String], in fixture: ServiceFixture) throws -> ToolResult {
        try ExternalTool.run(try RepositoryPaths.signetExecutable().path,
                             ["export", "--data", "data", "--keys", "keys", "--templates", RepositoryPaths.templates.path] + arguments,
                             currentDirectory: fixture.directory.url)
    }

    @Test("Bad arguments exit 64 with the reason; an unknown merchant or nothing to export exit 1 and write no file")
    func refusals() async throws {
        let fixture = try await ServiceFixture.make()
        let merchant = try await fixture.service.createMerchant(ServiceFixture.merchantInput)
        let out = fixture.directory.file("out.asice")

        let noFilter = try signet(["--out", out.path], in: fixture)
        #expect(noFilter.status == 64 && noFilter.errorOutput.contains("--merchant"), "\(noFilter.combinedOutput)")
        let reversed = try signet(["--from", "2026-12-31", "--to", "2026-12-01", "--out", out.path], in: fixture)
        #expect(reversed.status == 64 && reversed.errorOutput.contains("after"), "\(reversed.combinedOutput)")
        let badDate = try signet(["--from", "2026-02-30", "--to", "2026-03-01", "--out", out.path], in: fixture)
        #expect(badDate.status == 64 && badDate.errorOutput.contains("YYYY-MM-DD"), "\(badDate.combinedOutput)")
        let badState = try signet(["--merchant", merchant.id, "--state", "voided", "--out", out.path], in: fixture)
        #expect(badState.status == 64 && badState.errorOutput.contains("completed"), "\(badState.combinedOutput)")

        let unknown = try signet(["--merchant", "mer_aaaaaaaaaaaaaaaaaaaaaaaaaa", "--out", out.path], in: fixture)
        #expect(unknown.status == 1 && unknown.errorOutput.contains("merchant_not_found"), "\(unknown.combinedOutput)")
        let empty = try signet(["--merchant", merchant.id, "--out", out.path], in: fixture)
        #expect(empty.status == 1 && empty.errorOutput.contains("no contract matches"), "\(empty.combinedOutput)")
        #expect(!empty.errorOutput.contains("\r["), "no progress bar when standard error is not a terminal")
        #expect(!FileManager.default.fileExists(atPath: out.path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.directory.url.path).allSatisfy { !$0.contains("asice") })

        let noData = try ExternalTool.run(try RepositoryPaths.signetExecutable().path,
                                          ["export", "--data", "missing", "--keys", "keys", "--merchant", merchant.id, "--out", out.path],
                                          currentDirectory: fixture.directory.url)
        #expect(noData.status == 1 && noData.errorOutput.contains("no service database"), "\(noData.combinedOutput)")
    }
}
