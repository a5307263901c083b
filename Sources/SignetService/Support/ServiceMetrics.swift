public import FoundationEssentials

/// Where the service reports what operators watch: render and signing durations, state
/// changes. The HTTP layer connects these to its metrics system; by default nothing is
/// recorded.
public struct ServiceMetrics: Sendable {
    /// A duration of `operation` (`render`, `sign_merchant`, `countersign`, `seal_document`, `renew`), in seconds.
    public var recordDuration: @Sendable (_ operation: String, _ seconds: Double) -> Void
    /// A contract moved to `state`.
    public var recordTransition: @Sendable (_ state: ContractState) -> Void
    /// An `operation` failed and will be retried (e.g. a countersignature while the TSA is down).
    public var recordFailure: @Sendable (_ operation: String) -> Void
    /// A completed contract's signed PDF was renewed (long-term renewal; its failures go to
    /// `recordFailure("renewal")`).
    public var recordRenewal: @Sendable () -> Void

    /// Metrics that go to the given closures (default: nowhere).
    public init(recordDuration: @escaping @Sendable (String, Double) -> Void = { _, _ in },
                recordTransition: @escaping @Sendable (ContractState) -> Void = { _ in },
                recordFailure: @escaping @Sendable (String) -> Void = { _ in },
                recordRenewal: @escaping @Sendable () -> Void = {}) {
        self.recordDuration = recordDuration
        self.recordTransition = recordTransition
        self.recordFailure = recordFailure
        self.recordRenewal = recordRenewal
    }

    /// Runs `body` and records its duration under `operation`.
    func time<T>(_ operation: String, _ body: () async throws -> T) async rethrows -> T {
        let start = ContinuousClock.now
        defer {
            let elapsed = ContinuousClock.now - start
            recordDuration(operation, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        }
        return try await body()
    }
}
