import Foundation
import SignetArchive
import SignetPKI
import SignetService
import SignetServiceTestSupport
import SignetTestSupport
import Testing

/// Exports that succeed, end to end at the service level: completed contracts of two
/// merchants in both languages (zh-CN merchant-service-agreement, en
/// payment-processing-agreement) exported by merchant and by period; each archive passes
/// `ArchiveVerifier` against the platform root and holds exactly the selected contracts
/// (listed by `zipinfo`); a contract without an evidence report gets one during the export.
@Suite("Exports that succeed", .serialized)
struct ExportArchiveTests {
    /// Two merchants: two zh-CN contracts of the first, two en contracts of the second, all
    /// completed, and a sent but unsigned contract of the first.
    static func contracts(_ fixture: ServiceFixture) async throws -> (zh: Merchant, en: Merchant, completed: [Contract]) {
        let zh = try await fixture.service.createMerchant(ServiceFixture.merchantInput)
        let en = try await fixture.service.createMerchant(ServiceFixture.englishMerchantInput)
        var completed: [Contract] = []
        for (merchant, template) in [(zh, "merchant-service-agreement"), (en, "payment-processing-agreement"),
                                     (zh, "merchant-service-agreement"), (en, "payment-processing-agreement")] {
            completed.append(try await fixture.completedContract(merchantID: merchant.id, templateID: template))
        }
        _ = try await fixture.service.createContract(
            NewContract(merchantID: zh.id, templateID: "merchant-service-agreement", fields: try ServiceFixture.sampleFields()),
            origin: ServiceFixture.origin)
        return (zh, en, completed)
    }

    /// The contract folders of an archive, as `zipinfo -1` lists its entries.
    static func folders(_ archive: URL) throws -> Set<String> {
        let listing = try ExternalTool.run("zipinfo", ["-1", archive.path])
        try #require(listing.status == 0, "\(listing.combinedOutput)")
        return Set(listing.output.split(separator: "\n").compactMap { line -> String? in
            let parts = line.split(separator: "/")
            return parts.count > 2 && parts[0] == "contracts" ? String(parts[1]) : nil
        })
    }

    /// The event types of a contract's `audit-trail.json` in an archive (`unzip -p`).
    static func trailTypes(_ archive: URL, contractID: String) throws -> [String] {
        let trail = try ExternalTool.run("unzip", ["-p", archive.path, "contracts/\(contractID)/audit-trail.json"])
        try #require(trail.status == 0, "\(trail.combinedOutput)")
        let object = try #require(try JSONSerialization.jsonObject(with: trail.stdout) as? [String: Any])
        return (object["events"] as? [[String: Any]] ?? []).compactMap { $0["type"] as? String }
    }

    @Test("By merchant and by period: the archive verifies against the platform root and holds exactly the selected contracts; a missing evidence report is sealed once, during the export")
    func exportsVerify() async throws {
        let fixture = try await ServiceFixture.make()
        let (zh, en, completed) = try await Self.contracts(fixture)
        let verifier = ArchiveVerifier(trustRoots: [fixture.keys.root])
        // One report sealed before the export (as the background job would), the others not yet.
        _ = try await fixture.service.evidencePDF(contractID: completed[1].id)
        for contract in [completed[0], completed[2], completed[3]] {
            #expect(try await fixture.service.contract(id: contract.id).evidence == nil)
        }

        let byMerchant = fixture.directory.file("merchant.asice")
        let result = try await fixture.service.exportArchive(filter: ExportFilter(merchantID: en.id), to: byMerchant)
        #expect(result.contracts == 2)
        let attributes = try FileManager.default.attributesOfItem(atPath: byMerchant.path)
        #expect((attributes[.size] as? Int) == result.bytes)
        #expect(try Self.folders(byMerchant) == [completed[1].id, completed[3].id])
        let merchantReport = await verifier.verify(archiveAt: byMerchant)
        #expect(merchantReport.outcome == .passed, "\(merchantReport.checks.filter { !$0.passed }) \(merchantReport.contracts.flatMap(\.checks).filter { !$0.passed })")
        #expect(Set(merchantReport.contracts.map(\.contractID)) == [completed[1].id, completed[3].id])
        // The export sealed the en contract that had no report; its trail in the archive ends with it.
        #expect(try await fixture.service.contract(id: completed[3].id).evidence != nil)
        #expect(try Self.trailTypes(byMerchant, contractID: completed[3].id).last == "evidence.sealed")
        #expect(try Self.trailTypes(byMerchant, contractID: completed[1].id).last == "evidence.sealed")

        let today = ExportTests.day(fixture.clock.now)
        let byPeriod = fixture.directory.file("period.asice")
        #expect(try await fixture.service.exportArchive(filter: ExportFilter(from: today, to: today), to: byPeriod).contracts == 4)
        #expect(try Self.folders(byPeriod) == Set(completed.map(\.id)), "every completed contract, not the unsigned one")
        let periodReport = await verifier.verify(archiveAt: byPeriod)
        #expect(periodReport.outcome == .passed, "\(periodReport.checks.filter { !$0.passed }) \(periodReport.contracts.flatMap(\.checks).filter { !$0.passed })")
        for contract in completed {
            let types = try Self.trailTypes(byPeriod, contractID: contract.id)
            #expect(types.last == "evidence.sealed" && types.filter { $0 == "evidence.sealed" }.count == 1,
                    "each report sealed once, by the first export that needed it: \(types)")
            #expect(try await fixture.service.contract(id: contract.id).evidence != nil)
        }

        // Merchant and period together: the zh merchant's two completed contracts of today.
        let both = fixture.directory.file("both.asice")
        #expect(try await fixture.service.exportArchive(filter: ExportFilter(merchantID: zh.id, from: today, to: today), to: both).contracts == 2)
        #expect(try Self.folders(both) == [completed[0].id, completed[2].id])
        #expect(await verifier.verify(archiveAt: both).outcome == .passed)

        // Another root does not vouch for the archive.
        let other = try await ServiceFixture.make()
        #expect(await ArchiveVerifier(trustRoots: [other.keys.root]).verify(archiveAt: byMerchant).outcome == .failed)
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.directory.url.path).allSatisfy { !$0.contains("partial") },
                "no temporary file left beside the archives")
    }
}
