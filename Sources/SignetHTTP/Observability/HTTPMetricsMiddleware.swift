public import Hummingbird
import Metrics

/// Request counts and latencies per route template, method and status, through swift-metrics
/// (Prometheus: `signet_http_requests_total` and the histogram
/// `signet_http_request_duration_seconds`, labels `method`, `route`, `status`). Unknown
/// routes are counted as `unmatched`, never by their path (which would let any client grow
/// the metric set without bound). `signet_http_requests_in_flight` is a gauge of the requests
/// being handled (from their head to their response).
public struct HTTPMetricsMiddleware: RouterMiddleware {
    /// The counter's label.
    public static let requestsLabel = "signet_http_requests_total"
    /// The latency histogram's label.
    public static let durationLabel = "signet_http_request_duration_seconds"

    /// The in-flight gauge's label.
    public static let inFlightLabel = "signet_http_requests_in_flight"

    /// The middleware.
    public init() {}

    /// Times the chain and records the outcome.
    public func handle(_ request: Request, context: SignetRequestContext,
                       next: (Request, SignetRequestContext) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let inFlight = Meter(label: Self.inFlightLabel)
        inFlight.increment()
        defer { inFlight.decrement() }
        let response = try await next(request, context)
        let dimensions = [("method", request.method.rawValue), ("route", RouteLabel.of(context)), ("status", String(response.status.code))]
        Counter(label: Self.requestsLabel, dimensions: dimensions).increment()
        Metrics.Timer(label: Self.durationLabel, dimensions: dimensions).record(duration: start.duration(to: .now))
        return response
    }
}
