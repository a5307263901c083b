import SignetServiceTestSupport
import Foundation
import SignetService
import SignetStore
import SignetTemplates
import SignetTestSupport
import Testing

/// Exports at the service level: the filter's checks, the store's selection (keyset paging in
/// commit order, merchants and periods), the jobs (claim, requeue after a restart, outcome and
/// webhook event in one transaction), the `export.failed` webhook verified by the Standard
/// Webhooks reference library (`standardwebhooks`).
@Suite("Exports", .serialized)
struct ExportTests {
    /// A second merchant (the platform's own credit code is a valid one).
    static let otherMerchant = NewMerchant(
        externalID: "m-2002", name: "杭州星河文化传媒有限公司", registration: .init(creditCode: "91330106MA2KX7Q38P"),
        legalRepresentative: "周文", contact: MerchantContact(name: "周文", phone: "13900001111", email: "zhou@xinghe.example"))

    /// Two merchants; `first` completed contracts for the first, `second` for the other, and one
    /// sent but unsigned contract for the first.
    static func completedContracts(_ fixture: ServiceFixture, first: Int, second: Int) async throws -> (Merchant, Merchant, [Contract]) {
        let one = try await fixture.service.createMerchant(ServiceFixture.merchantInput)
        let two = try await fixture.service.createMerchant(otherMerchant)
        var completed: [Contract] = []
        for merchant in Array(repeating: one, count: first) + Array(repeating: two, count: second) {
            let issued = try await fixture.service.createContract(
                NewContract(merchantID: merchant.id, templateID: "merchant-service-agreement", fields: try ServiceFixture.sampleFields()),
                origin: ServiceFixture.origin)
            completed.append(try await fixture.service.sign(contractID: issued.contract.id, role: .merchant, evidence: ServiceFixture.evidence))
        }
        _ = try await fixture.service.createContract(
            NewContract(merchantID: one.id, templateID: "merchant-service-agreement", fields: try ServiceFixture.sampleFields()),
            origin: ServiceFixture.origin)
        return (one, two, completed)
    }

    /// A `YYYY-MM-DD` date of `date` on the service's clock (UTC+8).
    static func day(_ date: Date, plus days: Int = 0) -> String {
        let formatter = DateFormatter()
        formatter.calendar = Calendar(identifier: .gregorian)
        formatter.timeZone = TimeZone(secondsFromGMT: 8 * 3600)
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: date.addingTimeInterval(Double(days) * 86_400))
    }

    @Test("A filter needs a merchant or a whole period, real dates in order and the completed state; every problem at once")
    func filterChecks() async throws {
        func codes(_ filter: ExportFilter) -> [String] { filter.issues().map { "\($0.field):\($0.code)" } }
        #expect(codes(ExportFilter()) == ["merchant_id:required"])
        #expect(codes(ExportFilter(from: "2026-12-01")) == ["merchant_id:required"])
        #expect(codes(ExportFilter(merchantID: "mer_x", to: "2026-12-01")) == ["from:required"])
        #expect(codes(ExportFilter(from: "2026-02-30", to: "2026-13-01")) == ["from:invalid_date", "to:invalid_date"])
        #expect(codes(ExportFilter(from: "2026-12-02", to: "2026-12-01")) == ["from:after_to"])
        #expect(codes(ExportFilter(from: "26-12-01", to: "2026-12-1")) == ["from:invalid_date", "to:invalid_date"])
        #expect(codes(ExportFilter(merchantID: "mer_x", state: .voided)) == ["state:not_exportable"])
        #expect(codes(ExportFilter(from: "2026-12-01", to: "2026-12-01")).isEmpty)
        #expect(codes(ExportFilter(merchantID: "mer_x")).isEmpty)

        // Inclusive dates on the service's clock: 2026-12-01 in UTC+8 is [11-30T16:00Z, 12-01T16:00Z).
        let query = ExportFilter(from: "2026-12-01", to: "2026-12-01").query(utcOffsetSeconds: 8 * 3600)
        #expect(query.completedFrom == ISO8601DateFormatter().date(from: "2026-11-30T16:00:00Z"))
        #expect(query.completedBefore == ISO8601DateFormatter().date(from: "2026-12-01T16:00:00Z"))

        let fixture = try await ServiceFixture.make()
        await #expect(throws: ServiceError.notFound("merchant")) {
            _ = try await fixture.service.createExportJob(ExportFilter(merchantID: "mer_aaaaaaaaaaaaaaaaaaaaaaaaaa"))
        }
        await #expect(throws: ServiceError.exportFilterInvalid(ExportFilter().issues())) {
            _ = try await fixture.service.createExportJob(ExportFilter())
        }
    }

    @Test("The store selects completed contracts by merchant and completion date, in commit order, page by page")
    func selection() async throws {
        let fixture = try await ServiceFixture.make()
        let (one, two, completed) = try await Self.completedContracts(fixture, first: 2, second: 1)
        let exports = fixture.service.storage.exports
        func all(_ filter: ExportFilter) async throws -> [String] {
            let query = try await fixture.service.checkExportFilter(filter)
            var ids: [String] = []
            var after: Int64?
            repeat {
                let page = try await exports.contracts(query, after: after, limit: 1)
                #expect(page.items.count <= 1)
                ids += page.items.map(\.id)
                after = page.next
            } while after != nil
            #expect(try await exports.count(query) == ids.count)
            return ids
        }
        let today = Self.day(fixture.clock.now)
        #expect(try await all(ExportFilter(merchantID: one.id)) == completed.prefix(2).map(\.id))
        #expect(try await all(ExportFilter(merchantID: two.id)) == [completed[2].id])
        #expect(try await all(ExportFilter(from: today, to: today)) == completed.map(\.id))
        #expect(try await all(ExportFilter(merchantID: two.id, from: today, to: today)) == [completed[2].id])
        #expect(try await all(ExportFilter(from: Self.day(fixture.clock.now, plus: -3), to: Self.day(fixture.clock.now, plus: -1))).isEmpty)
        #expect(try await all(ExportFilter(from: Self.day(fixture.clock.now, plus: 1), to: Self.day(fixture.clock.now, plus: 2))).isEmpty)
    }

    @Test("A job with nothing to export fails with export_empty; export.failed carries the job and standardwebhooks verifies it")
    func emptyJobFailsWithWebhook() async throws {
        let receiver = try WebhookReceiver()
        let fixture = try await ServiceFixture.make { $0.allowPrivateWebhooks = true }
        let endpoint = try await fixture.service.createWebhookEndpoint(NewWebhookEndpoint(url: receiver.url, eventTypes: ["export.failed"]))
        try await receiver.control(["secrets": [endpoint.secret]])
        let merchant = try await fixture.service.createMerchant(ServiceFixture.merchantInput)

        let job = try await fixture.service.createExportJob(ExportFilter(merchantID: merchant.id))
        #expect(job.state == .queued && job.id.hasPrefix("exp_"))
        await #expect(throws: ServiceError.exportNotReady(state: "queued")) { _ = try await fixture.service.exportArchiveFile(id: job.id) }
        #expect(try await fixture.service.storage.webhooks.events(type: "export.failed", limit: 10).isEmpty)

        let finished = try #require(try await fixture.service.runNextExportJob())
        #expect(finished.id == job.id && finished.state == .failed && finished.error?.code == "export_empty" && finished.archive == nil)
        #expect(try await fixture.service.exportJob(id: job.id) == finished)
        #expect(try await fixture.service.runNextExportJob() == nil, "one job, run once")
        await #expect(throws: ServiceError.exportFailed(code: "export_empty")) { _ = try await fixture.service.exportArchiveFile(id: job.id) }
        #expect(!FileManager.default.fileExists(atPath: fixture.directory.file("data/exports/\(job.id).asice").path))

        let events = try await fixture.service.storage.webhooks.events(type: "export.failed", limit: 10)
        #expect(events.count == 1)
        try await WebhookDeliveryWorker(service: fixture.service).runOnce()
        let got = try await receiver.wait { $0.count >= 1 }
        #expect(got.count == 1 && got.first?["type"] as? String == "export.failed" && got.first?["verified_with"] as? [Int] == [0])
        let data = try #require((got.first?["body"] as? [String: Any])?["data"] as? [String: Any])
        #expect(data["id"] as? String == job.id && data["object"] as? String == "export" && data["state"] as? String == "failed")
        #expect((data["error"] as? [String: Any])?["code"] as? String == "export_empty")
        #expect((data["filter"] as? [String: Any])?["merchant_id"] as? String == merchant.id)
    }

    @Test("A job left running by a stopped process is queued again once its lease passed, and runs from the start")
    func interruptedJobRunsAgain() async throws {
        let fixture = try await ServiceFixture.make()
        let merchant = try await fixture.service.createMerchant(ServiceFixture.merchantInput)
        let job = try await fixture.service.createExportJob(ExportFilter(merchantID: merchant.id))
        let lease = fixture.clock.now.addingTimeInterval(SignetService.exportLease)
        let claimed = try #require(try await fixture.service.storage.exports.claimNext(now: fixture.clock.now, leaseUntil: lease))
        #expect(claimed.id == job.id && claimed.state == .running)
        #expect(try await fixture.service.storage.exports.claimNext(now: fixture.clock.now, leaseUntil: lease) == nil,
                "a running job is not claimed twice")

        let restarted = try await ServiceFixture.make(reusing: fixture)
        #expect(try await restarted.service.requeueInterruptedExports() == 0, "another instance's live lease is kept")
        #expect(try await restarted.service.exportJob(id: job.id).state == .running)
        fixture.clock.advance(by: SignetService.exportLease + 1)
        #expect(try await restarted.service.requeueInterruptedExports() == 1)
        #expect(try await restarted.service.exportJob(id: job.id).state == .queued)
        let finished = try #require(try await restarted.service.runNextExportJob())
        #expect(finished.id == job.id && finished.state == .failed && finished.error?.code == "export_empty")
        #expect(try await restarted.service.requeueInterruptedExports() == 0)
    }
}
