import Foundation
import NIOHTTP1
import SignetService
import SignetTemplates
import SignetTestSupport
import Testing

extension LiveService {
    /// The webhook API on a real server with the delivery worker running beside it (as in
    /// `signet serve`), deliveries received by Tests/Fixtures/webhook-receiver.py, which
    /// verifies each with the Standard Webhooks reference library (`standardwebhooks`); every
    /// response checked against /openapi.json.
    @Suite("Webhooks over HTTP (live)")
    struct WebhookAPITests {
        /// Private targets allowed (the receiver is on loopback), retries after 1 s.
        static func configure(_ configuration: inout ServiceConfiguration) {
            configuration.allowPrivateWebhooks = true
            configuration.webhookRetrySchedule = WebhookRetrySchedule(delays: [1, 1], jitter: 0)
        }

        static let unknownEndpoint = "whe_aaaaaaaaaaaaaaaa"
        static let unknownDelivery = "whd_aaaaaaaaaaaaaaaa"

        /// The receiver's records for event `id`.
        static func records(_ got: [[String: Any]], id: String) -> [[String: Any]] {
            got.filter { $0["webhook_id"] as? String == id }
        }

        /// The endpoint's deliveries (first page), polled until `condition` holds or the
        /// exchange limit passes; the last answer is recorded for the conformance check.
        static func deliveries(_ api: APIHarness, endpointID: String,
                               until condition: ([[String: Any]]) -> Bool) async throws -> [[String: Any]] {
            let deadline = Date().addingTimeInterval(TestTimeouts.exchange)
            while Date() < deadline {
                let page = try await api.call(.GET, "/v1/webhook-endpoints/\(endpointID)/deliveries?limit=100", record: false)
                if condition(page.json["data"] as? [[String: Any]] ?? []) { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            return try await api.call(.GET, "/v1/webhook-endpoints/\(endpointID)/deliveries?limit=100").json["data"] as? [[String: Any]] ?? []
        }

        @Test("Endpoints over HTTP: the secret once, a journey in order, 500 then 200, manual retry, rotation, delete, 404s, refused URLs")
        func endpointsJourneyRetriesRotation() async throws {
            let receiver = try WebhookReceiver()
            let api = try await APIHarness.start(webhookJobs: true, configure: Self.configure)
            defer { Task { try? await api.stop() } }

            // Create: 201, Location, the secret this once.
            let created = try await api.call(.POST, "/v1/webhook-endpoints", json: ["url": receiver.url, "description": "tests"])
            #expect(created.status == 201)
            let endpointID = try #require(created.json["id"] as? String)
            let secret = try #require(created.json["secret"] as? String)
            #expect(secret.hasPrefix("whsec_") && created.json["events"] as? [String] == [])
            #expect(created.header("Location") == "/v1/webhook-endpoints/\(endpointID)")
            try await receiver.control(["secrets": [secret]])

            // Read and list: never the secret again.
            let shown = try await api.call(.GET, "/v1/webhook-endpoints/\(endpointID)")
            #expect(shown.status == 200 && shown.json["url"] as? String == receiver.url && shown.json["disabled"] as? Bool == false)
            let listed = try await api.call(.GET, "/v1/webhook-endpoints")
            #expect((listed.json["data"] as? [[String: Any]])?.map { $0["id"] as? String } == [endpointID])
            for reply in [shown, listed] {
                #expect(reply.json["secret"] == nil && !String(decoding: reply.body, as: UTF8.self).contains(secret))
            }

            // A journey: created → sent → merchant signs (service level) → countersigned → completed.
            let (_, contract) = try await api.merchantAndContract()
            let contractID = try #require(contract["id"] as? String)
            _ = try await api.service.sign(contractID: contractID, role: .merchant,
                                           evidence: SigningEvidence(origin: .system, authentication: "service"))
            let journey = try await api.service.storage.webhooks.events(type: nil, limit: 100)
            #expect(journey.first?.type == "contract.created" && journey.last?.type == "contract.completed")
            #expect(journey.contains { $0.type == "signer.signed" })
            var got = try await receiver.wait { $0.count >= journey.count }
            #expect(got.map { $0["webhook_id"] as? String } == journey.map(\.id))
            #expect(got.map { $0["type"] as? String } == journey.map(\.type))
            #expect(got.allSatisfy { $0["verified_with"] as? [Int] == [0] && $0["status"] as? Int == 204 && $0["webhook_id"] as? String == $0["id"] as? String })
            let completed = try #require(got.last?["body"] as? [String: Any])
            #expect((completed["data"] as? [String: Any])?["state"] as? String == "completed")
            #expect((completed["data"] as? [String: Any])?["id"] as? String == contractID)

            // The deliveries as the API lists them: one per event, each succeeded at the first attempt.
            var deliveries = try await Self.deliveries(api, endpointID: endpointID) { $0.count == journey.count }
            #expect(Set(deliveries.compactMap { $0["event_id"] as? String }) == Set(journey.map(\.id)))
            #expect(deliveries.allSatisfy { $0["state"] as? String == "succeeded" && $0["attempts"] as? Int == 1 && $0["last_status"] as? Int == 204 })

            // 500, then 200: retried with the same webhook-id.
            try await receiver.control(["fail": 1])
            let (_, second) = try await api.merchantAndContract(externalID: "m-1002")
            let secondID = try #require(second["id"] as? String)
            let firstFailed = try #require(try await receiver.wait { $0.contains { $0["status"] as? Int == 500 } }
                .first { $0["status"] as? Int == 500 }?["webhook_id"] as? String)
            got = try await receiver.wait { Self.records($0, id: firstFailed).count >= 2 }
            #expect(Self.records(got, id: firstFailed).map { $0["status"] as? Int } == [500, 204])
            #expect(Self.records(got, id: firstFailed).allSatisfy { $0["verified_with"] as? [Int] == [0] })
            deliveries = try await Self.deliveries(api, endpointID: endpointID) { items in
                items.contains { $0["event_id"] as? String == firstFailed && $0["state"] as? String == "succeeded" }
            }
            let retried = try #require(deliveries.first { $0["event_id"] as? String == firstFailed })
            #expect(retried["attempts"] as? Int == 2 && retried["last_status"] as? Int == 204)

            // A manual retry of a delivered event: 202, pending, then sent again with the same webhook-id.
            let completedEvent = try #require(journey.last?.id)
            let completedDelivery = try #require(deliveries.first { $0["event_id"] as? String == completedEvent }?["id"] as? String)
            let again = try await api.call(.POST, "/v1/webhook-deliveries/\(completedDelivery)/retry")
            #expect(again.status == 202 && again.json["state"] as? String == "pending" && again.json["id"] as? String == completedDelivery)
            got = try await receiver.wait { Self.records($0, id: completedEvent).count >= 2 }
            #expect(Self.records(got, id: completedEvent).map { $0["status"] as? Int } == [204, 204])
            deliveries = try await Self.deliveries(api, endpointID: endpointID) { items in
                items.contains { $0["id"] as? String == completedDelivery && $0["state"] as? String == "succeeded" }
            }
            #expect(deliveries.first { $0["id"] as? String == completedDelivery }?["attempts"] as? Int == 2)

            // A delivered one-time code (sealed, dropped after delivery): a manual retry is refused
            // up front with 409 webhook_payload_dropped, and nothing is queued.
            try await WebhookCodeNotifier(service: api.service).deliver(
                code: "123456", contract: try await api.service.contract(id: contractID), role: .merchant,
                challengeID: "chl_retry0dropped0001", expiresAt: Date().addingTimeInterval(300))
            let codeEvent = try #require(try await api.service.storage.webhooks.events(type: "signer.otp_requested", limit: 1).first?.id)
            deliveries = try await Self.deliveries(api, endpointID: endpointID) { items in
                items.contains { $0["event_id"] as? String == codeEvent && $0["state"] as? String == "succeeded" }
            }
            let codeDelivery = try #require(deliveries.first { $0["event_id"] as? String == codeEvent }?["id"] as? String)
            let dropped = try await api.call(.POST, "/v1/webhook-deliveries/\(codeDelivery)/retry")
            #expect(dropped.status == 409 && dropped.code == "webhook_payload_dropped")
            #expect(try await api.service.webhookDelivery(id: codeDelivery).delivery.state == .succeeded)

            // Rotation: a new secret once; during the window both sign and both verify.
            let rotated = try await api.call(.POST, "/v1/webhook-endpoints/\(endpointID)/rotate-secret")
            #expect(rotated.status == 200)
            let newSecret = try #require(rotated.json["secret"] as? String)
            #expect(newSecret.hasPrefix("whsec_") && newSecret != secret)
            let reread = try await api.call(.GET, "/v1/webhook-endpoints/\(endpointID)")
            #expect(reread.json["secret"] == nil && !String(decoding: reread.body, as: UTF8.self).contains(newSecret))
            try await receiver.control(["secrets": [secret, newSecret]])
            #expect(try await api.call(.POST, "/v1/contracts/\(secondID)/void", json: ["reason": "webhook rotation test"]).status == 200)
            got = try await receiver.wait { $0.contains { $0["type"] as? String == "contract.voided" } }
            let voided = try #require(got.first { $0["type"] as? String == "contract.voided" })
            #expect(voided["verified_with"] as? [Int] == [0, 1] && voided["signatures"] as? Int == 2)

            // Unknown ids: 404 with the resource's code.
            for (method, path) in [(HTTPMethod.GET, "/v1/webhook-endpoints/\(Self.unknownEndpoint)"),
                                   (.DELETE, "/v1/webhook-endpoints/\(Self.unknownEndpoint)"),
                                   (.POST, "/v1/webhook-endpoints/\(Self.unknownEndpoint)/rotate-secret"),
                                   (.GET, "/v1/webhook-endpoints/\(Self.unknownEndpoint)/deliveries")] {
                let reply = try await api.call(method, path)
                #expect(reply.status == 404 && reply.code == "webhook_endpoint_not_found", "\(method) \(path)")
            }
            let noDelivery = try await api.call(.POST, "/v1/webhook-deliveries/\(Self.unknownDelivery)/retry")
            #expect(noDelivery.status == 404 && noDelivery.code == "webhook_delivery_not_found")

            // Refused URLs: not http(s), user information.
            for url in ["file:///etc/passwd", "http://user:pw@127.0.0.1:\(receiver.port)/hook"] {
                let refused = try await api.call(.POST, "/v1/webhook-endpoints", json: ["url": url])
                #expect(refused.status == 422 && refused.code == "webhook_url_refused", "\(url)")
            }

            // Delete: 204, then gone from read, list and deliveries.
            #expect(try await api.call(.DELETE, "/v1/webhook-endpoints/\(endpointID)").status == 204)
            #expect(try await api.call(.GET, "/v1/webhook-endpoints/\(endpointID)").code == "webhook_endpoint_not_found")
            #expect(try await api.call(.GET, "/v1/webhook-endpoints/\(endpointID)/deliveries").code == "webhook_endpoint_not_found")
            #expect((try await api.call(.GET, "/v1/webhook-endpoints").json["data"] as? [[String: Any]])?.isEmpty == true)

            #expect(!api.log.lines.contains { $0.contains(secret) || $0.contains(newSecret) })
            try api.conformance.check()
        }

        @Test("Stopped after a state change, before its delivery; restarted on the same data: each event delivered once, same webhook-id; loopback refused when private targets are not allowed")
        func restartDeliversOnce() async throws {
            let receiver = try WebhookReceiver()
            // The first server runs no delivery worker: its changes are committed, not sent.
            let first = try await APIHarness.start(configure: Self.configure)
            let created = try await first.call(.POST, "/v1/webhook-endpoints", json: ["url": receiver.url])
            let endpointID = try #require(created.json["id"] as? String)
            try await receiver.control(["secrets": [try #require(created.json["secret"] as? String)]])
            _ = try await first.merchantAndContract()
            let events = try await first.service.storage.webhooks.events(type: nil, limit: 100)
            #expect(events.map(\.type).starts(with: ["contract.created"]))
            #expect((try await first.call(.GET, "/v1/webhook-endpoints/\(endpointID)/deliveries").json["data"] as? [[String: Any]])?.isEmpty == true)
            try first.conformance.check()
            try await first.stop()
            #expect(try receiver.deliveries().isEmpty)

            // Restarted on the same data, with the worker: everything arrives, once, same ids.
            let second = try await APIHarness.start(reusing: first, webhookJobs: true, configure: Self.configure)
            let got = try await receiver.wait { $0.count >= events.count }
            let deliveries = try await Self.deliveries(second, endpointID: endpointID) { items in
                items.count == events.count && items.allSatisfy { $0["state"] as? String == "succeeded" }
            }
            #expect(got.map { $0["webhook_id"] as? String } == events.map(\.id))
            #expect(got.allSatisfy { $0["verified_with"] as? [Int] == [0] && $0["status"] as? Int == 204 })
            #expect(deliveries.allSatisfy { $0["attempts"] as? Int == 1 } && deliveries.count == events.count)
            try second.conformance.check()
            try await second.stop()
            #expect(try receiver.deliveries().count == events.count)

            // Private targets not allowed (a server not on loopback): a loopback URL is refused.
            let third = try await APIHarness.start(reusing: second)
            defer { Task { try? await third.stop() } }
            for url in [receiver.url, "http://localhost:\(receiver.port)/hook", "http://[::1]:\(receiver.port)/hook"] {
                let refused = try await third.call(.POST, "/v1/webhook-endpoints", json: ["url": url])
                #expect(refused.status == 422 && refused.code == "webhook_url_refused", "\(url)")
            }
            try third.conformance.check()
        }
    }
}
