import Foundation
import NIOHTTP1
import SignetTestSupport
import Testing

extension LiveService {
    /// The webhook outbox with several workers (one per instance) on one database, while
    /// instances die and come back.
    @Suite("Scale-out: webhooks while instances die (live)", .serialized)
    struct ScaleOutWebhookTests {
        @Test("Contracts created through live instances and nginx while instances are SIGKILLed and restarted, deliveries failing (503); then the receiver answers: every event delivered exactly once, under the webhook-id of its failed attempts, verified by standardwebhooks",
              .timeLimit(.minutes(10)))
        func deliveredOnceWhileInstancesDie() async throws {
            let receiver = try WebhookReceiver()
            try await receiver.control(["fail": 1_000_000, "fail_status": 503, "retry_after": "1"])
            let cluster = try ScaleOutCluster(instances: 3)
            defer { cluster.stop() }
            let endpoint = try await cluster.call(.POST, "/v1/webhook-endpoints", json: ["url": receiver.url])
            try #require(endpoint.status == 201, "\(endpoint.text)")
            let endpointID = try #require(endpoint.json["id"] as? String)
            try await receiver.control(["secrets": [try #require(endpoint.json["secret"] as? String)]])

            // Events flow (contracts created through whatever runs) while each instance in turn
            // is killed as soon as the workers have tried the newest contract's events, and
            // started again after one more contract.
            var contracts: [String] = []
            for round in 0..<cluster.ports.count * 2 {
                let (_, created) = try await cluster.merchantAndContract(externalID: "m-hook-\(round)")
                let id = try #require(created["id"] as? String)
                contracts.append(id)
                let tried = try await receiver.wait { deliveries in deliveries.contains { Self.contractID(of: $0) == id } }
                try #require(tried.contains { Self.contractID(of: $0) == id }, "the workers never tried contract \(round)'s events")
                let victim = round % cluster.ports.count
                cluster.kill(victim)
                let (_, another) = try await cluster.merchantAndContract(externalID: "m-hook-\(round)-b")
                contracts.append(try #require(another["id"] as? String))
                try cluster.restart(victim)
            }
            let failedIDs = Set(try receiver.deliveries().compactMap { $0["webhook_id"] as? String })
            #expect(try receiver.deliveries().allSatisfy { $0["status"] as? Int == 503 }, "nothing delivered while the receiver fails")

            // The receiver answers 204 now; every instance's worker competes for the deliveries.
            try await receiver.control(["fail": 0])
            let list = try await cluster.call(.GET, "/v1/webhook-endpoints/\(endpointID)/deliveries?limit=100")
            try #require(list.status == 200, "\(list.text)")
            let expected = Set((list.json["data"] as? [[String: Any]] ?? []).compactMap { $0["event_id"] as? String })
            try #require(expected.count >= contracts.count * 2, "contract.created and contract.sent of every contract: \(expected.count)")
            try await receiver.wait { deliveries in
                Set(deliveries.filter { $0["status"] as? Int == 204 }.compactMap { $0["webhook_id"] as? String }) == expected
            }
            // A moment more for a duplicate delivery to show up, if any worker were to send one.
            try await Task.sleep(for: .seconds(2))
            let succeeded = try receiver.deliveries().filter { $0["status"] as? Int == 204 }
            let ids = succeeded.compactMap { $0["webhook_id"] as? String }
            #expect(Set(ids) == expected, "every committed event delivered: \(Set(ids).symmetricDifference(expected))")
            #expect(ids.count == Set(ids).count, "each once: \(ids.count) deliveries of \(Set(ids).count) events")
            #expect(failedIDs.isSubset(of: Set(ids)), "a redelivery carries the webhook-id of the failed attempts")
            #expect(succeeded.allSatisfy { ($0["verified_with"] as? [Int]) == [0] && $0["id"] as? String == $0["webhook_id"] as? String })
            let delivered = Set(succeeded.compactMap { Self.contractID(of: $0) })
            #expect(delivered.isSuperset(of: contracts), "events of every contract")
            #expect(cluster.serverErrors().isEmpty, "\(cluster.serverErrors())")
        }

        private static func contractID(of delivery: [String: Any]) -> String? {
            ((delivery["body"] as? [String: Any])?["data"] as? [String: Any])?["id"] as? String
        }
    }
}
