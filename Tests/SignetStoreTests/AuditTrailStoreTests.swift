import Foundation
import SignetService
import SignetStore
import Testing
import SignetArchive

@Suite("Audit trails (SQLite and PostgreSQL): chains the store writes verify, edits and deletions are detected")
struct AuditTrailStoreTests {
    /// A contract with nine events: `contract.created` (insert), then four applied changes of two events each.
    static func contractWithTrail(_ store: TestStore) async throws -> Contract {
        var contract = try await store.contract(of: try await store.merchant())
        for step in 1...4 {
            var next = contract
            next.updatedAt = Fixtures.time(Double(step))
            let change = ContractChange(contract: next, expectedVersion: contract.version, events: [
                Fixtures.event("step.\(step).a", at: Fixtures.time(Double(step)), data: ["step": "\(step)", "part": "a"]),
                Fixtures.event("step.\(step).b", at: Fixtures.time(Double(step))),
            ])
            guard case .committed(let stored) = try await store.storage.contracts.apply(change) else {
                throw StoreError.unavailable("change not committed")
            }
            contract = stored
        }
        return contract
    }

    @Test("insert and apply chain every event: sequences 1…n, each previous hash the hash before, verify passes")
    func chainVerifies() async throws {
        let store = try await TestStore()
        let contract = try await Self.contractWithTrail(store)
        let trail = try await store.storage.contracts.auditTrail(contractID: contract.id)
        #expect(trail.map(\.sequence) == Array(1...9))
        #expect(trail[0].previousHash == AuditChain.genesisHash)
        #expect(zip(trail.dropFirst(), trail).allSatisfy { $0.previousHash == $1.hash })
        #expect(trail.allSatisfy { $0.merchantID == contract.merchantID && $0.ip == "127.0.0.1" && $0.userAgent == "curl/8" })
        #expect(AuditChain.verify(trail) == nil)
    }

    @Test("an event edited in the database breaks the chain at that event",
          arguments: ["UPDATE audit_events SET data = '{\"part\":\"a\",\"step\":\"9\"}'",
                      "UPDATE audit_events SET actor = 'system'",
                      "UPDATE audit_events SET occurred_at = occurred_at + 1"])
    func editDetected(statement: String) async throws {
        let store = try await TestStore()
        let contract = try await Self.contractWithTrail(store)
        #expect(try await store.execute("\(statement) WHERE contract_id = '\(contract.id)' AND sequence = 4") == 1)
        let trail = try await store.storage.contracts.auditTrail(contractID: contract.id)
        let problem = try #require(AuditChain.verify(trail))
        #expect(problem.sequence == 4)
        #expect(problem.reason.contains("edited"))
    }

    @Test("an event deleted from the database breaks the chain after the gap")
    func deletionDetected() async throws {
        let store = try await TestStore()
        let contract = try await Self.contractWithTrail(store)
        #expect(try await store.execute("DELETE FROM audit_events WHERE contract_id = '\(contract.id)' AND sequence = 5") == 1)
        let trail = try await store.storage.contracts.auditTrail(contractID: contract.id)
        let problem = try #require(AuditChain.verify(trail))
        #expect(problem.sequence == 6)
    }

    @Test("the newest events deleted: the trail still chains, but no longer reaches the head the contract records")
    func truncationDetected() async throws {
        let store = try await TestStore()
        let contract = try await Self.contractWithTrail(store)
        let stored = try #require(try await store.storage.contracts.contract(id: contract.id))
        let before = try await store.storage.contracts.auditTrail(contractID: contract.id)
        #expect(stored.auditHead == AuditChainHead(count: before.count, hash: before.last?.hash ?? ""))
        #expect(AuditChain.verify(before, head: stored.auditHead) == nil)
        #expect(try await store.execute(
            "DELETE FROM audit_events WHERE contract_id = '\(contract.id)' AND sequence >= \(before.count - 1)") == 2)
        let trail = try await store.storage.contracts.auditTrail(contractID: contract.id)
        #expect(AuditChain.verify(trail) == nil, "what is left still chains")
        let problem = try #require(AuditChain.verify(trail, head: stored.auditHead))
        #expect(problem.reason.contains("removed at the end"))
    }

    @Test("a merchant's timeline: its contracts' events in commit order, oldest first, paged by the global id")
    func timeline() async throws {
        let store = try await TestStore()
        let merchant = try await store.merchant()
        let other = try await store.merchant()
        let first = try await store.contract(of: merchant)
        _ = try await store.contract(of: other)
        let second = try await store.contract(of: merchant)
        guard case .committed = try await store.storage.contracts.apply(ContractApplyTests.viewed(first)),
              case .committed = try await store.storage.contracts.apply(ContractApplyTests.viewed(second)) else {
            Issue.record("changes not committed")
            return
        }
        var events: [AuditEvent] = []
        var after: Int64? = nil
        var pages = 0
        repeat {
            let page = try await store.storage.contracts.timeline(merchantID: merchant.id, page: PageRequest(limit: 3, after: after))
            events += page.items
            after = page.next
            pages += 1
        } while after != nil
        #expect(pages == 2)
        #expect(events.map(\.contractID) == [first.id, second.id, first.id, second.id])
        #expect(events.map(\.type) == ["contract.created", "contract.created", "contract.viewed", "contract.viewed"])
    }
}
