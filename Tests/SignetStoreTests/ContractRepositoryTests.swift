import Foundation
import SignetService
import SignetStore
import SignetTemplates
import Testing
import SignetArchive

@Suite("Contracts (SQLite and PostgreSQL): round trip, lists, numbers")
struct ContractRepositoryTests {
    @Test("every member of a contract and its signers survives insert and read, version 1, a sequence assigned")
    func roundTrip() async throws {
        let store = try await TestStore()
        let merchant = try await store.merchant()
        let contract = Fixtures.contract(merchantID: merchant.id)
        let stored = try await store.storage.contracts.insert(contract, events: [Fixtures.event("contract.created")])
        #expect(stored.sequence > 0)
        var expected = contract
        expected.sequence = stored.sequence
        let trail = try await store.storage.contracts.auditTrail(contractID: contract.id)
        expected.auditHead = AuditChainHead(count: 1, hash: try #require(trail.first?.hash))
        #expect(stored == expected)
        #expect(try await store.storage.contracts.contract(id: contract.id) == expected)
        #expect(try await store.storage.contracts.contract(linkTokenHash: contract.signers[0].linkTokenHash!) == expected)
        #expect(try await store.storage.contracts.contract(linkTokenHash: "no such hash") == nil)
        #expect(try await store.storage.contracts.contract(id: "ctr_unknown") == nil)

        // The optional members as nil survive too.
        var bare = Fixtures.contract(merchantID: merchant.id)
        bare.signed = nil
        bare.original.pageCount = nil
        (bare.sentAt, bare.completedAt, bare.voidedAt, bare.voidReason, bare.declinedAt, bare.declineReason) =
            (nil, nil, nil, nil, nil, nil)
        bare.fields = [:]
        bare.metadata = [:]
        bare.signers = [Signer(role: .merchant, method: .link, name: "张三")]
        let storedBare = try await store.storage.contracts.insert(bare, events: [])
        bare.sequence = storedBare.sequence
        #expect(storedBare == bare)
        #expect(storedBare.sequence > stored.sequence)
    }

    @Test("a contract of an unknown merchant or a taken number is refused and nothing is written")
    func refusedInserts() async throws {
        let store = try await TestStore()
        let merchant = try await store.merchant()
        let orphan = Fixtures.contract(merchantID: "mer_nobody")
        await #expect(throws: StoreError.missing("referenced row")) {
            _ = try await store.storage.contracts.insert(orphan, events: [Fixtures.event("contract.created")])
        }
        #expect(try await store.storage.contracts.contract(id: orphan.id) == nil)
        #expect(try await store.storage.contracts.auditTrail(contractID: orphan.id).isEmpty)

        let first = try await store.contract(of: merchant)
        var sameNumber = Fixtures.contract(merchantID: merchant.id)
        sameNumber.number = first.number
        await #expect(throws: StoreError.duplicate("contract.number")) {
            _ = try await store.storage.contracts.insert(sameNumber, events: [Fixtures.event("contract.created")])
        }
        #expect(try await store.storage.contracts.contract(id: sameNumber.id) == nil)
    }

    @Test("contract numbers count up per year, never repeat")
    func contractNumbers() async throws {
        let store = try await TestStore()
        let contracts = store.storage.contracts
        #expect(try await contracts.reserveContractNumber(year: 2026) == 1)
        #expect(try await contracts.reserveContractNumber(year: 2026) == 2)
        #expect(try await contracts.reserveContractNumber(year: 2027) == 1)
        let concurrent = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<20 { group.addTask { try await contracts.reserveContractNumber(year: 2026) } }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(concurrent.sorted() == Array(3...22))
    }

    @Test("lists: newest first, filters by merchant, state and creation time, cursor pages by sequence")
    func lists() async throws {
        let store = try await TestStore()
        let merchant = try await store.merchant()
        let other = try await store.merchant()
        var mine: [Contract] = []
        for index in 0..<7 {
            mine.append(try await store.contract(of: merchant, state: index.isMultiple(of: 2) ? .sent : .draft,
                                                 createdAt: Fixtures.time(Double(index) * 60)))
        }
        let theirs = try await store.contract(of: other, state: .sent, createdAt: Fixtures.time(30))
        let contracts = store.storage.contracts

        var pages: [[Contract]] = []
        var after: Int64? = nil
        repeat {
            let page = try await contracts.contracts(ContractQuery(merchantID: merchant.id, page: PageRequest(limit: 3, after: after)))
            pages.append(page.items)
            after = page.next
        } while after != nil
        #expect(pages.map(\.count) == [3, 3, 1])
        #expect(pages.flatMap { $0 } == mine.reversed())

        let all = try await contracts.contracts(ContractQuery(page: PageRequest(limit: 100)))
        #expect(all.items == [theirs] + mine.reversed())
        #expect(all.next == nil)

        let drafts = try await contracts.contracts(ContractQuery(merchantID: merchant.id, state: .draft))
        #expect(drafts.items == mine.filter { $0.state == .draft }.reversed())

        let window = try await contracts.contracts(ContractQuery(
            merchantID: merchant.id, createdAfter: Fixtures.time(120), createdBefore: Fixtures.time(300)))
        #expect(window.items == [mine[4], mine[3], mine[2]])
    }

    @Test("expired and awaiting-countersignature selections, counts by state")
    func selections() async throws {
        let store = try await TestStore()
        let merchant = try await store.merchant()
        var byState: [ContractState: Contract] = [:]
        for state in ContractState.allCases {
            byState[state] = try await store.contract(of: merchant, state: state)
        }
        let secondSigned = try await store.contract(of: merchant, state: .signed)
        let contracts = store.storage.contracts
        let expiry = Fixtures.contract(merchantID: merchant.id).expiresAt

        let expired = try await contracts.contractsExpired(before: expiry.addingTimeInterval(1), limit: 10)
        #expect(Set(expired.map(\.id)) == Set([ContractState.draft, .sent, .viewed].map { byState[$0]!.id }))
        #expect(try await contracts.contractsExpired(before: expiry, limit: 10).isEmpty)
        #expect(try await contracts.contractsExpired(before: expiry.addingTimeInterval(1), limit: 2).count == 2)

        let awaiting = try await contracts.contractsAwaitingCountersignature(limit: 10)
        #expect(awaiting.map(\.id) == [byState[.signed]!.id, secondSigned.id])

        var expectedCounts = Dictionary(uniqueKeysWithValues: ContractState.allCases.map { ($0, 1) })
        expectedCounts[.signed] = 2
        #expect(try await contracts.countByState() == expectedCounts)
    }
}
