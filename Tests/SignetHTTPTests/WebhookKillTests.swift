import Foundation
import Glibc
import NIOHTTP1
import SignetTestSupport
import SignetServiceTestSupport
import Testing

extension LiveService {
    /// The outbox against a real crash: `signet serve` killed with SIGKILL after a state change
    /// committed and before its webhooks were delivered, then started again on the same data.
    @Suite("Webhooks survive SIGKILL (live)")
    struct WebhookKillTests {
        @Test("SIGKILL between a contract's commit and its webhook deliveries, restart on the same data: every event delivered once, under the webhook-id of its failed attempts, verified by standardwebhooks")
        func killedBetweenCommitAndDelivery() async throws {
            let dir = try TemporaryDirectory("signet-webhook-kill")
            let (keys, data) = (dir.file("keys"), dir.file("data"))
            let storage = TestStorage.arguments(for: try TestStorage.location(in: data))
            let created = try ExternalTool.run(try RepositoryPaths.signetExecutable().path,
                                               ["apikeys", "create", "--name", "kill-test"] + storage)
            try #require(created.status == 0, "\(created.combinedOutput)")
            let apiKey = try #require(created.output.split(separator: "\n").last.map(String.init))

            // The receiver answers 503 with Retry-After: 1 until told otherwise: the worker tries,
            // nothing is delivered.
            let receiver = try WebhookReceiver()
            try await receiver.control(["fail": 1_000_000, "fail_status": 503, "retry_after": "1"])
            let first = try ServeProcess(directory: dir.url, keys: keys, data: data, port: try ServeProcess.freePort(), storage: storage)
            let endpoint = try await Self.call(first, apiKey, .POST, "/v1/webhook-endpoints", ["url": receiver.url])
            try #require(endpoint.status == 201, "\(endpoint.text)")
            let endpointID = try #require(endpoint.json["id"] as? String)
            try await receiver.control(["secrets": [try #require(endpoint.json["secret"] as? String)]])

            let merchant = try await Self.call(first, apiKey, .POST, "/v1/merchants", APIHarness.merchantBody)
            try #require(merchant.status == 201, "\(merchant.text)")
            let contract = try await Self.call(first, apiKey, .POST, "/v1/contracts", [
                "merchant_id": try #require(merchant.json["id"] as? String), "template_id": "merchant-service-agreement",
                "fields": try APIHarness.sampleFields(),
            ])
            try #require(contract.status == 201, "\(contract.text)")
            let contractID = try #require(contract.json["id"] as? String)
            // Committed: the worker has tried (503) an event of the new contract. Kill it there.
            let tried = try await receiver.wait { deliveries in
                deliveries.contains { $0["status"] as? Int == 503 && Self.contractID(of: $0) == contractID }
            }
            try #require(tried.contains { $0["status"] as? Int == 503 }, "the worker never tried")
            first.send(SIGKILL)
            while first.isRunning { usleep(10_000) }
            let failedIDs = Set(try receiver.deliveries().compactMap { $0["webhook_id"] as? String })
            #expect(try receiver.deliveries().allSatisfy { $0["status"] as? Int == 503 }, "nothing was delivered before the kill")

            // Restarted on the same data, with the receiver answering 204.
            try await receiver.control(["fail": 0])
            let second = try ServeProcess(directory: dir.url, keys: keys, data: data, port: try ServeProcess.freePort(), storage: storage)
            defer { second.terminate() }
            let list = try await Self.call(second, apiKey, .GET, "/v1/webhook-endpoints/\(endpointID)/deliveries?limit=100")
            try #require(list.status == 200, "\(list.text)")
            let expected = Set((list.json["data"] as? [[String: Any]] ?? []).compactMap { $0["event_id"] as? String })
            try #require(expected.count >= 2, "contract.created and contract.sent at least: \(list.text)")
            let all = try await receiver.wait { deliveries in
                Set(deliveries.filter { $0["status"] as? Int == 204 }.compactMap { $0["webhook_id"] as? String }) == expected
            }
            let succeeded = all.filter { $0["status"] as? Int == 204 }
            let ids = succeeded.compactMap { $0["webhook_id"] as? String }
            #expect(Set(ids) == expected, "every committed event delivered: \(ids) vs \(expected)")
            #expect(ids.count == Set(ids).count, "each once: \(ids)")
            #expect(failedIDs.isSubset(of: Set(ids)), "a redelivery carries the webhook-id of the failed attempts")
            #expect(succeeded.allSatisfy { ($0["verified_with"] as? [Int]) == [0] && $0["id"] as? String == $0["webhook_id"] as? String })
            #expect(succeeded.contains { $0["type"] as? String == "contract.created" } && succeeded.contains { $0["type"] as? String == "contract.sent" })
            #expect(!second.log.contains("\"status\":5"), "no 5xx")
        }

        private static func contractID(of delivery: [String: Any]) -> String? {
            ((delivery["body"] as? [String: Any])?["data"] as? [String: Any])?["id"] as? String
        }

        private static func call(_ server: ServeProcess, _ apiKey: String, _ method: NIOHTTP1.HTTPMethod, _ path: String,
                                 _ json: [String: Any]? = nil) async throws -> APIHarness.Reply {
            try await JourneyAPI(base: server.baseURL, key: apiKey).call(method, path, json)
        }
    }
}
