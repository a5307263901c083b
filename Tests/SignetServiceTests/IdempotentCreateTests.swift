import SignetServiceTestSupport
import Foundation
import SignetArchive
import SignetService
import SignetTemplates
import Testing

/// An `Idempotency-Key` creates at most one contract, also when the request that created it
/// crashed before its response was stored (found by scripts/crash-test.sh: a SIGKILL between
/// the contract's commit and `finishIdempotent` let the client's retry create a second one).
@Suite("Idempotent contract creation across a crash")
struct IdempotentCreateTests {
    static let key = IdempotencyKey(scope: "key_test", key: "create-once")

    static func request(_ merchantID: String) throws -> NewContract {
        NewContract(merchantID: merchantID, templateID: "merchant-service-agreement", fields: try ServiceFixture.sampleFields())
    }

    @Test("A retry that takes the key over after a crash gets the first contract back, with new links; one contract")
    func retryAfterCrash() async throws {
        let fixture = try await ServiceFixture.make()
        let merchant = try await fixture.service.createMerchant(ServiceFixture.merchantInput)
        let body = Array("same body".utf8)
        #expect(try await fixture.service.beginIdempotent(Self.key, method: "POST", path: "/v1/contracts", body: body) == nil)
        let first = try await fixture.service.createContract(try Self.request(merchant.id), origin: ServiceFixture.origin, idempotencyKey: Self.key)
        // The process dies here: no finishIdempotent. The retry waits for the lock to lapse.
        await #expect(throws: ServiceError.self) {
            _ = try await fixture.service.beginIdempotent(Self.key, method: "POST", path: "/v1/contracts", body: body)
        }
        fixture.clock.advance(by: fixture.service.configuration.idempotencyLock + 1)
        #expect(try await fixture.service.beginIdempotent(Self.key, method: "POST", path: "/v1/contracts", body: body) == nil, "taken over")
        let retry = try await fixture.service.createContract(try Self.request(merchant.id), origin: ServiceFixture.origin, idempotencyKey: Self.key)

        #expect(retry.contract.id == first.contract.id)
        #expect(retry.contract.number == first.contract.number)
        let oldLink = try #require(first.links[.merchant]), newLink = try #require(retry.links[.merchant])
        #expect(oldLink.url != newLink.url, "a new link: the first was never delivered")
        #expect(retry.contract.signer(.merchant)?.linkTokenHash == newLink.tokenHash)
        let all = try await fixture.service.contracts(ContractQuery(merchantID: merchant.id))
        #expect(all.items.count == 1)
        let trail = try await fixture.service.auditTrail(contractID: first.contract.id)
        #expect(trail.chainBreak == nil)
        #expect(trail.events.last?.data["reason"] == "idempotent_retry")
    }

    @Test("A 5xx after the commit keeps the key's record (its lock lifted): the retry finds the contract")
    func releasedAfterCommit() async throws {
        let fixture = try await ServiceFixture.make()
        let merchant = try await fixture.service.createMerchant(ServiceFixture.merchantInput)
        let body = Array("same body".utf8)
        _ = try await fixture.service.beginIdempotent(Self.key, method: "POST", path: "/v1/contracts", body: body)
        let first = try await fixture.service.createContract(try Self.request(merchant.id), origin: ServiceFixture.origin, idempotencyKey: Self.key)
        await fixture.service.abandonIdempotent(Self.key)
        #expect(try await fixture.service.beginIdempotent(Self.key, method: "POST", path: "/v1/contracts", body: body) == nil)
        let retry = try await fixture.service.createContract(try Self.request(merchant.id), origin: ServiceFixture.origin, idempotencyKey: Self.key)
        #expect(retry.contract.id == first.contract.id)
        #expect(try await fixture.service.contracts(ContractQuery(merchantID: merchant.id)).items.count == 1)
    }

    @Test("Eight requests running under one key at once (a lapsed lock taken over while the first still runs) make one contract")
    func concurrentClaims() async throws {
        let fixture = try await ServiceFixture.make()
        let merchant = try await fixture.service.createMerchant(ServiceFixture.merchantInput)
        _ = try await fixture.service.beginIdempotent(Self.key, method: "POST", path: "/v1/contracts", body: [])
        let request = try Self.request(merchant.id)
        let ids = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    try await fixture.service.createContract(request, origin: ServiceFixture.origin, idempotencyKey: Self.key).contract.id
                }
            }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(ids.count == 1)
        #expect(try await fixture.service.contracts(ContractQuery(merchantID: merchant.id)).items.count == 1)
    }

    @Test("Without a key, or under another key, each request creates its own contract")
    func otherKeys() async throws {
        let fixture = try await ServiceFixture.make()
        let merchant = try await fixture.service.createMerchant(ServiceFixture.merchantInput)
        let other = IdempotencyKey(scope: "key_test", key: "another")
        _ = try await fixture.service.beginIdempotent(other, method: "POST", path: "/v1/contracts", body: [])
        _ = try await fixture.service.createContract(try Self.request(merchant.id), origin: ServiceFixture.origin)
        _ = try await fixture.service.createContract(try Self.request(merchant.id), origin: ServiceFixture.origin, idempotencyKey: other)
        _ = try await fixture.service.createContract(try Self.request(merchant.id), origin: ServiceFixture.origin)
        #expect(try await fixture.service.contracts(ContractQuery(merchantID: merchant.id)).items.count == 3)
    }
}
