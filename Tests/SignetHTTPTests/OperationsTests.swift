import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SignetHTTP
import SignetService
import SignetTestSupport
import Testing

@Suite("Operations routes")
struct OperationsTests {
    struct Broken: Error {}

    @Test("/healthz is ok; /readyz lists its checks, or is 503 not_ready naming the failed one")
    func healthAndReadiness() async throws {
        let ready = [ReadinessCheck(name: "database") {}, ReadinessCheck(name: "keys") {}]
        try await TestApplication.make(readiness: ready).test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json")
                #expect(String(buffer: response.body) == #"{"status":"ok"}"#)
            }
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"checks":{"database":"ok","keys":"ok"},"status":"ready"}"#)
            }
        }
        let log = LogCapture()
        let failing = [ReadinessCheck(name: "database") {}, ReadinessCheck(name: "blobs") { throw Broken() }]
        try await TestApplication.make(log: log, readiness: failing).test(.router) { client in
            try await client.execute(uri: "/readyz", method: .get) { response in
                let body = try ProblemTests.expectProblem(response, status: .serviceUnavailable, code: "not_ready")
                #expect(body["detail"] as? String == "Failed readiness checks: blobs.")
            }
        }
        #expect(log.lines.contains { $0.contains("readiness check failed") && $0.contains(#""check":"blobs""#) })
    }

    @Test("/metrics is the Prometheus text format with request counts and latencies per route template, and the service's metrics")
    func metrics() async throws {
        // Recorded after the application exists: building it bootstraps the metrics system,
        // and what is recorded before that (when this test runs first) goes nowhere.
        let app = try TestApplication.make()
        ServiceMetricsExport.publish([.sent: 7])
        ServiceMetricsExport.serviceMetrics.recordDuration("sign_merchant", 0.04)
        try await app.test(.router) { client in
            try await client.execute(uri: "/pki/cert/tsa.cer", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/no/such/route/x1", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
                let text = String(buffer: response.body)
                #expect(text.contains("# TYPE signet_http_requests_total counter"))
                #expect(text.contains(#"signet_http_requests_total{method="GET",route="/pki/cert/{name}.cer",status="200"}"#), "\(text)")
                #expect(text.contains(#"signet_http_request_duration_seconds_bucket{method="GET",route="/pki/cert/{name}.cer",status="200",le="0.001"}"#))
                #expect(text.contains(#"signet_http_requests_total{method="GET",route="unmatched",status="404"}"#))
                #expect(!text.contains("x1"), "an unknown path never becomes a label")
                #expect(text.contains(#"signet_contracts{state="sent"} 7"#), "\(text)")
                #expect(text.contains(#"signet_operation_duration_seconds_count{operation="sign_merchant"}"#), "\(text)")
                #expect(text.contains(#"signet_contracts{state="completed"} 0"#), "every state is published")
            }
        }
    }

    @Test("/openapi.json serves the bundled document byte for byte")
    func openAPIDocument() async throws {
        let file = try Data(contentsOf: RepositoryPaths.root.appendingPathComponent("Sources/SignetHTTP/Resources/openapi.json"))
        try await TestApplication.make().test(.router) { client in
            try await client.execute(uri: "/openapi.json", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json")
                #expect(response.body.bytes == Array(file))
            }
        }
    }
}
