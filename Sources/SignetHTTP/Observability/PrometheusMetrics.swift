public import Prometheus
import Metrics

/// The process's Prometheus registry behind swift-metrics. `MetricsSystem` can be
/// bootstrapped once per process, so the first `bootstrap()` installs the factory and later
/// calls (every application a test builds) get the same registry. Everything recorded through
/// swift-metrics — the HTTP middleware, `ServiceMetrics` in SignetService — lands here and
/// is served at `/metrics`.
public enum PrometheusMetrics {
    private static let shared: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // Request latencies from 1 ms: most routes answer in a few milliseconds.
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
        ]
        MetricsSystem.bootstrap(factory)
        return registry
    }()

    /// Bootstraps swift-metrics with the Prometheus factory (first call only) and returns
    /// the registry.
    @discardableResult
    public static func bootstrap() -> PrometheusCollectorRegistry { shared }

    /// The registry in the Prometheus text exposition format (version 0.0.4).
    public static func exposition() -> [UInt8] { shared.emitToBuffer() }
}
