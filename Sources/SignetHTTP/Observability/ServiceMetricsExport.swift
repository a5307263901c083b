import Metrics
public import SignetService

/// The service's own metrics, recorded through swift-metrics (and so, under `signet serve`,
/// exported by Prometheus at `/metrics`):
///
/// - `signet_contracts{state}`: a gauge, contracts per lifecycle state (published by the
///   background jobs from the database, so it is right after a restart too);
/// - `signet_operation_duration_seconds{operation}`: a histogram of the slow steps —
///   `render`, `sign_merchant` (event certificate, CMS, timestamp), `countersign` (seal,
///   B-LTA), `seal_document` (paper copies);
/// - `signet_contract_transitions_total{state}`: a counter of committed state changes;
/// - `signet_operation_failures_total{operation}`: operations that failed and are retried
///   (a countersignature while the TSA is down; `renewal`: a long-term renewal);
/// - `signet_renewals_total`: completed contracts' signed PDFs renewed (long-term renewal).
public enum ServiceMetricsExport {
    /// The contracts-by-state gauge's label.
    public static let contractsLabel = "signet_contracts"
    /// The duration histogram's label.
    public static let durationLabel = "signet_operation_duration_seconds"
    /// The label of the counter of failed operations that are retried later.
    public static let failuresLabel = "signet_operation_failures_total"
    /// The transitions counter's label.
    public static let transitionsLabel = "signet_contract_transitions_total"
    /// The label of the counter of long-term renewals.
    public static let renewalsLabel = "signet_renewals_total"

    /// The `ServiceMetrics` that record into swift-metrics.
    public static var serviceMetrics: ServiceMetrics {
        ServiceMetrics(
            recordDuration: { operation, seconds in
                Metrics.Timer(label: durationLabel, dimensions: [("operation", operation)], preferredDisplayUnit: .seconds)
                    .recordSeconds(seconds)
            },
            recordTransition: { state in
                Counter(label: transitionsLabel, dimensions: [("state", state.rawValue)]).increment()
            },
            recordFailure: { operation in
                Counter(label: failuresLabel, dimensions: [("operation", operation)]).increment()
            },
            recordRenewal: { Counter(label: renewalsLabel).increment() })
    }

    /// Publishes how many contracts are in each state (every state, zeros included).
    public static func publish(_ counts: [ContractState: Int]) {
        for state in ContractState.allCases {
            Gauge(label: contractsLabel, dimensions: [("state", state.rawValue)]).record(counts[state] ?? 0)
        }
    }
}
