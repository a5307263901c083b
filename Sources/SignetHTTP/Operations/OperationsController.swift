import FoundationEssentials
import HTTPTypes
public import Hummingbird
import Logging
import NIOCore

/// The operator's routes, without authentication: `GET /healthz` (the process answers),
/// `GET /readyz` (every `ReadinessCheck` passes, else 503 `not_ready`), `GET /metrics`
/// (Prometheus text format) and `GET /openapi.json`.
public struct OperationsController: Sendable {
    /// The readiness checks, run in order on every `/readyz`.
    public let readinessChecks: [ReadinessCheck]
    /// The OpenAPI document's bytes.
    public let openAPIDocument: [UInt8]

    /// A controller with these checks and document.
    public init(readinessChecks: [ReadinessCheck], openAPIDocument: [UInt8]) {
        self.readinessChecks = readinessChecks
        self.openAPIDocument = openAPIDocument
    }

    /// Adds the routes to `group`.
    public func endpoints(to group: RouterGroup<SignetRequestContext>) {
        group.get("/healthz") { _, _ in
            Self.json(Array(#"{"status":"ok"}"#.utf8))
        }
        group.get("/readyz") { _, context in
            try await readiness(context: context)
        }
        group.get("/metrics") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: PrometheusMetrics.exposition())))
        }
        group.get("/openapi.json") { _, _ in
            Self.json(openAPIDocument)
        }
    }

    private func readiness(context: SignetRequestContext) async throws -> Response {
        var results: [(String, Bool)] = []
        for check in readinessChecks {
            do {
                try await check.check()
                results.append((check.name, true))
            } catch {
                context.logger.warning("readiness check failed", metadata: ["check": .string(check.name), "error": .string("\(error)")])
                results.append((check.name, false))
            }
        }
        let failed = results.filter { !$0.1 }.map(\.0)
        guard failed.isEmpty else { throw APIProblem.notReady(failedChecks: failed) }
        let body = Ready(status: "ready", checks: Dictionary(results.map { ($0.0, "ok") }) { first, _ in first })
        return Self.json(Array(try Self.encoder.encode(body)))
    }

    private struct Ready: Encodable {
        let status: String
        let checks: [String: String]
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    /// A 200 `application/json` response with `body`.
    static func json(_ body: [UInt8]) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}
