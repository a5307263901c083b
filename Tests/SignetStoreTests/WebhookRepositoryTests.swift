import Foundation
import SignetService
import SignetServiceTestSupport
import SignetStore
import Testing

/// The webhook repository on the test's backend (`TestStore`: SQLite, or PostgreSQL with
/// `SIGNET_TEST_BACKEND=postgres`), and two PostgreSQL instances sharing one database.
@Suite("Webhook repository: endpoints, outbox, dispatch, claims, attempts")
struct WebhookRepositoryTests {
    @Test("endpoints: insert, read, newest first in pages, secrets replaced, a delete fails the pending deliveries")
    func endpoints() async throws {
        let store = try await TestStore()
        let webhooks = store.storage.webhooks
        let first = WebhookFixtures.endpoint(types: ["contract.created", "signer.signed"], description: "CRM")
        let second = WebhookFixtures.endpoint(types: [], description: nil)
        let third = WebhookFixtures.endpoint(types: ["contract.created"], description: "ledger ✓")
        for endpoint in [first, second, third] { try await webhooks.insert(endpoint) }
        #expect(try await webhooks.endpoint(id: first.id) == first)
        #expect(try await webhooks.endpoint(id: second.id) == second)
        #expect(try await webhooks.endpoint(id: "whe_unknown") == nil)

        let page1 = try await webhooks.endpoints(page: PageRequest(limit: 2))
        #expect(page1.items == [third, second])
        let next = try #require(page1.next)
        let page2 = try await webhooks.endpoints(page: PageRequest(limit: 2, after: next))
        #expect(page2.items == [first])
        #expect(page2.next == nil)

        let secrets = WebhookFixtures.randomBytes(48)
        #expect(try await webhooks.updateSecrets(endpointID: first.id, sealedSecrets: secrets))
        #expect(try await webhooks.endpoint(id: first.id)?.sealedSecrets == secrets)
        #expect(try await webhooks.updateSecrets(endpointID: "whe_unknown", sealedSecrets: secrets) == false)

        let event = WebhookFixtures.event("contract.created")
        try await webhooks.insert(events: [event])
        #expect(try await webhooks.dispatch(now: Fixtures.time(0), limit: 10) == 1)
        let pending = try #require(try await webhooks.deliveries(endpointID: second.id, page: PageRequest(limit: 10)).items.first)
        #expect(try await webhooks.deleteEndpoint(id: second.id, at: Fixtures.time(5)))
        #expect(try await webhooks.deleteEndpoint(id: second.id, at: Fixtures.time(6)) == false)
        #expect(try await webhooks.endpoint(id: second.id) == nil)
        #expect(try await webhooks.updateSecrets(endpointID: second.id, sealedSecrets: secrets) == false)
        #expect(try await webhooks.endpoints(page: PageRequest(limit: 10)).items.map(\.id) == [third.id, first.id])
        let failed = try #require(try await webhooks.delivery(id: pending.id))
        #expect(failed.state == .failed && failed.nextAttemptAt == nil && failed.lastError == "the endpoint was deleted")
        #expect(failed.updatedAt == Fixtures.time(5))
        // Another endpoint's delivery of the event stays pending.
        let other = try #require(try await webhooks.deliveries(endpointID: first.id, page: PageRequest(limit: 10)).items.first)
        #expect(other.state == .pending)
    }

    @Test("dispatch fans each event out once per subscribed endpoint; claims lease; attempts, sealed payloads, retries, 410")
    func dispatchClaimRecord() async throws {
        let store = try await TestStore()
        let webhooks = store.storage.webhooks
        let all = WebhookFixtures.endpoint(types: [])
        let signedOnly = WebhookFixtures.endpoint(types: ["signer.signed"])
        try await webhooks.insert(all)
        try await webhooks.insert(signedOnly)
        let created = WebhookFixtures.event("contract.created")
        let signed = WebhookFixtures.event("signer.signed", sealed: true)
        try await webhooks.insert(events: [created, signed])
        #expect(try await webhooks.events(type: nil, limit: 10) == [created, signed])
        #expect(try await webhooks.events(type: "signer.signed", limit: 10) == [signed])
        #expect(try await webhooks.events(type: nil, limit: 1) == [created])
        #expect(try await webhooks.events(type: "none", limit: 10).isEmpty)

        let t0 = Fixtures.time(0)
        #expect(try await webhooks.dispatch(now: t0, limit: 1) == 1)
        #expect(try await webhooks.dispatch(now: t0, limit: 10) == 1)
        #expect(try await webhooks.dispatch(now: t0, limit: 10) == 0)
        let toAll = try await webhooks.deliveries(endpointID: all.id, page: PageRequest(limit: 10))
        #expect(toAll.items.map(\.eventID) == [signed.id, created.id])
        #expect(toAll.items.allSatisfy { $0.state == .pending && $0.attempts == 0 && $0.nextAttemptAt == t0 && $0.createdAt == t0 })
        let toSignedOnly = try await webhooks.deliveries(endpointID: signedOnly.id, page: PageRequest(limit: 10))
        #expect(toSignedOnly.items.map(\.eventID) == [signed.id])
        #expect(toSignedOnly.items.first?.eventType == "signer.signed")

        // Claimed in due order (then outbox order), each leased until the lease's end.
        let due = try await webhooks.claimDue(now: t0, leaseUntil: Fixtures.time(60), limit: 10)
        #expect(due.map(\.delivery.id) == [toAll.items[1].id, toAll.items[0].id, toSignedOnly.items[0].id])
        #expect(due.map(\.event) == [created, signed, signed])
        #expect(due.map(\.endpoint) == [all, all, signedOnly])
        #expect(due.first?.delivery.nextAttemptAt == t0)
        #expect(try await webhooks.claimDue(now: Fixtures.time(59), leaseUntil: Fixtures.time(119), limit: 10).isEmpty)
        #expect(try await webhooks.delivery(id: due[0].delivery.id)?.nextAttemptAt == Fixtures.time(60))

        // A failed attempt waits for its next one.
        let failure = WebhookAttempt(number: 1, attemptedAt: Fixtures.time(1), status: 500, error: "HTTP 500")
        try await webhooks.record(deliveryID: due[0].delivery.id, outcome: WebhookAttemptOutcome(
            attempt: failure, state: .pending, nextAttemptAt: Fixtures.time(120)), at: Fixtures.time(2))
        #expect(try await webhooks.attempts(deliveryID: due[0].delivery.id) == [failure])
        let retrying = try #require(try await webhooks.delivery(id: due[0].delivery.id))
        #expect(retrying.state == .pending && retrying.attempts == 1 && retrying.lastStatus == 500 && retrying.lastError == "HTTP 500")
        #expect(retrying.nextAttemptAt == Fixtures.time(120) && retrying.updatedAt == Fixtures.time(2))

        // The lapsed leases come back with the same deliveries (the same `webhook-id`).
        let again = try await webhooks.claimDue(now: Fixtures.time(60), leaseUntil: Fixtures.time(90), limit: 10)
        #expect(again.map(\.delivery.id) == [due[1].delivery.id, due[2].delivery.id])
        #expect(again.map(\.event.id) == [signed.id, signed.id])

        // A sealed payload is dropped once no delivery of its event is pending.
        for (index, item) in again.enumerated() {
            let attempt = WebhookAttempt(number: 1, attemptedAt: Fixtures.time(61), status: 204, error: nil)
            try await webhooks.record(deliveryID: item.delivery.id, outcome: WebhookAttemptOutcome(
                attempt: attempt, state: .succeeded, nextAttemptAt: nil), at: Fixtures.time(62))
            let payload = try #require(try await webhooks.events(type: "signer.signed", limit: 1).first).payload
            #expect(payload.isEmpty == (index == again.count - 1))
        }
        #expect(try await webhooks.delivery(id: again[0].delivery.id)?.state == .succeeded)
        #expect(try await webhooks.retry(deliveryID: again[0].delivery.id, now: Fixtures.time(63)) == .payloadDropped)
        #expect(try await webhooks.delivery(id: again[0].delivery.id)?.state == .succeeded)
        #expect(try await webhooks.retry(deliveryID: "whd_unknown", now: Fixtures.time(63)) == nil)
        guard case .pending(let retried) = try await webhooks.retry(deliveryID: due[0].delivery.id, now: Fixtures.time(63)) else {
            Issue.record("a retry of a delivery with its payload is pending")
            return
        }
        #expect(retried.id == due[0].delivery.id && retried.state == .pending && retried.attempts == 1)
        #expect(retried.nextAttemptAt == Fixtures.time(63) && retried.updatedAt == Fixtures.time(63))

        // A 410 fails the delivery and disables the endpoint: new events skip it.
        let redue = try await webhooks.claimDue(now: Fixtures.time(63), leaseUntil: Fixtures.time(93), limit: 10)
        #expect(redue.map(\.delivery.id) == [due[0].delivery.id])
        let gone = WebhookAttempt(number: 2, attemptedAt: Fixtures.time(64), status: 410, error: "the endpoint answered 410 Gone")
        try await webhooks.record(deliveryID: due[0].delivery.id, outcome: WebhookAttemptOutcome(
            attempt: gone, state: .failed, nextAttemptAt: nil, disableEndpoint: "the endpoint answered 410 Gone"), at: Fixtures.time(65))
        #expect(try await webhooks.attempts(deliveryID: due[0].delivery.id) == [failure, gone])
        let disabled = try #require(try await webhooks.endpoint(id: all.id))
        #expect(disabled.disabledAt == Fixtures.time(65) && disabled.disabledReason == "the endpoint answered 410 Gone")
        try await webhooks.insert(events: [WebhookFixtures.event("signer.signed")])
        #expect(try await webhooks.dispatch(now: Fixtures.time(66), limit: 10) == 1)
        #expect(try await webhooks.deliveries(endpointID: all.id, page: PageRequest(limit: 10)).items.count == 2)
        #expect(try await webhooks.deliveries(endpointID: signedOnly.id, page: PageRequest(limit: 10)).items.count == 2)
    }

    @Test("contracts awaiting a reminder: sent or viewed, sent early enough, not expired, a link signer not yet reminded")
    func awaitingReminder() async throws {
        let store = try await TestStore()
        let merchant = try await store.merchant()
        func contract(_ state: ContractState, signer: SignerState = .notified, events: [AuditEventDraft] = []) async throws -> String {
            var contract = Fixtures.contract(merchantID: merchant.id, state: state)
            contract.signers[0].state = signer
            return try await store.storage.contracts.insert(contract, events: [Fixtures.event("contract.created")] + events).id
        }
        let sent = try await contract(.sent)
        let viewed = try await contract(.viewed, signer: .viewed)
        _ = try await contract(.completed)
        _ = try await contract(.sent, signer: .signed)
        _ = try await contract(.sent, signer: .declined)
        let reminded72h = try await contract(.sent, events: [
            Fixtures.event("signer.reminder_due", data: ["role": "merchant", "after": "72h"])])
        let reminded24h = try await contract(.sent, events: [
            Fixtures.event("signer.reminder_due", data: ["role": "merchant", "after": "24h"])])
        let remindedOtherRole = try await contract(.sent, events: [
            Fixtures.event("signer.reminder_due", data: ["role": "platform", "after": "24h"])])

        let webhooks = store.storage.webhooks
        // `Fixtures.contract` is sent at 50 s and expires after 7 days.
        #expect(try await webhooks.contractsAwaitingReminder(after: "24h", sentBefore: Fixtures.time(50), now: Fixtures.time(60),
                                                             limit: 10) == [sent, viewed, reminded72h, remindedOtherRole])
        #expect(try await webhooks.contractsAwaitingReminder(after: "24h", sentBefore: Fixtures.time(50), now: Fixtures.time(60),
                                                             limit: 2) == [sent, viewed])
        #expect(try await webhooks.contractsAwaitingReminder(after: "72h", sentBefore: Fixtures.time(50), now: Fixtures.time(60),
                                                             limit: 10) == [sent, viewed, reminded24h, remindedOtherRole])
        #expect(try await webhooks.contractsAwaitingReminder(after: "24h", sentBefore: Fixtures.time(49), now: Fixtures.time(60),
                                                             limit: 10).isEmpty)
        #expect(try await webhooks.contractsAwaitingReminder(after: "24h", sentBefore: Fixtures.time(50),
                                                             now: Fixtures.time(7 * 86_400), limit: 10).isEmpty)
    }

    @Test("workers claiming at once on one storage: every delivery created once and claimed once; a lapsed claim comes back")
    func concurrentWorkersOneStorage() async throws {
        let store = try await TestStore()
        try await WebhookRace.dispatchAndClaim(store.storage, store.storage, events: 200)
        let another = try await TestStore()
        try await WebhookRace.lapsedClaim(another.storage, another.storage)
    }

    @Test("two PostgreSQL instances dispatching and claiming at once: every delivery created once and claimed once")
    func twoPostgresInstances() async throws {
        let location = try TestStorage.postgresLocation()
        let first = try await TestStorage.open(location)
        let second = try await TestStorage.open(location)
        try await WebhookRace.dispatchAndClaim(first.storage, second.storage, events: 200)
        try await first.close()
        try await second.close()
    }

    @Test("two PostgreSQL instances: a crashed instance's claim lapses and exactly one instance claims the same delivery again")
    func twoPostgresInstancesLapsedClaim() async throws {
        let location = try TestStorage.postgresLocation()
        let first = try await TestStorage.open(location)
        let second = try await TestStorage.open(location)
        try await WebhookRace.lapsedClaim(first.storage, second.storage)
        try await first.close()
        try await second.close()
    }
}

/// Endpoints and events for the webhook tests (secrets are random bytes made at run time).
enum WebhookFixtures {
    static func randomBytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8.random(in: .min ... .max) } }

    static func endpoint(types: [String], description: String? = "receiver") -> WebhookEndpoint {
        WebhookEndpoint(id: ResourceID.make(.webhookEndpoint), url: "https://hooks.example.cn/signet", eventTypes: types,
                        description: description, sealedSecrets: randomBytes(60), createdAt: Fixtures.time(1))
    }

    static func event(_ type: String, sealed: Bool = false) -> WebhookEvent {
        let id = ResourceID.make(.webhookEvent)
        let payload = sealed ? randomBytes(80) : Array(#"{"id":"\#(id)","type":"\#(type)","data":{}}"#.utf8)
        return WebhookEvent(id: id, type: type, createdAt: Fixtures.time(0), payload: payload, sealed: sealed)
    }
}

/// Workers of two storages (two instances, or one storage twice) racing on one outbox.
enum WebhookRace {
    /// The deliveries each worker claimed, to find one claimed twice.
    actor Ledger {
        var claimed: [String] = []
        var producing = true
        func add(_ ids: [String]) { claimed += ids }
        func finishProducing() { producing = false }
    }

    /// Inserts `events` events (every other one `signer.signed`) in batches through both
    /// storages while two workers on each dispatch, claim (with a lease longer than the test)
    /// and record success; then every (event, endpoint) pair has exactly one delivery, claimed
    /// once, attempted once.
    static func dispatchAndClaim(_ first: ServiceStorage, _ second: ServiceStorage, events count: Int) async throws {
        let all = WebhookFixtures.endpoint(types: [])
        let signedOnly = WebhookFixtures.endpoint(types: ["signer.signed"])
        try await first.webhooks.insert(all)
        try await second.webhooks.insert(signedOnly)
        let events = (0..<count).map { WebhookFixtures.event($0 % 2 == 0 ? "contract.created" : "signer.signed") }
        let expected = count + count / 2
        let ledger = Ledger()
        let now = Fixtures.time(0), lease = Fixtures.time(3_600)

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for (index, batch) in stride(from: 0, to: events.count, by: 10).map({ events[$0..<min($0 + 10, events.count)] }).enumerated() {
                    try await (index % 2 == 0 ? first : second).webhooks.insert(events: Array(batch))
                    await Task.yield()
                }
                await ledger.finishProducing()
            }
            for storage in [first, first, second, second] {
                group.addTask {
                    // Bounded: a run that loses deliveries ends and fails the counts below.
                    for _ in 0..<2_000 {
                        let producing = await ledger.producing
                        let dispatched = try await storage.webhooks.dispatch(now: now, limit: 7)
                        let due = try await storage.webhooks.claimDue(now: now, leaseUntil: lease, limit: 5)
                        await ledger.add(due.map(\.delivery.id))
                        for item in due {
                            let attempt = WebhookAttempt(number: item.delivery.attempts + 1, attemptedAt: now, status: 200, error: nil)
                            try await storage.webhooks.record(deliveryID: item.delivery.id, outcome: WebhookAttemptOutcome(
                                attempt: attempt, state: .succeeded, nextAttemptAt: nil), at: now)
                        }
                        if !producing && dispatched == 0 && due.isEmpty { return }
                    }
                }
            }
            try await group.waitForAll()
        }

        let claimed = await ledger.claimed
        #expect(claimed.count == expected)
        #expect(Set(claimed).count == claimed.count, "a delivery was claimed by two workers")
        var deliveries: [WebhookDelivery] = []
        for endpoint in [all, signedOnly] {
            var after: Int64?
            repeat {
                let page = try await first.webhooks.deliveries(endpointID: endpoint.id, page: PageRequest(limit: 100, after: after))
                deliveries += page.items
                after = page.next
            } while after != nil
        }
        #expect(deliveries.count == expected)
        #expect(Set(deliveries.map(\.id)) == Set(claimed))
        #expect(Set(deliveries.filter { $0.endpointID == all.id }.map(\.eventID)) == Set(events.map(\.id)))
        #expect(Set(deliveries.filter { $0.endpointID == signedOnly.id }.map(\.eventID))
                == Set(events.filter { $0.type == "signer.signed" }.map(\.id)))
        #expect(deliveries.allSatisfy { $0.state == .succeeded && $0.attempts == 1 })
        for delivery in deliveries.prefix(30) {
            #expect(try await second.webhooks.attempts(deliveryID: delivery.id).count == 1)
        }
    }

    /// A claim whose worker crashed (never recorded) lapses at its lease's end; then the two
    /// storages claiming at once get it exactly once, the same delivery of the same event.
    static func lapsedClaim(_ first: ServiceStorage, _ second: ServiceStorage) async throws {
        let endpoint = WebhookFixtures.endpoint(types: [])
        try await first.webhooks.insert(endpoint)
        let event = WebhookFixtures.event("contract.completed")
        try await second.webhooks.insert(events: [event])
        #expect(try await first.webhooks.dispatch(now: Fixtures.time(0), limit: 10) == 1)
        let crashed = try await first.webhooks.claimDue(now: Fixtures.time(0), leaseUntil: Fixtures.time(30), limit: 10)
        #expect(crashed.map(\.event.id) == [event.id])
        #expect(try await second.webhooks.claimDue(now: Fixtures.time(29), leaseUntil: Fixtures.time(59), limit: 10).isEmpty)

        async let fromFirst = first.webhooks.claimDue(now: Fixtures.time(30), leaseUntil: Fixtures.time(60), limit: 10)
        async let fromSecond = second.webhooks.claimDue(now: Fixtures.time(30), leaseUntil: Fixtures.time(60), limit: 10)
        let reclaimed = try await fromFirst + fromSecond
        #expect(reclaimed.map(\.delivery.id) == crashed.map(\.delivery.id))
        #expect(reclaimed.map(\.event.id) == [event.id])
        let attempt = WebhookAttempt(number: 1, attemptedAt: Fixtures.time(31), status: 200, error: nil)
        try await second.webhooks.record(deliveryID: try #require(reclaimed.first).delivery.id, outcome: WebhookAttemptOutcome(
            attempt: attempt, state: .succeeded, nextAttemptAt: nil), at: Fixtures.time(31))
        #expect(try await first.webhooks.claimDue(now: Fixtures.time(1_000), leaseUntil: Fixtures.time(1_030), limit: 10).isEmpty)
        #expect(try await first.webhooks.deliveries(endpointID: endpoint.id, page: PageRequest(limit: 10)).items.count == 1)
    }
}
