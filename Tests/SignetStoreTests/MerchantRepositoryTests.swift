import Foundation
import SignetService
import SignetStore
import Testing

@Suite("Merchants, documents and API keys (SQLite and PostgreSQL)")
struct MerchantRepositoryTests {
    @Test("a merchant survives a round trip, by id and by external id, with either registration")
    func merchantRoundTrip() async throws {
        let store = try await TestStore()
        let chinese = try await store.merchant("m-1001")
        var foreign = Fixtures.merchant(externalID: "m-1002")
        foreign.registration = .foreign(number: "201912345K", country: "SG")
        foreign.contact = MerchantContact(name: "Tan")
        try await store.storage.merchants.insert(foreign)

        #expect(try await store.storage.merchants.merchant(id: chinese.id) == chinese)
        #expect(try await store.storage.merchants.merchant(externalID: "m-1001") == chinese)
        #expect(try await store.storage.merchants.merchant(id: foreign.id) == foreign)
        #expect(try await store.storage.merchants.merchant(externalID: "m-1002") == foreign)
        #expect(try await store.storage.merchants.merchant(id: "mer_unknown") == nil)
        #expect(try await store.storage.merchants.merchant(externalID: "nobody") == nil)
    }

    @Test("a taken external id is StoreError.duplicate(merchant.external_id), and nothing is inserted")
    func duplicateExternalID() async throws {
        let store = try await TestStore()
        let first = try await store.merchant("m-dup")
        let second = Fixtures.merchant(externalID: "m-dup")
        await #expect(throws: StoreError.duplicate("merchant.external_id")) {
            try await store.storage.merchants.insert(second)
        }
        #expect(try await store.storage.merchants.merchant(id: second.id) == nil)
        #expect(try await store.storage.merchants.merchant(externalID: "m-dup") == first)
    }

    @Test("a paper document survives a round trip; a merchant's documents page newest first")
    func documents() async throws {
        let store = try await TestStore()
        let merchant = try await store.merchant()
        let other = try await store.merchant()
        var inserted: [PaperDocument] = []
        for index in 0..<5 {
            let document = PaperDocument(
                id: ResourceID.make(.document), merchantID: merchant.id, title: "纸质合同 \(index)",
                original: StoredDocument(sha256: String(repeating: "0\(index)", count: 32), size: 100 + index),
                sealed: StoredDocument(sha256: String(repeating: "1\(index)", count: 32), size: 200 + index, pageCount: index),
                createdAt: Fixtures.time(Double(index)))
            let stored = try await store.storage.documents.insert(document)
            var expected = document
            expected.sequence = stored.sequence
            #expect(stored == expected)
            #expect(stored.sequence > (inserted.last?.sequence ?? 0))
            inserted.append(stored)
        }
        _ = try await store.storage.documents.insert(PaperDocument(
            id: ResourceID.make(.document), merchantID: other.id, title: "other",
            original: StoredDocument(sha256: String(repeating: "aa", count: 32), size: 1),
            sealed: StoredDocument(sha256: String(repeating: "bb", count: 32), size: 1), createdAt: Fixtures.time(0)))

        #expect(try await store.storage.documents.document(id: inserted[2].id) == inserted[2])
        #expect(try await store.storage.documents.document(id: "doc_unknown") == nil)
        let first = try await store.storage.documents.documents(merchantID: merchant.id, page: PageRequest(limit: 2))
        #expect(first.items == [inserted[4], inserted[3]])
        let second = try await store.storage.documents.documents(merchantID: merchant.id, page: PageRequest(limit: 2, after: first.next))
        #expect(second.items == [inserted[2], inserted[1]])
        let last = try await store.storage.documents.documents(merchantID: merchant.id, page: PageRequest(limit: 2, after: second.next))
        #expect(last.items == [inserted[0]])
        #expect(last.next == nil)
    }

    @Test("API keys: found by hash, listed newest first, revoked once")
    func apiKeys() async throws {
        let store = try await TestStore()
        let keys = store.storage.apiKeys
        let first = APIKeyRecord(id: ResourceID.make(.apiKey), name: "ci", prefix: "sk_AbCd",
                                 hash: String(repeating: "c1", count: 32), createdAt: Fixtures.time(0))
        let second = APIKeyRecord(id: ResourceID.make(.apiKey), name: "ops", prefix: "sk_EfGh",
                                  hash: String(repeating: "c2", count: 32), createdAt: Fixtures.time(1))
        try await keys.insert(first)
        try await keys.insert(second)
        #expect(try await keys.key(hash: first.hash) == first)
        #expect(try await keys.key(hash: String(repeating: "00", count: 32)) == nil)
        #expect(try await keys.keys() == [second, first])

        #expect(try await keys.revoke(id: first.id, at: Fixtures.time(5)))
        #expect(try await keys.revoke(id: first.id, at: Fixtures.time(6)) == false)
        #expect(try await keys.revoke(id: "key_unknown", at: Fixtures.time(6)) == false)
        var revoked = first
        revoked.revokedAt = Fixtures.time(5)
        #expect(try await keys.key(hash: first.hash) == revoked)

        var clash = second
        clash.id = ResourceID.make(.apiKey)
        await #expect(throws: StoreError.duplicate("api_key.hash")) { try await keys.insert(clash) }
    }
}
