import Foundation
import Glibc
import SignetPKI
import SignetService
import SignetServiceTestSupport
import SignetTestSupport
import Testing

/// `signet export` over a data directory made by the service (ServiceFixture: SQLite, blobs
/// and a development PKI, as `signet serve` keeps them): refusals, an archive that the built
/// `signet verify-archive` and the manual checks of README.txt (unzip, `sha256sum -c`,
/// `openssl cms -verify`, `openssl ts -verify`) accept, and failed runs that leave nothing
/// under the final name.
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

    /// A `YYYY-MM-DD` date of today on the service's clock (UTC+8).
    private static func today(_ fixture: ServiceFixture) -> String {
        let formatter = DateFormatter()
        formatter.calendar = Calendar(identifier: .gregorian)
        formatter.timeZone = TimeZone(secondsFromGMT: 8 * 3600)
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: fixture.clock.now)
    }

    @Test("An export of completed contracts (two merchants, zh-CN and en) passes signet verify-archive and the manual checks of README.txt")
    func exportVerifies() async throws {
        let fixture = try await ServiceFixture.make()
        let zh = try await fixture.service.createMerchant(ServiceFixture.merchantInput)
        let en = try await fixture.service.createMerchant(ServiceFixture.englishMerchantInput)
        var ids: [String] = []
        for (merchant, template) in [(zh, "merchant-service-agreement"), (en, "payment-processing-agreement"), (zh, "merchant-service-agreement")] {
            ids.append(try await fixture.completedContract(merchantID: merchant.id, templateID: template).id)
        }
        let day = Self.today(fixture)
        let out = fixture.directory.file("audit.asice")
        let export = try signet(["--from", day, "--to", day, "--out", out.path], in: fixture)
        #expect(export.status == 0 && export.errorOutput.contains("wrote \(out.path): 3 contracts"), "\(export.combinedOutput)")
        #expect(!export.errorOutput.contains("\r["), "no progress bar when standard error is not a terminal")
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.directory.url.path).filter { $0.contains("partial") }.isEmpty)

        let root = URL(fileURLWithPath: fixture.keys.path(KeyDirectory.Role.rootCA.certificateFile))
        let executable = try RepositoryPaths.signetExecutable().path
        let verified = try ExternalTool.run(executable, ["verify-archive", out.path, "--trust", root.path])
        #expect(verified.status == 0 && verified.output.contains("Result: PASSED (3 contract(s), 0 failed)"), "\(verified.combinedOutput)")
        for id in ids { #expect(verified.output.contains(id), "\(id) is in the report") }

        let work = try TemporaryDirectory()
        let checks = try ArchiveHandChecks.run(out, root: root, in: work.url)
        #expect(checks.failures.isEmpty, "\(checks.failures)")
        let folders = try FileManager.default.contentsOfDirectory(atPath: checks.unpacked.appendingPathComponent("contracts").path)
        #expect(Set(folders) == Set(ids))

        // By merchant: only the en merchant's contract.
        let merchantOut = fixture.directory.file("en.asice")
        let byMerchant = try signet(["--merchant", en.id, "--out", merchantOut.path], in: fixture)
        #expect(byMerchant.status == 0 && byMerchant.errorOutput.contains(": 1 contract,"), "\(byMerchant.combinedOutput)")
        let json = try ExternalTool.run(executable, ["verify-archive", merchantOut.path, "--trust", root.path, "--format", "json"])
        let report = try JSONSerialization.jsonObject(with: json.stdout) as? [String: Any]
        #expect(json.status == 0 && report?["outcome"] as? String == "passed", "\(json.combinedOutput)")
        #expect((report?["contracts"] as? [[String: Any]])?.compactMap { $0["contract_id"] as? String } == [ids[1]])
    }

    @Test("A failed export leaves nothing under --out: a final rename that fails removes the temporary file; a run killed (SIGKILL) midway leaves only a hidden .partial file")
    func failedExportLeavesNoFinalFile() async throws {
        let fixture = try await ServiceFixture.make()
        let merchant = try await fixture.service.createMerchant(ServiceFixture.merchantInput)
        for _ in 0..<6 { _ = try await fixture.completedContract(merchantID: merchant.id) }
        let directory = fixture.directory.file("out")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false)
        func listing() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() }

        // --out names an existing directory: everything is written, then the rename fails.
        // (The tests run as root, so a read-only directory would not stop the writer.)
        let taken = directory.appendingPathComponent("taken.asice")
        try FileManager.default.createDirectory(at: taken, withIntermediateDirectories: false)
        let failed = try signet(["--merchant", merchant.id, "--out", taken.path], in: fixture)
        #expect(failed.status == 1 && failed.errorOutput.contains("nothing was written to \(taken.path)"), "\(failed.combinedOutput)")
        #expect(try listing() == ["taken.asice"], "the temporary file is removed")
        #expect(try FileManager.default.contentsOfDirectory(atPath: taken.path).isEmpty, "the directory is untouched")

        // Killed (SIGKILL) as soon as its temporary file exists, with six contracts still to add.
        let out = directory.appendingPathComponent("killed.asice")
        let process = Process()
        process.executableURL = try RepositoryPaths.signetExecutable()
        process.arguments = ["export", "--data", "data", "--keys", "keys", "--templates", RepositoryPaths.templates.path,
                             "--merchant", merchant.id, "--out", out.path]
        process.currentDirectoryURL = fixture.directory.url
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(TestTimeouts.exchange)
        while process.isRunning, Date() < deadline, try listing().count < 2 { usleep(2_000) }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal, "killed, not finished: the export took longer than one poll")
        let left = try listing().filter { $0 != "taken.asice" }
        #expect(!left.contains("killed.asice"))
        #expect(left.count == 1 && left[0].hasPrefix(".killed.asice.partial"), "only the hidden temporary file: \(left)")

        // A new run writes the archive beside the leftover (which stays until removed by hand).
        let again = try signet(["--merchant", merchant.id, "--out", out.path], in: fixture)
        #expect(again.status == 0, "\(again.combinedOutput)")
        let root = fixture.keys.path(KeyDirectory.Role.rootCA.certificateFile)
        let verified = try ExternalTool.run(try RepositoryPaths.signetExecutable().path, ["verify-archive", out.path, "--trust", root])
        #expect(verified.status == 0 && verified.output.contains("Result: PASSED (6 contract(s), 0 failed)"), "\(verified.combinedOutput)")
    }
}
