import Foundation
import NIOHTTP1
import SignetArchive
import SignetCrypto
import SignetPKI
import SignetService
import SignetTemplates
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
    
        @Test("Success: POST /v1/exports, poll until succeeded, download the archive (ASiC-E media type, Content-Digest) that ArchiveVerifier passes; export.completed delivered and verified by standardwebhooks, its data the job")
        func succeededJob() async throws {
            let receiver = try WebhookReceiver()
            let api = try await APIHarness.start(webhookJobs: true, exportJobs: true) { $0.allowPrivateWebhooks = true }
            defer { Task { try? await api.stop() } }
            let endpoint = try await api.call(.POST, "/v1/webhook-endpoints", json: ["url": receiver.url, "events": ["export.completed"]])
            try await receiver.control(["secrets": [try #require(endpoint.json["secret"] as? String)]])

            // Two merchants, a completed contract each (signed through the service), and a sent one.
            var ids: [String] = []
            for externalID in ["m-1001", "m-1002"] {
                let (_, contract) = try await api.merchantAndContract(externalID: externalID)
                let id = try #require(contract["id"] as? String)
                let completed = try await api.service.sign(contractID: id, role: .merchant, evidence: SigningEvidence(
                    origin: RequestOrigin(actor: "signer:merchant", ip: "127.0.0.1", userAgent: "ExportAPITests"), authentication: "service"))
                #expect(completed.state == .completed)
                ids.append(id)
            }
            _ = try await api.merchantAndContract(externalID: "m-1003")
            // Today on the service's clock (UTC+8), the day the contracts completed.
            let formatter = DateFormatter()
            formatter.timeZone = TimeZone(secondsFromGMT: 8 * 3600)
            formatter.dateFormat = "yyyy-MM-dd"
            let today = formatter.string(from: Date())

            let created = try await api.call(.POST, "/v1/exports", json: ["from": today, "to": today])
            #expect(created.status == 202, "\(created.json)")
            let id = try #require(created.json["id"] as? String)
            let finished = try await Self.finished(api, id)
            #expect(finished.json["state"] as? String == "succeeded", "\(finished.json)")
            let progress = try #require(finished.json["progress"] as? [String: Any])
            #expect(progress["done"] as? Int == 2 && progress["total"] as? Int == 2)

            let download = try await api.call(.GET, "/v1/exports/\(id)/archive")
            #expect(download.status == 200 && download.header("Content-Type") == "application/vnd.etsi.asic-e+zip")
            let digest = "sha-256=:\(Data(DigestAlgorithm.sha256.hash(download.body)).base64EncodedString()):"
            #expect(download.header("Content-Digest") == digest)
            #expect(download.header("Content-Length") == String(download.body.count))
            let file = api.directory.file("download.asice")
            try Data(download.body).write(to: file)
            let report = await ArchiveVerifier(trustRoots: [api.keys.root]).verify(archiveAt: file)
            #expect(report.outcome == .passed, "\(report.checks.filter { !$0.passed }) \(report.contracts.flatMap(\.checks).filter { !$0.passed })")
            #expect(report.contracts.map(\.contractID).sorted() == ids.sorted(), "exactly the completed contracts")

            let got = try await receiver.wait { $0.contains { $0["type"] as? String == "export.completed" } }
            let delivery = try #require(got.first { $0["type"] as? String == "export.completed" })
            #expect(delivery["verified_with"] as? [Int] == [0])
            let data = try #require((delivery["body"] as? [String: Any])?["data"] as? [String: Any])
            #expect(data["id"] as? String == id && data["object"] as? String == "export" && data["state"] as? String == "succeeded")
            #expect(NSDictionary(dictionary: data).isEqual(to: finished.json), "the webhook's data is the job resource: \(data) \(finished.json)")
            try api.conformance.check()
        }
    }
}
