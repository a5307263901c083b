public import Foundation
import SignetCrypto

/// Tests/Fixtures/webhook-receiver.py running on a loopback port: a webhook endpoint that
/// verifies every delivery with the Standard Webhooks reference library (`standardwebhooks`)
/// and records it, and that can be told which secrets to verify with and how to answer
/// (500 N times, 410, `Retry-After`).
public final class WebhookReceiver: Sendable {
    let server: FixtureServer
    let records: URL
    /// The receiver's port on 127.0.0.1.
    public let port: Int
    /// The URL deliveries go to.
    public var url: String { "http://127.0.0.1:\(port)/hook" }

    /// Starts a receiver.
    public init() throws {
        records = FileManager.default.temporaryDirectory.appendingPathComponent("webhooks-\(UUID().uuidString).json")
        server = try FixtureServer(script: "webhook-receiver.py", arguments: [records.path])
        port = try server.ports(1)[0]
    }

    /// Changes the receiver's state: `secrets`, `fail`, `fail_status`, `retry_after`, `gone`.
    public func control(_ settings: [String: Any]) async throws {
        let body = [UInt8](try JSONSerialization.data(withJSONObject: settings))
        _ = try await AsyncHTTPClientTransport().post(body, to: URL(string: "http://127.0.0.1:\(port)/control")!,
                                                      contentType: "application/json", accept: "*/*", timeout: 10)
    }

    /// Every delivery so far, in arrival order: `webhook_id`, `id`, `type`, `verified_with`
    /// (indexes of the secrets that verified it), `status` (the answer), `host`,
    /// `signatures` (how many), `body` (the event, when verified).
    public func deliveries() throws -> [[String: Any]] {
        guard let data = try? Data(contentsOf: records) else { return [] }
        return try JSONSerialization.jsonObject(with: data) as? [[String: Any]] ?? []
    }

    /// Waits (polling, at most `limit` seconds) until `condition` holds for the deliveries;
    /// returns them either way, for the test to judge.
    @discardableResult
    public func wait(limit: TimeInterval = TestTimeouts.exchange, until condition: ([[String: Any]]) -> Bool) async throws -> [[String: Any]] {
        let deadline = Date().addingTimeInterval(limit)
        while Date() < deadline {
            let got = try deliveries()
            if condition(got) { return got }
            try await Task.sleep(for: .milliseconds(100))
        }
        return try deliveries()
    }

    deinit { server.stop() }
}
