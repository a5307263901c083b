public import Hummingbird
import Logging
import NIOCore

/// One log line per request, when the route has answered: `method`, `route` (the matched
/// route template such as `/pki/cert/{name}`, or `unmatched`), `status`, `duration_ms` and
/// `request_id`. Never the concrete path, the query, headers or the body: they may hold ids,
/// tokens or personal data.
public struct AccessLogMiddleware: RouterMiddleware {
    /// The middleware.
    public init() {}

    /// Times the chain and logs the outcome.
    public func handle(_ request: Request, context: SignetRequestContext,
                       next: (Request, SignetRequestContext) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let elapsed = start.duration(to: .now)
        context.logger.info("request", metadata: [
            "method": .string(request.method.rawValue),
            "route": .string(RouteLabel.of(context)),
            "status": .stringConvertible(response.status.code),
            "duration_ms": .stringConvertible(RouteLabel.milliseconds(elapsed)),
        ])
        return response
    }
}

/// The route a request is counted and logged under.
enum RouteLabel {
    /// The matched route template, or `unmatched` (unknown routes are never logged by path).
    static func of(_ context: SignetRequestContext) -> String {
        guard let path = context.endpointPath, path != "NotFound" else { return "unmatched" }
        return path
    }

    /// A duration in milliseconds, to the microsecond.
    static func milliseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        let milliseconds = Double(seconds) * 1000 + Double(attoseconds) / 1e15
        return (milliseconds * 1000).rounded() / 1000
    }
}
