import Metrics

/// The service's own metrics, recorded through swift-metrics (the `Metrics` API only: the
/// HTTP layer decides where they go — Prometheus at `/metrics` under `signet serve`, nowhere
/// in a process that bootstrapped nothing).
///
/// - `signet_contracts{state}`: a gauge, contracts per lifecycle state;
/// - `signet_signing_duration_seconds{role}`: a histogram of signing calls (`merchant`,
///   `platform`);
/// - `signet_rendering_duration_seconds`: a histogram of contract renders.
public enum ServiceMetrics {
    /// The contracts-by-state gauge's label.
    public static let contractsLabel = "signet_contracts"
    /// The signing-duration histogram's label.
    public static let signingDurationLabel = "signet_signing_duration_seconds"
    /// The rendering-duration histogram's label.
    public static let renderingDurationLabel = "signet_rendering_duration_seconds"

    /// Sets how many contracts are in `state` (e.g. `sent`).
    public static func setContracts(_ count: Int, inState state: String) {
        Gauge(label: contractsLabel, dimensions: [("state", state)]).record(count)
    }

    /// Records one signing call of `role` that took `duration`.
    public static func recordSigning(_ duration: Duration, role: String) {
        Metrics.Timer(label: signingDurationLabel, dimensions: [("role", role)]).record(duration: duration)
    }

    /// Records one render that took `duration`.
    public static func recordRendering(_ duration: Duration) {
        Metrics.Timer(label: renderingDurationLabel, dimensions: []).record(duration: duration)
    }

    /// Runs `body`, recording its duration as a signing of `role` (also when it throws).
    public static func timeSigning<T>(role: String, _ body: () async throws -> T) async rethrows -> T {
        let start = ContinuousClock.now
        defer { recordSigning(start.duration(to: .now), role: role) }
        return try await body()
    }
}
