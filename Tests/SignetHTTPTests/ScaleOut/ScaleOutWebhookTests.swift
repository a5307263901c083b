import Foundation
import NIOHTTP1
import SignetTestSupport
import Testing

extension LiveService {
    /// The webhook outbox with several workers (one per instance) on one database, while
    /// instances die and come back.
    @Suite("Scale-out: webhooks while instances die (live)", .serialized)
    struct ScaleOutWebhookTests {
        @Test("Contracts created while each instance in turn is SIGKILLed just after its worker tried a delivery (503) and restarted: every event delivered once, under the webhook-id of its failed attempt, by whichever instance's worker claims it; verified by standardwebhooks",
              .timeLimit(.minutes(10)))
        func deliveredOnceWhileInstancesDie() async throws {
            let receiver = try WebhookReceiver()
            let cluster = try ScaleOutCluster(instances: 3)
            defer { cluster.stop() }
            let endpoint = try await cluster.call(.POST, "/v1/webhook-endpoints", json: ["url": receiver.url])
            try #require(endpoint.status == 201, "\(endpoint.text)")
            let endpointID = try #require(endpoint.json["id"] as? String)
            try await receiver.control(["secrets": [try #require(endpoint.json["secret"] as? String)], "retry_after": "1"])

            // Each round, once every earlier event is delivered: the receiver refuses the next
            // two deliveries (503), the first attempts of a new contract's two events. Once they
            // were tried, one instance is killed — maybe before its worker recorded the attempt,
            // whose claim then runs out — a contract is created through the others, and the
            // instance comes back. The failed events are retried (after the schedule's 5 s or
            // the claim's lease) by any instance's worker.
            var contracts: [String] = []
            for round in 0..<cluster.ports.count * 2 {
                let earlier = contracts
                let settled = try await receiver.wait { deliveries in
                    earlier.allSatisfy { Self.webhookIDs(deliveries, of: $0, status: 204).count == 2 }
                }
                try #require(earlier.allSatisfy { Self.webhookIDs(settled, of: $0, status: 204).count == 2 }, "round \(round): earlier events undelivered")
                try await receiver.control(["fail": 2, "fail_status": 503])
                let (_, created) = try await cluster.merchantAndContract(externalID: "m-hook-\(round)")
                let id = try #require(created["id"] as? String)
                let seen = try await receiver.wait { Self.webhookIDs($0, of: id, status: 503).count == 2 }
                try #require(Self.webhookIDs(seen, of: id, status: 503).count == 2, "contract \(round)'s events were not tried")
                contracts.append(id)
                let victim = round % cluster.ports.count
                cluster.kill(victim)
                let (_, another) = try await cluster.merchantAndContract(externalID: "m-hook-\(round)-b")
                contracts.append(try #require(another["id"] as? String))
                try cluster.restart(victim)
            }

            // The outbox's deliveries of the endpoint (the last contract's are made by the next
            // worker round).
            var expected: Set<String> = []
            let deadline = Date().addingTimeInterval(TestTimeouts.exchange)
            while expected.count < contracts.count * 2, Date() < deadline {
                let list = try await cluster.call(.GET, "/v1/webhook-endpoints/\(endpointID)/deliveries?limit=100")
                try #require(list.status == 200, "\(list.text)")
                expected = Set((list.json["data"] as? [[String: Any]] ?? []).compactMap { $0["event_id"] as? String })
                if expected.count < contracts.count * 2 { try await Task.sleep(for: .milliseconds(200)) }
            }
            #expect(expected.count == contracts.count * 2, "contract.created and contract.sent of every contract: \(expected.count)")
            try await receiver.wait { deliveries in
                Set(deliveries.filter { $0["status"] as? Int == 204 }.compactMap { $0["webhook_id"] as? String }) == expected
            }
            // A moment more for a duplicate delivery to show up, if any worker were to send one.
            try await Task.sleep(for: .seconds(2))
            let deliveries = try receiver.deliveries()
            let failedIDs = Set(deliveries.filter { $0["status"] as? Int == 503 }.compactMap { $0["webhook_id"] as? String })
            let succeeded = deliveries.filter { $0["status"] as? Int == 204 }
            let ids = succeeded.compactMap { $0["webhook_id"] as? String }
            #expect(Set(ids) == expected, "every committed event delivered: \(Set(ids).symmetricDifference(expected))")
            #expect(ids.count == Set(ids).count, "each once: \(ids.count) deliveries of \(Set(ids).count) events")
            #expect(failedIDs.count == cluster.ports.count * 4, "two failed events per round: \(failedIDs.count)")
            #expect(failedIDs.isSubset(of: Set(ids)), "a redelivery carries the webhook-id of the failed attempt")
            #expect(deliveries.allSatisfy { ($0["verified_with"] as? [Int]) == [0] && $0["id"] as? String == $0["webhook_id"] as? String })
            #expect(Set(succeeded.compactMap { Self.contractID(of: $0) }) == Set(contracts), "events of every contract")
            #expect(cluster.serverErrors().isEmpty, "\(cluster.serverErrors())")
        }

        /// The webhook-ids of `contract`'s events among `deliveries` answered `status`.
        private static func webhookIDs(_ deliveries: [[String: Any]], of contract: String, status: Int) -> Set<String> {
            Set(deliveries.filter { Self.contractID(of: $0) == contract && $0["status"] as? Int == status }.compactMap { $0["webhook_id"] as? String })
        }

        private static func contractID(of delivery: [String: Any]) -> String? {
            ((delivery["body"] as? [String: Any])?["data"] as? [String: Any])?["id"] as? String
        }
    }
}
