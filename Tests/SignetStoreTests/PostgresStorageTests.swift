import Foundation
import SignetService
import SignetStore
import SignetTestSupport
import SignetServiceTestSupport
import Testing
import SignetArchive

/// PostgreSQL's own storage behaviour, the counterpart of `StorageLifecycleTests`, and what
/// several instances sharing one database must get right: each `PostgresStorage` opened here
/// is its own connection pool, like a separate `signet serve` process.
@Suite("PostgreSQL storage: migrations under the advisory lock, reopen, instances racing",
       .enabled(if: TestStorage.isPostgres, "runs with SIGNET_TEST_BACKEND=postgres (make test's second pass)"))
struct PostgresStorageTests {
    /// A new, empty database on the tests' server.
    static func freshDatabase(poolSize: Int = 4) throws -> PostgresLocation {
        guard case .postgres(let location) = try TestStorage.postgresLocation(poolSize: poolSize) else {
            throw StoreTestError("not a PostgreSQL location")
        }
        return location
    }

    @Test("the migrations are SQLite's, in order; close and reopen: everything is there, migrating again is a no-op")
    func reopen() async throws {
        let directory = try TemporaryDirectory("signet-store")
        let sqlite = try await SQLiteStorage.open(directory: directory.file("data"))
        let sqliteMigrations = try await sqlite.appliedMigrations()
        try await sqlite.close()

        let location = try Self.freshDatabase()
        let first = try await PostgresStorage.open(location)
        #expect(try await first.appliedMigrations() == sqliteMigrations)
        #expect(sqliteMigrations.count == 14)
        let merchant = Fixtures.merchant(externalID: "m-reopen")
        try await first.storage.merchants.insert(merchant)
        let contract = try await first.storage.contracts.insert(Fixtures.contract(merchantID: merchant.id),
                                                                events: [Fixtures.event("contract.created")])
        try await first.migrate()  // a second run: nothing to do, nothing lost
        #expect(try await first.appliedMigrations() == sqliteMigrations)
        try await first.storage.checkHealth()
        await first.close()
        await #expect(throws: StoreError.self) { try await first.storage.checkHealth() }

        let second = try await PostgresStorage.open(location)
        #expect(try await second.appliedMigrations() == sqliteMigrations)
        #expect(try await second.stringsForTests("SELECT count(*)::text FROM signet_migrations") == ["\(sqliteMigrations.count)"])
        #expect(try await second.storage.merchants.merchant(id: merchant.id) == merchant)
        #expect(try await second.storage.contracts.contract(id: contract.id) == contract)
        #expect(AuditChain.verify(try await second.storage.contracts.auditTrail(contractID: contract.id)) == nil)
        #expect(try await second.storage.contracts.reserveContractNumber(year: 2026) == 1)
        await second.close()
    }

    @Test("instances opening a fresh database at once all succeed; each migration runs once (the advisory lock)")
    func concurrentOpen() async throws {
        let location = try Self.freshDatabase(poolSize: 2)
        let stores = try await withThrowingTaskGroup(of: PostgresStorage.self) { group in
            for _ in 0..<4 { group.addTask { try await PostgresStorage.open(location) } }
            return try await group.reduce(into: [PostgresStorage]()) { $0.append($1) }
        }
        #expect(stores.count == 4)
        let expected = ["v1", "v2-signature-boxes", "v3-audit-head", "v4-render-fill", "v4-signer-access", "v4-webhooks",
                        "v4-console", "v4-embedded-framing", "v5-evidence", "v5-renewal", "v5-exports", "v6-blobs",
                        "v6-pki-state", "v7-idempotent-resources"]
        for store in stores { #expect(try await store.appliedMigrations() == expected) }
        #expect(try await stores[0].stringsForTests("SELECT id FROM signet_migrations ORDER BY position") == expected)
        // Every instance works on the one schema.
        try await stores[1].storage.merchants.insert(Fixtures.merchant(externalID: "m-shared"))
        #expect(try await stores[3].storage.merchants.merchant(externalID: "m-shared") != nil)
        for store in stores { await store.close() }
    }

    @Test("20 instances apply a change from the same version of one contract: exactly one commits, one event appended, the chain verifies")
    func instancesRacingOnOneContract() async throws {
        let location = try Self.freshDatabase(poolSize: 2)
        let setup = try await PostgresStorage.open(location)
        let merchant = Fixtures.merchant(externalID: "m-race")
        try await setup.storage.merchants.insert(merchant)
        let contract = try await setup.storage.contracts.insert(Fixtures.contract(merchantID: merchant.id),
                                                                events: [Fixtures.event("contract.created")])
        var instances: [PostgresStorage] = []
        for _ in 0..<20 { instances.append(try await PostgresStorage.open(location)) }
        let outcomes = try await withThrowingTaskGroup(of: (Int, ContractChangeOutcome).self) { group in
            for (attempt, instance) in instances.enumerated() {
                group.addTask {
                    var change = ContractApplyTests.viewed(contract, at: Double(attempt))
                    change.contract.voidReason = "attempt \(attempt)"
                    return (attempt, try await instance.storage.contracts.apply(change))
                }
            }
            return try await group.reduce(into: [(Int, ContractChangeOutcome)]()) { $0.append($1) }
        }
        let winners = outcomes.compactMap { attempt, outcome -> (Int, Contract)? in
            if case .committed(let stored) = outcome { return (attempt, stored) }
            return nil
        }
        #expect(outcomes.count == 20)
        try #require(winners.count == 1)
        let (winner, committed) = winners[0]
        let stored = try #require(try await setup.storage.contracts.contract(id: contract.id))
        #expect(stored == committed)
        #expect(stored.version == 2 && stored.voidReason == "attempt \(winner)")
        for case (_, .stale(let current)) in outcomes {
            #expect(current?.version == 2, "a loser reports the winner's contract")
        }
        let trail = try await setup.storage.contracts.auditTrail(contractID: contract.id)
        #expect(trail.map(\.type) == ["contract.created", "contract.viewed"])
        #expect(trail[1].occurredAt == Fixtures.time(Double(winner)))
        #expect(AuditChain.verify(trail, head: stored.auditHead) == nil)
        for instance in instances { await instance.close() }
        await setup.close()
    }

    @Test("instances beginning one idempotency key at once: exactly one starts, the others see it running")
    func instancesRacingOnOneIdempotencyKey() async throws {
        let location = try Self.freshDatabase(poolSize: 1)
        var instances: [PostgresStorage] = []
        for _ in 0..<8 { instances.append(try await PostgresStorage.open(location)) }
        let key = IdempotencyKey(scope: "key_a", key: "order-\(UUID().uuidString)")
        let starts = try await withThrowingTaskGroup(of: IdempotencyStart.self) { group in
            for instance in instances {
                group.addTask {
                    try await instance.storage.idempotency.begin(key, requestHash: "h1", now: Fixtures.time(0),
                                                                 lockedUntil: Fixtures.time(60))
                }
            }
            return try await group.reduce(into: [IdempotencyStart]()) { $0.append($1) }
        }
        #expect(starts.filter { $0 == .started }.count == 1)
        #expect(starts.filter { $0 == .inProgress }.count == 7)
        for instance in instances { await instance.close() }
    }
}
