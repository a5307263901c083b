import SignetServiceTestSupport
import Foundation
import SignetArchive
import SignetService
import SignetTemplates
import Testing

/// An `Idempotency-Key` creates at most one contract (paper document, webhook endpoint,
/// export), also when the request that created it crashed before its response was stored
/// (found by scripts/crash-test.sh: a SIGKILL between the contract's commit and
/// `finishIdempotent` let the client's retry create a second one).
@Suite("Idempotent creation across a crash")
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

    /// Runs `create` as a request under `key` that crashes after its commit, then as the
    /// retry that takes the key over once its lock lapsed; returns both results.
    static func acrossCrash<Resource>(_ fixture: ServiceFixture, key: IdempotencyKey, path: String,
                                      _ create: () async throws -> Resource) async throws -> (first: Resource, retry: Resource) {
        let body = Array("same body".utf8)
        #expect(try await fixture.service.beginIdempotent(key, method: "POST", path: path, body: body) == nil)
        let first = try await create()
        fixture.clock.advance(by: fixture.service.configuration.idempotencyLock + 1)
        #expect(try await fixture.service.beginIdempotent(key, method: "POST", path: path, body: body) == nil, "taken over")
        return (first, try await create())
    }

    @Test("Merchants, paper documents, webhook endpoints and exports: a retry after a crash gets the first one back; one of each")
    func otherResourcesAfterCrash() async throws {
        let fixture = try await ServiceFixture.make { $0.allowPrivateWebhooks = true }
        let service = fixture.service
        let merchant = try await service.createMerchant(ServiceFixture.merchantInput)
        let contract = try await service.createContract(try Self.request(merchant.id), origin: ServiceFixture.origin)
        let pdf = try await service.originalPDF(contractID: contract.contract.id).bytes

        var input = ServiceFixture.merchantInput
        input.externalID = "m-2002"
        let merchants = try await Self.acrossCrash(fixture, key: IdempotencyKey(scope: "key_test", key: "merchant"), path: "/v1/merchants") {
            try await service.createMerchant(input, idempotencyKey: IdempotencyKey(scope: "key_test", key: "merchant"))
        }
        #expect(merchants.retry == merchants.first, "the merchant the key registered, not merchant_exists")

        let documents = try await Self.acrossCrash(fixture, key: IdempotencyKey(scope: "key_test", key: "doc"),
                                                   path: "/v1/merchants/\(merchant.id)/documents") {
            try await service.certifyPaperDocument(merchantID: merchant.id, pdf: pdf, title: "Scan", origin: ServiceFixture.origin,
                                                   idempotencyKey: IdempotencyKey(scope: "key_test", key: "doc"))
        }
        #expect(documents.retry == documents.first)
        #expect(try await service.paperDocuments(merchantID: merchant.id, page: PageRequest()).items.map(\.id) == [documents.first.id])

        let hook = NewWebhookEndpoint(url: "http://127.0.0.1:9/hook", eventTypes: ["contract.completed"])
        let endpoints = try await Self.acrossCrash(fixture, key: IdempotencyKey(scope: "key_test", key: "hook"),
                                                   path: "/v1/webhook-endpoints") {
            try await service.createWebhookEndpoint(hook, idempotencyKey: IdempotencyKey(scope: "key_test", key: "hook"))
        }
        #expect(endpoints.retry.endpoint.id == endpoints.first.endpoint.id)
        #expect(endpoints.retry.secret == endpoints.first.secret, "the retry hands out the secret deliveries are signed with")
        #expect(try await service.webhookEndpoints(page: PageRequest()).items.map(\.id) == [endpoints.first.endpoint.id])

        let exports = try await Self.acrossCrash(fixture, key: IdempotencyKey(scope: "key_test", key: "export"), path: "/v1/exports") {
            try await service.createExportJob(ExportFilter(merchantID: merchant.id), idempotencyKey: IdempotencyKey(scope: "key_test", key: "export"))
        }
        #expect(exports.retry.id == exports.first.id)
        #expect(try await service.runNextExportJob()?.id == exports.first.id)
        #expect(try await service.runNextExportJob() == nil, "one job queued, not two")
    }

    @Test("Eight webhook registrations under one key at once make one endpoint, with one secret")
    func concurrentEndpointClaims() async throws {
        let fixture = try await ServiceFixture.make { $0.allowPrivateWebhooks = true }
        let key = IdempotencyKey(scope: "key_test", key: "hook")
        _ = try await fixture.service.beginIdempotent(key, method: "POST", path: "/v1/webhook-endpoints", body: [])
        let hook = NewWebhookEndpoint(url: "http://127.0.0.1:9/hook", eventTypes: [])
        let created = try await withThrowingTaskGroup(of: WebhookEndpointWithSecret.self) { group in
            for _ in 0..<8 { group.addTask { try await fixture.service.createWebhookEndpoint(hook, idempotencyKey: key) } }
            return try await group.reduce(into: [WebhookEndpointWithSecret]()) { $0.append($1) }
        }
        #expect(Set(created.map(\.endpoint.id)).count == 1)
        #expect(Set(created.map(\.secret)).count == 1)
        #expect(try await fixture.service.webhookEndpoints(page: PageRequest()).items.count == 1)
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
