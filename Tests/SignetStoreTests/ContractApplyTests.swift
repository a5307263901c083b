import Foundation
import SignetServiceTestSupport
import SignetService
import SignetStore
import Testing
import SignetArchive

@Suite("Contracts (SQLite and PostgreSQL): apply (compare-and-swap with audit events)")
struct ContractApplyTests {
    /// `contract` moved to `viewed` with its merchant signer viewing, as a change from its version.
    static func viewed(_ contract: Contract, at seconds: Double = 100) -> ContractChange {
        var next = contract
        next.state = .viewed
        next.updatedAt = Fixtures.time(seconds)
        next.signers[0].state = .viewed
        next.signers[0].claim = nil
        next.signers[0].linkTokenHash = String(repeating: "fe", count: 32) + contract.id
        return ContractChange(contract: next, expectedVersion: contract.version,
                              events: [Fixtures.event("contract.viewed", at: Fixtures.time(seconds), data: ["by": "merchant"])])
    }

    @Test("a change from the stored version commits: the contract, its signers and its events, version + 1")
    func commits() async throws {
        let store = try await TestStore()
        let contract = try await store.contract(of: try await store.merchant())
        let change = Self.viewed(contract)
        guard case .committed(let stored) = try await store.storage.contracts.apply(change) else {
            Issue.record("not committed")
            return
        }
        var expected = change.contract
        expected.version = 2
        let events = try await store.storage.contracts.auditTrail(contractID: contract.id)
        expected.auditHead = AuditChainHead(count: events.count, hash: try #require(events.last?.hash))
        #expect(expected.auditHead.count == contract.auditHead.count + change.events.count, "the head moves with the appended events")
        #expect(stored == expected)
        #expect(try await store.storage.contracts.contract(id: contract.id) == expected)
        #expect(try await store.storage.contracts.contract(linkTokenHash: contract.signers[0].linkTokenHash!) == nil)
        #expect(try await store.storage.contracts.contract(linkTokenHash: expected.signers[0].linkTokenHash!) == expected)
        let trail = try await store.storage.contracts.auditTrail(contractID: contract.id)
        #expect(trail.map(\.type) == ["contract.created", "contract.viewed"])
        #expect(trail[1].data == ["by": "merchant"] && trail[1].occurredAt == Fixtures.time(100))
        #expect(AuditChain.verify(trail) == nil)
    }

    @Test("a change from a stale version writes nothing: same rows, same events, the current contract returned")
    func staleWritesNothing() async throws {
        let store = try await TestStore()
        let contract = try await store.contract(of: try await store.merchant())
        guard case .committed(let current) = try await store.storage.contracts.apply(Self.viewed(contract)) else {
            Issue.record("first change not committed")
            return
        }
        let trailBefore = try await store.storage.contracts.auditTrail(contractID: contract.id)
        let signerRowsBefore = try await Self.signerRows(store, contract.id)

        var late = Self.viewed(contract, at: 200)  // computed from version 1, stored is 2
        late.contract.state = .voided
        late.contract.signers.removeLast()
        guard case .stale(let reported) = try await store.storage.contracts.apply(late) else {
            Issue.record("a stale change committed")
            return
        }
        #expect(reported == current)
        #expect(try await store.storage.contracts.contract(id: contract.id) == current)
        #expect(try await store.storage.contracts.auditTrail(contractID: contract.id) == trailBefore)
        #expect(signerRowsBefore.count == 2)
        #expect(try await Self.signerRows(store, contract.id) == signerRowsBefore)

        var unknown = Self.viewed(contract)
        unknown.contract.id = "ctr_gone"
        guard case .stale(nil) = try await store.storage.contracts.apply(unknown) else {
            Issue.record("a change of a missing contract did not report stale(nil)")
            return
        }
    }

    @Test("50 concurrent changes from the same version: exactly one commits, the chain verifies")
    func concurrentChanges() async throws {
        let store = try await TestStore()
        let contract = try await store.contract(of: try await store.merchant())
        let contracts = store.storage.contracts
        let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
            for attempt in 0..<50 {
                group.addTask {
                    var change = Self.viewed(contract, at: Double(attempt))
                    change.contract.voidReason = "attempt \(attempt)"
                    if case .committed = try await contracts.apply(change) { return true }
                    return false
                }
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.count == 50)
        #expect(outcomes.filter { $0 }.count == 1)
        let stored = try #require(try await contracts.contract(id: contract.id))
        #expect(stored.version == 2)
        let trail = try await contracts.auditTrail(contractID: contract.id)
        #expect(trail.count == 2)
        #expect(AuditChain.verify(trail) == nil)
    }

    /// The raw signer rows of a contract (every column, as a JSON array per row), to compare
    /// before and after.
    static func signerRows(_ store: TestStore, _ contractID: String) async throws -> [String] {
        let array = TestStorage.isPostgres ? "json_build_array" : "json_array"
        return try await store.strings("""
            SELECT \(array)(contract_id, position, role, method, name, phone, email, state, link_token_hash, link_issued_at,
                signed_at, certificate_serial, claim_id, claim_expires_at)\(TestStorage.isPostgres ? "::text" : "")
            FROM signers WHERE contract_id = '\(contractID)' ORDER BY position
            """)
    }
}
