import Foundation
import NIOHTTP1
import SignetService
import SignetServiceTestSupport
import SignetTestSupport
import Testing

extension LiveService {
    /// A creating POST under an `Idempotency-Key` whose first run committed its resource but
    /// died before its response was stored (the crash scripts/crash-test.sh provokes): the
    /// client's retry, once the key's lock lapsed, gets the resource the key created, not a
    /// second one (or a 409), on every creating route besides contracts (which the crash test
    /// drives): merchants, paper documents, webhook endpoints, exports.
    @Suite("Idempotent creation across a crash over HTTP (live)")
    struct IdempotentRetryAPITests {
        /// One creating route: its path, body and content type, the service call the crashed
        /// first run made (returning the id it created), and the list that must hold one.
        struct Route {
            let path: String
            let body: [UInt8]
            let contentType: String
            let status: Int
            let firstRun: @Sendable (IdempotencyKey) async throws -> String
            /// The route's resources (nil: checked after the loop).
            let listed: (@Sendable () async throws -> [String])?
        }

        @Test("Merchants, paper documents, webhook endpoints, exports: the retry after a crash answers the first resource; a further retry replays it; one resource each")
        func everyCreatingRoute() async throws {
            let clock = TestClock()
            let api = try await APIHarness.start(clock: { clock.now }) { $0.allowPrivateWebhooks = true }
            defer { Task { try? await api.stop() } }
            let service = api.service
            let merchant = try await api.call(.POST, "/v1/merchants", json: APIHarness.merchantBody)
            let merchantID = try #require(merchant.json["id"] as? String)
            let contract = try await api.call(.POST, "/v1/contracts", json: [
                "merchant_id": merchantID, "template_id": "merchant-service-agreement", "fields": try APIHarness.sampleFields()])
            let pdf = try await service.originalPDF(contractID: try #require(contract.json["id"] as? String)).bytes
            let hook = NewWebhookEndpoint(url: "http://127.0.0.1:9/hook", eventTypes: ["contract.completed"])
            let newMerchant = { var input = ServiceFixture.merchantInput; input.externalID = "m-2002"; return input }()
            let merchantBody = try JSONSerialization.data(withJSONObject: APIHarness.merchantBody.merging(["external_id": "m-2002"]) { $1 })
            let routes = [
                Route(path: "/v1/merchants", body: Array(merchantBody), contentType: "application/json", status: 201,
                      firstRun: { key in try await service.createMerchant(newMerchant, idempotencyKey: key).id },
                      listed: { [try await service.merchant(externalID: "m-2002")?.id].compactMap { $0 } }),
                Route(path: "/v1/merchants/\(merchantID)/documents", body: pdf, contentType: "application/pdf", status: 201,
                      firstRun: { key in
                          try await service.certifyPaperDocument(merchantID: merchantID, pdf: pdf, title: nil, origin: RequestOrigin(actor: "test"),
                                                                 idempotencyKey: key).id },
                      listed: { try await service.paperDocuments(merchantID: merchantID, page: PageRequest()).items.map(\.id) }),
                Route(path: "/v1/webhook-endpoints", body: Array(#"{"url":"http://127.0.0.1:9/hook","events":["contract.completed"]}"#.utf8),
                      contentType: "application/json", status: 201,
                      firstRun: { key in try await service.createWebhookEndpoint(hook, idempotencyKey: key).endpoint.id },
                      listed: { try await service.webhookEndpoints(page: PageRequest()).items.map(\.id) }),
                Route(path: "/v1/exports", body: Array(#"{"merchant_id":"\#(merchantID)"}"#.utf8), contentType: "application/json", status: 202,
                      firstRun: { key in try await service.createExportJob(ExportFilter(merchantID: merchantID), idempotencyKey: key).id },
                      listed: nil),
            ]
            for (index, route) in routes.enumerated() {
                let header = "crash-\(index)"
                let key = IdempotencyKey(scope: api.apiKeyID, key: header)
                // The first run: begun as the middleware begins it, its resource committed, then the process dies.
                #expect(try await service.beginIdempotent(key, method: "POST", path: route.path, body: route.body) == nil)
                let first = try await route.firstRun(key)
                let early = try await api.call(.POST, route.path, body: route.body, contentType: route.contentType, headers: [("Idempotency-Key", header)])
                #expect(early.status == 409 && early.code == "idempotency_key_in_use", "\(route.path): the lock holds")

                clock.advance(service.configuration.idempotencyLock + 1)
                let retry = try await api.call(.POST, route.path, body: route.body, contentType: route.contentType, headers: [("Idempotency-Key", header)])
                #expect(retry.status == route.status, "\(route.path): \(retry.status) \(retry.json)")
                #expect(retry.json["id"] as? String == first, "\(route.path): the retry answers the resource the key created")
                #expect(retry.header("Idempotent-Replayed") == nil)
                let again = try await api.call(.POST, route.path, body: route.body, contentType: route.contentType, headers: [("Idempotency-Key", header)])
                #expect(again.json["id"] as? String == first && again.header("Idempotent-Replayed") == "true", "\(route.path)")
                if let listed = route.listed {
                    #expect(try await listed() == [first], "\(route.path): one resource")
                }
            }
            // One export queued, not two.
            #expect(try await service.runNextExportJob() != nil)
            #expect(try await service.runNextExportJob() == nil)
            try api.conformance.check()
        }
    }
}
