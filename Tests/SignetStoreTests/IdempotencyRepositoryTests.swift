import Foundation
import SignetService
import SignetStore
import Testing

@Suite("Idempotency records (SQLite and PostgreSQL)")
struct IdempotencyRepositoryTests {
    static let key = IdempotencyKey(scope: "key_a", key: "order-1")
    static let response = StoredResponse(status: 201, headers: [["content-type", "application/json"], ["location", "/v1/x"]],
                                         body: Array(#"{"id":"ctr_x"}"#.utf8) + [0, 255])

    @Test("begin, complete, replay; another request hash is a mismatch; scopes are separate")
    func beginCompleteReplay() async throws {
        let store = try await TestStore()
        let records = store.storage.idempotency
        let now = Fixtures.time(0), lock = Fixtures.time(60)
        #expect(try await records.begin(Self.key, requestHash: "h1", now: now, lockedUntil: lock) == .started)
        #expect(try await records.begin(Self.key, requestHash: "h1", now: now, lockedUntil: lock) == .inProgress)
        #expect(try await records.begin(Self.key, requestHash: "h2", now: now, lockedUntil: lock) == .mismatch)
        try await records.complete(Self.key, response: Self.response, at: Fixtures.time(1))
        #expect(try await records.begin(Self.key, requestHash: "h1", now: Fixtures.time(2), lockedUntil: lock) == .replay(Self.response))
        #expect(try await records.begin(Self.key, requestHash: "h2", now: Fixtures.time(2), lockedUntil: lock) == .mismatch)
        let otherScope = IdempotencyKey(scope: "key_b", key: Self.key.key)
        #expect(try await records.begin(otherScope, requestHash: "h2", now: now, lockedUntil: lock) == .started)

        // An empty body replays as empty.
        let empty = IdempotencyKey(scope: "key_a", key: "empty")
        #expect(try await records.begin(empty, requestHash: "h", now: now, lockedUntil: lock) == .started)
        let noBody = StoredResponse(status: 204, headers: [], body: [])
        try await records.complete(empty, response: noBody, at: now)
        #expect(try await records.begin(empty, requestHash: "h", now: now, lockedUntil: lock) == .replay(noBody))
    }

    @Test("a lapsed lock is taken over; a completed record is not; complete without begin fails")
    func lapsedLock() async throws {
        let store = try await TestStore()
        let records = store.storage.idempotency
        #expect(try await records.begin(Self.key, requestHash: "h1", now: Fixtures.time(0), lockedUntil: Fixtures.time(60)) == .started)
        #expect(try await records.begin(Self.key, requestHash: "h1", now: Fixtures.time(59), lockedUntil: Fixtures.time(119)) == .inProgress)
        #expect(try await records.begin(Self.key, requestHash: "h1", now: Fixtures.time(60), lockedUntil: Fixtures.time(120)) == .started)
        // The new holder's lock holds.
        #expect(try await records.begin(Self.key, requestHash: "h1", now: Fixtures.time(61), lockedUntil: Fixtures.time(121)) == .inProgress)
        try await records.complete(Self.key, response: Self.response, at: Fixtures.time(62))
        #expect(try await records.begin(Self.key, requestHash: "h1", now: Fixtures.time(999), lockedUntil: Fixtures.time(1059))
                == .replay(Self.response))

        await #expect(throws: StoreError.missing("idempotency record")) {
            try await records.complete(IdempotencyKey(scope: "key_a", key: "never-begun"), response: Self.response, at: Fixtures.time(0))
        }
    }

    @Test("release forgets a running record, never a completed one; purge deletes by age")
    func releaseAndPurge() async throws {
        let store = try await TestStore()
        let records = store.storage.idempotency
        let running = IdempotencyKey(scope: "key_a", key: "running")
        #expect(try await records.begin(running, requestHash: "h1", now: Fixtures.time(0), lockedUntil: Fixtures.time(60)) == .started)
        try await records.release(running)
        #expect(try await records.begin(running, requestHash: "h2", now: Fixtures.time(1), lockedUntil: Fixtures.time(60)) == .started)

        #expect(try await records.begin(Self.key, requestHash: "h1", now: Fixtures.time(10), lockedUntil: Fixtures.time(60)) == .started)
        try await records.complete(Self.key, response: Self.response, at: Fixtures.time(11))
        try await records.release(Self.key)
        #expect(try await records.begin(Self.key, requestHash: "h1", now: Fixtures.time(12), lockedUntil: Fixtures.time(60)) == .replay(Self.response))

        #expect(try await records.purge(createdBefore: Fixtures.time(5)) == 1)  // `running`, created at 1
        #expect(try await records.begin(running, requestHash: "h3", now: Fixtures.time(20), lockedUntil: Fixtures.time(80)) == .started)
        #expect(try await records.purge(createdBefore: Fixtures.time(100)) == 2)
    }

    @Test("concurrent begins of one key: exactly one starts")
    func concurrentBegins() async throws {
        let store = try await TestStore()
        let records = store.storage.idempotency
        let starts = try await withThrowingTaskGroup(of: IdempotencyStart.self) { group in
            for _ in 0..<20 {
                group.addTask { try await records.begin(Self.key, requestHash: "h", now: Fixtures.time(0), lockedUntil: Fixtures.time(60)) }
            }
            return try await group.reduce(into: [IdempotencyStart]()) { $0.append($1) }
        }
        #expect(starts.filter { $0 == .started }.count == 1)
        #expect(starts.filter { $0 == .inProgress }.count == 19)
    }
}
