import SignetServiceTestSupport
import Foundation
import SignetCrypto
import SignetService
import SignetStore
import SignetTemplates
import SignetTestSupport
import Testing

/// Webhooks end to end at the service level: the outbox, the delivery worker and a receiver
/// (Tests/Fixtures/webhook-receiver.py) that verifies every delivery with the Standard
/// Webhooks reference library (`standardwebhooks`).
@Suite("Webhooks", .serialized)
struct WebhookTests {
    static func fixture(reusing earlier: ServiceFixture? = nil) async throws -> ServiceFixture {
        try await ServiceFixture.make(reusing: earlier) { configuration in
            configuration.allowPrivateWebhooks = true
            configuration.webhookRetrySchedule = WebhookRetrySchedule(delays: [1, 1], jitter: 0)
        }
    }

    /// An endpoint at `receiver` for `types` (empty: all); the receiver verifies with its
    /// secret and is also told `control`.
    @discardableResult
    static func endpoint(_ fixture: ServiceFixture, _ receiver: WebhookReceiver, types: [String] = [],
                         control: [String: Any] = [:]) async throws -> WebhookEndpointWithSecret {
        let created = try await fixture.service.createWebhookEndpoint(NewWebhookEndpoint(url: receiver.url, eventTypes: types))
        try await receiver.control(control.merging(["secrets": [created.secret]]) { $1 })
        return created
    }

    /// Runs the worker, moving the clock past each retry delay, until `done` or 20 rounds.
    static func deliver(_ fixture: ServiceFixture, until done: () throws -> Bool) async throws {
        let worker = WebhookDeliveryWorker(service: fixture.service)
        for _ in 0..<20 {
            try await worker.runOnce()
            if try done() { return }
            fixture.clock.advance(by: 2)
        }
    }

    @Test("A journey's events arrive in order, each verified by standardwebhooks, with the contract as GET returns it")
    func journey() async throws {
        let receiver = try WebhookReceiver()
        let fixture = try await Self.fixture()
        try await Self.endpoint(fixture, receiver)
        let (_, issued) = try await fixture.merchantAndContract()
        _ = try await fixture.service.sign(contractID: issued.contract.id, role: .merchant, evidence: ServiceFixture.evidence)
        let expected = try await fixture.service.storage.webhooks.events(type: nil, limit: 100).map(\.type)
        #expect(expected.first == "contract.created")
        #expect(expected.contains("signer.signed") && expected.last == "contract.completed")
        try await Self.deliver(fixture) { try receiver.deliveries().count >= expected.count }
        let got = try receiver.deliveries()
        #expect(got.map { $0["type"] as? String } == expected)
        #expect(got.allSatisfy { ($0["verified_with"] as? [Int]) == [0] && ($0["webhook_id"] as? String) == ($0["id"] as? String) })
        let last = try #require(got.last?["body"] as? [String: Any])
        let data = try #require(last["data"] as? [String: Any])
        #expect(data["id"] as? String == issued.contract.id && data["state"] as? String == "completed")
    }

    @Test("500 twice, then 200: retried with the same webhook-id; every attempt recorded")
    func retries() async throws {
        let receiver = try WebhookReceiver()
        let fixture = try await Self.fixture()
        let created = try await Self.endpoint(fixture, receiver, types: ["contract.created"], control: ["fail": 2, "retry_after": "1"])
        _ = try await fixture.merchantAndContract()
        try await Self.deliver(fixture) { try receiver.deliveries().contains { $0["status"] as? Int == 204 } }
        let got = try receiver.deliveries()
        #expect(got.map { $0["status"] as? Int } == [500, 500, 204])
        #expect(Set(got.compactMap { $0["webhook_id"] as? String }).count == 1)
        let delivery = try #require(try await fixture.service.webhookDeliveries(endpointID: created.endpoint.id, page: PageRequest()).items.first)
        #expect(delivery.state == .succeeded && delivery.attempts == 3)
        #expect(try await fixture.service.webhookDelivery(id: delivery.id).attempts.map(\.status) == [500, 500, 204])
    }

    @Test("Attempts run out → failed; a manual retry sends it again with the same id; 410 disables the endpoint")
    func exhaustedRetryAndGone() async throws {
        let receiver = try WebhookReceiver()
        let fixture = try await Self.fixture()
        let created = try await Self.endpoint(fixture, receiver, types: ["contract.created"], control: ["fail": 3])
        let (merchant, _) = try await fixture.merchantAndContract()
        let endpointID = created.endpoint.id
        try await Self.deliver(fixture) { try receiver.deliveries().count == 3 }
        var delivery = try #require(try await fixture.service.webhookDeliveries(endpointID: endpointID, page: PageRequest()).items.first)
        #expect(delivery.state == .failed && delivery.attempts == 3)
        delivery = try await fixture.service.retryWebhookDelivery(id: delivery.id)
        #expect(delivery.state == .pending)
        try await Self.deliver(fixture) { try receiver.deliveries().count == 4 }
        #expect(try await fixture.service.webhookDelivery(id: delivery.id).delivery.state == .succeeded)
        #expect(Set(try receiver.deliveries().compactMap { $0["webhook_id"] as? String }).count == 1)

        try await receiver.control(["gone": true])
        _ = try await fixture.service.createContract(
            NewContract(merchantID: merchant.id, templateID: "merchant-service-agreement", fields: try ServiceFixture.sampleFields()),
            origin: ServiceFixture.origin)
        try await Self.deliver(fixture) { try receiver.deliveries().count == 5 }
        #expect(try receiver.deliveries().last?["status"] as? Int == 410)
        let endpoint = try await fixture.service.webhookEndpoint(id: endpointID)
        #expect(endpoint.disabledAt != nil)
    }

    @Test("Stopped between the commit and the delivery, restarted on the same data: delivered, nothing lost")
    func restart() async throws {
        let receiver = try WebhookReceiver()
        let first = try await Self.fixture()
        try await Self.endpoint(first, receiver)
        _ = try await first.merchantAndContract()
        let events = try await first.service.storage.webhooks.events(type: nil, limit: 10)
        try await first.storage.close()
        let second = try await Self.fixture(reusing: first)
        try await Self.deliver(second) { try receiver.deliveries().count >= events.count }
        #expect(try receiver.deliveries().compactMap { $0["webhook_id"] as? String } == events.map(\.id))
    }

    @Test("During a rotation both secrets sign, and standardwebhooks verifies with the old and the new one")
    func rotation() async throws {
        let receiver = try WebhookReceiver()
        let fixture = try await Self.fixture()
        let created = try await fixture.service.createWebhookEndpoint(NewWebhookEndpoint(url: receiver.url, eventTypes: ["contract.created"]))
        let rotated = try await fixture.service.rotateWebhookSecret(endpointID: created.endpoint.id)
        #expect(rotated.secret != created.secret && rotated.secret.hasPrefix("whsec_"))
        #expect(StandardWebhooks.key(of: rotated.secret)?.count == 32)
        try await receiver.control(["secrets": [created.secret, rotated.secret]])
        _ = try await fixture.merchantAndContract()
        try await Self.deliver(fixture) { try receiver.deliveries().count == 1 }
        let got = try #require(try receiver.deliveries().first)
        #expect(got["verified_with"] as? [Int] == [0, 1])
        #expect(got["signatures"] as? Int == 2)
        let secrets = try fixture.service.webhookSecrets(of: try await fixture.service.webhookEndpoint(id: created.endpoint.id))
        #expect(secrets.signing(at: fixture.clock.now.addingTimeInterval(WebhookSecrets.rotationOverlap + 1)) == [rotated.secret])
    }

    @Test("The retry schedule: DESIGN.md's delays with jitter, Retry-After honoured, then no more attempts")
    func schedule() {
        let schedule = WebhookRetrySchedule.standard
        #expect(schedule.maximumAttempts == 10)
        #expect(schedule.delay(afterAttempts: 1, random: 0) == 5)
        #expect(schedule.delay(afterAttempts: 2, random: 1) == 330)
        #expect(schedule.delay(afterAttempts: 9, random: -1) == 86_400 * 0.9)
        #expect(schedule.delay(afterAttempts: 10) == nil)
        #expect(schedule.delay(afterAttempts: 1, retryAfter: 120, random: 0) == 120)
        #expect(schedule.delay(afterAttempts: 3, retryAfter: 120, random: 0) == 1800)
        #expect(WebhookRetrySchedule.retryAfter("7", now: Date()) == 7)
        let now = Date(timeIntervalSince1970: 784_111_717)  // Sun, 06 Nov 1994 08:48:37 GMT
        #expect(WebhookRetrySchedule.retryAfter("Sun, 06 Nov 1994 08:49:37 GMT", now: now) == 60)
        #expect(WebhookRetrySchedule.retryAfter("soon", now: now) == nil)
    }

    @Test("URL policy: only http(s) without user information; private, loopback, link-local, unique-local refused unless allowed")
    func urlPolicy() async throws {
        let closed = WebhookURLPolicy(allowPrivate: false)
        let open = WebhookURLPolicy(allowPrivate: true)
        let refusedAlways = ["file:///etc/passwd", "ftp://example.com/x", "http://user:pw@example.com/", "http://user@8.8.8.8/",
                             "http://224.0.0.1/", "http://0.0.0.0/", "http://[::]/", "http://240.0.0.1/"]
        let refusedWhenClosed = ["http://10.1.2.3/", "http://192.168.1.1/", "http://172.16.0.1/", "http://169.254.169.254/latest",
                                 "http://127.0.0.1:9/", "http://[::1]/", "http://[fc00::1]/", "http://[fe80::1]/",
                                 "http://[::ffff:127.0.0.1]/", "http://[::ffff:10.0.0.1]/", "http://localhost/"]
        for url in refusedAlways {
            await #expect(throws: ServiceError.self, "\(url)") { _ = try await open.check(url) }
        }
        for url in refusedWhenClosed {
            await #expect(throws: ServiceError.self, "\(url)") { _ = try await closed.check(url) }
            _ = try await open.check(url)
        }
        #expect(try await closed.check("https://93.184.215.14/hook").addresses.map(\.description) == ["93.184.215.14"])
        #expect(IPAddress(text: "::ffff:192.168.0.1")?.scope == .private)
        #expect(IPAddress(text: "64:ff9b::a9fe:a9fe")?.scope == .linkLocal)
        #expect(IPAddress(text: "2606:4700::1")?.scope == .public)
    }
}
