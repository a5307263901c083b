import Foundation
import NIOHTTP1
import SignetService
import SignetTestSupport
import Testing

extension LiveService {
    /// `/v1/exports` on a real server with the export and webhook workers beside it (as in
    /// `signet serve`); webhooks received by Tests/Fixtures/webhook-receiver.py and verified
    /// with the Standard Webhooks reference library (`standardwebhooks`); every response
    /// checked against /openapi.json.
    @Suite("Exports over HTTP (live)")
    struct ExportAPITests {
        /// Polls the job until it is finished (or the exchange limit passes).
        static func finished(_ api: APIHarness, _ id: String) async throws -> APIHarness.Reply {
            let deadline = Date().addingTimeInterval(TestTimeouts.exchange)
            while Date() < deadline {
                let reply = try await api.call(.GET, "/v1/exports/\(id)", record: false)
                if ["succeeded", "failed"].contains(reply.json["state"] as? String) { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            return try await api.call(.GET, "/v1/exports/\(id)")
        }

        @Test("Refusals (400 export_filter_invalid with every problem, 404 merchant and export), a queued job (202, 409 export_not_ready), a failed one (410 export_failed) and its export.failed webhook")
        func refusalsAndFailedJob() async throws {
            let receiver = try WebhookReceiver()
            let api = try await APIHarness.start(webhookJobs: true) { $0.allowPrivateWebhooks = true }
            defer { Task { try? await api.stop() } }
            let endpoint = try await api.call(.POST, "/v1/webhook-endpoints", json: ["url": receiver.url, "events": ["export.completed", "export.failed"]])
            try await receiver.control(["secrets": [try #require(endpoint.json["secret"] as? String)]])

            let none = try await api.call(.POST, "/v1/exports", json: [String: Any]())
            #expect(none.status == 400 && none.code == "export_filter_invalid", "\(none.json)")
            let bad = try await api.call(.POST, "/v1/exports", json: ["from": "2026-12-31", "to": "2026-12-01", "state": "voided"])
            #expect(bad.status == 400 && bad.code == "export_filter_invalid")
            #expect((bad.json["errors"] as? [[String: Any]])?.compactMap { $0["code"] as? String } == ["after_to", "not_exportable"])
            let wrongType = try await api.call(.POST, "/v1/exports", json: ["merchant_id": 7, "extra": true])
            #expect(wrongType.status == 400 && wrongType.code == "invalid_request")
            let unknown = try await api.call(.POST, "/v1/exports", json: ["merchant_id": "mer_aaaaaaaaaaaaaaaaaaaaaaaaaa"])
            #expect(unknown.status == 404 && unknown.code == "merchant_not_found")
            #expect(try await api.call(.GET, "/v1/exports/exp_aaaaaaaaaaaaaaaaaaaaaaaaaa").code == "export_not_found")
            #expect(try await api.call(.GET, "/v1/exports/exp_aaaaaaaaaaaaaaaaaaaaaaaaaa/archive").code == "export_not_found")

            // A merchant without completed contracts: queued (no worker in this server yet) …
            let merchant = try await api.call(.POST, "/v1/merchants", json: APIHarness.merchantBody)
            let merchantID = try #require(merchant.json["id"] as? String)
            let created = try await api.call(.POST, "/v1/exports", json: ["merchant_id": merchantID], headers: [("Idempotency-Key", "exp-1")])
            #expect(created.status == 202 && created.json["object"] as? String == "export" && created.json["state"] as? String == "queued")
            let id = try #require(created.json["id"] as? String)
            #expect(created.header("Location") == "/v1/exports/\(id)")
            #expect((created.json["filter"] as? [String: Any])?["state"] as? String == "completed")
            let replayed = try await api.call(.POST, "/v1/exports", json: ["merchant_id": merchantID], headers: [("Idempotency-Key", "exp-1")])
            #expect(replayed.json["id"] as? String == id && replayed.header("Idempotent-Replayed") == "true")
            let notReady = try await api.call(.GET, "/v1/exports/\(id)/archive")
            #expect(notReady.status == 409 && notReady.code == "export_not_ready")

            // … then run: failed with export_empty, 410 for its archive, export.failed delivered.
            _ = try #require(try await api.service.runNextExportJob())
            let failed = try await Self.finished(api, id)
            #expect(failed.json["state"] as? String == "failed" && (failed.json["error"] as? [String: Any])?["code"] as? String == "export_empty")
            let gone = try await api.call(.GET, "/v1/exports/\(id)/archive")
            #expect(gone.status == 410 && gone.code == "export_failed")
            let got = try await receiver.wait { $0.contains { $0["type"] as? String == "export.failed" } }
            let delivery = try #require(got.first { $0["type"] as? String == "export.failed" })
            #expect(delivery["verified_with"] as? [Int] == [0])
            let data = try #require((delivery["body"] as? [String: Any])?["data"] as? [String: Any])
            #expect(data["id"] as? String == id && data["state"] as? String == "failed")
            try api.conformance.check()
        }
    }
}
