import SignetServiceTestSupport
import Foundation
import SignetService
import SignetStore
import SignetTemplates
import SignetTestSupport
import Testing
import SignetArchive

/// Reminders on a clock the test moves, and the `webhook` one-time code notifier: both
/// delivered to Tests/Fixtures/webhook-receiver.py, which verifies every delivery with the
/// Standard Webhooks reference library (`standardwebhooks`).
@Suite("Webhook reminders and one-time codes", .serialized)
struct WebhookReminderAndCodeTests {
    /// `signer.reminder_due` events in a contract's audit trail: (role, after).
    static func reminders(_ fixture: ServiceFixture, contractID: String) async throws -> [[String]] {
        try await fixture.service.storage.contracts.auditTrail(contractID: contractID)
            .filter { $0.type == "signer.reminder_due" }.map { [$0.data["role"] ?? "", $0.data["after"] ?? ""] }
    }

    @Test("24 h and 72 h after sending: one signer.reminder_due per pending link signer and offset, none for signed ones, each a webhook")
    func reminders() async throws {
        let receiver = try WebhookReceiver()
        let fixture = try await WebhookTests.fixture()
        #expect(fixture.service.configuration.reminderOffsets == [24 * 3600, 72 * 3600])
        try await WebhookTests.endpoint(fixture, receiver, types: ["signer.reminder_due"])
        let (merchant, pending) = try await fixture.merchantAndContract()
        let signed = try await fixture.service.createContract(
            NewContract(merchantID: merchant.id, templateID: "merchant-service-agreement", fields: try ServiceFixture.sampleFields()),
            origin: ServiceFixture.origin)
        _ = try await fixture.service.sign(contractID: signed.contract.id, role: .merchant, evidence: ServiceFixture.evidence)
        let linkRoles = pending.contract.signers.filter { $0.method == .link }.map(\.role.rawValue)
        #expect(!linkRoles.isEmpty)

        let start = fixture.clock.now
        fixture.clock.advance(by: 24 * 3600 - 60)
        #expect(try await fixture.service.recordDueReminders() == 0)
        fixture.clock.advance(by: 120)
        #expect(try await fixture.service.recordDueReminders() == linkRoles.count)
        #expect(try await fixture.service.recordDueReminders() == 0)
        fixture.clock.advance(by: 48 * 3600)
        #expect(try await fixture.service.recordDueReminders() == linkRoles.count)
        #expect(try await fixture.service.recordDueReminders() == 0)
        fixture.clock.advance(by: 24 * 3600)
        #expect(try await fixture.service.recordDueReminders() == 0)

        #expect(try await Self.reminders(fixture, contractID: pending.contract.id) == linkRoles.map { [$0, "24h"] } + linkRoles.map { [$0, "72h"] })
        #expect(try await Self.reminders(fixture, contractID: signed.contract.id).isEmpty)

        // Back to the present to deliver: standardwebhooks refuses a `webhook-timestamp` more
        // than 5 minutes from its own clock.
        fixture.clock.advance(by: start.timeIntervalSince(fixture.clock.now))
        let expected = linkRoles.count * 2
        try await WebhookTests.deliver(fixture) { try receiver.deliveries().count >= expected }
        let got = try receiver.deliveries()
        #expect(got.count == expected)
        #expect(got.allSatisfy { $0["type"] as? String == "signer.reminder_due" && $0["verified_with"] as? [Int] == [0] })
        let bodies = got.compactMap { $0["body"] as? [String: Any] }
        #expect(bodies.map { ($0["details"] as? [String: String])?["after"] } == linkRoles.map { _ in "24h" } + linkRoles.map { _ in "72h" })
        #expect(bodies.allSatisfy { ($0["data"] as? [String: Any])?["id"] as? String == pending.contract.id })
    }

    /// Whether any file under the fixture's data directory (SQLite, its WAL, blobs) holds `text`.
    /// Whether what the storage holds at rest contains `text`: every file of the SQLite data
    /// directory, or on PostgreSQL a `pg_dump` of the test's database (searched for the text and
    /// for its hex form, as `bytea` columns are dumped).
    static func dataFiles(of fixture: ServiceFixture, contain text: String) throws -> Bool {
        let needle = Array(text.utf8)
        if case .postgres(let location) = fixture.location {
            let dump = try ExternalTool.run("pg_dump", ["--data-only", location.libpqURL])
            guard dump.status == 0 else { throw FixtureError("pg_dump: \(dump.errorOutput)") }
            let hex = needle.map { String(format: "%02x", $0) }.joined()
            return dump.output.contains(text) || dump.output.lowercased().contains(hex)
        }
        let root = fixture.directory.file("data")
        guard let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return false }
        for case let file as URL in files {
            guard let bytes = try? Data(contentsOf: file) else { continue }
            if ByteSearch.offset(of: needle, in: Array(bytes)) != nil { return true }
        }
        return false
    }

    @Test("WebhookCodeNotifier: the code is sealed at rest (not in the database files), delivered in signer.otp_requested, then dropped")
    func codeNotifier() async throws {
        let receiver = try WebhookReceiver()
        let fixture = try await WebhookTests.fixture()
        let endpoint = try await WebhookTests.endpoint(fixture, receiver, types: ["signer.otp_requested"]).endpoint
        let (_, issued) = try await fixture.merchantAndContract()
        var code = ""
        repeat { code = String(format: "%06d", Int.random(in: 0..<1_000_000)) } while try Self.dataFiles(of: fixture, contain: code)

        let notifier = WebhookCodeNotifier(service: fixture.service)
        #expect(notifier.name == "webhook")
        try await notifier.deliver(code: code, contract: issued.contract, role: .merchant, challengeID: "chl_reminder0test0001",
                                   expiresAt: fixture.clock.now.addingTimeInterval(300))
        let event = try #require(try await fixture.service.storage.webhooks.events(type: "signer.otp_requested", limit: 10).first)
        #expect(event.sealed && !event.payload.isEmpty)
        // The files hold the event (its id is stored in clear) but not the code.
        #expect(try Self.dataFiles(of: fixture, contain: event.id))
        #expect(try !Self.dataFiles(of: fixture, contain: code))

        try await WebhookTests.deliver(fixture) { try receiver.deliveries().count >= 1 }
        let got = try #require(try receiver.deliveries().first)
        #expect(got["webhook_id"] as? String == event.id && got["verified_with"] as? [Int] == [0] && got["status"] as? Int == 204)
        let body = try #require(got["body"] as? [String: Any])
        let details = try #require(body["details"] as? [String: String])
        #expect(details["code"] == code && details["role"] == "merchant" && details["challenge"] == "chl_reminder0test0001")
        #expect((body["data"] as? [String: Any])?["id"] as? String == issued.contract.id)

        // Delivered: the sealed payload is gone, and a manual retry cannot send the code again.
        let dropped = try #require(try await fixture.service.storage.webhooks.events(type: "signer.otp_requested", limit: 10).first)
        #expect(dropped.payload.count == 0)
        let delivery = try #require(try await fixture.service.webhookDeliveries(endpointID: endpoint.id, page: PageRequest()).items.first)
        // Refused up front (nothing queued), not queued to fail later.
        await #expect(throws: ServiceError.webhookPayloadDropped) { try await fixture.service.retryWebhookDelivery(id: delivery.id) }
        let after = try await fixture.service.webhookDelivery(id: delivery.id)
        #expect(after.delivery.state == .succeeded && after.attempts.count == 1)
        try await WebhookDeliveryWorker(service: fixture.service).runOnce()
        #expect(try receiver.deliveries().count == 1)
        #expect(try !Self.dataFiles(of: fixture, contain: code))
    }
}
