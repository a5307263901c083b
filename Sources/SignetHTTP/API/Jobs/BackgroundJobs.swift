public import Logging
public import ServiceLifecycle
public import SignetService

/// The service's periodic work, run beside the HTTP server in the same `ServiceGroup`:
/// expiring contracts past `expires_at`, completing countersignatures a crash or a TSA
/// outage left behind, purging old idempotency records, and publishing the contracts-by-state
/// gauge. Each round's failure is logged and the next round tries again; graceful shutdown
/// ends the loop between rounds.
public struct BackgroundJobs: Service {
    let service: SignetService
    let interval: Duration
    let logger: Logger
    let publishStateCounts: @Sendable ([ContractState: Int]) -> Void

    /// Jobs over `service` every `interval`.
    public init(service: SignetService, interval: Duration = .seconds(5), logger: Logger,
                publishStateCounts: @escaping @Sendable ([ContractState: Int]) -> Void = { _ in }) {
        self.service = service
        self.interval = interval
        self.logger = logger
        self.publishStateCounts = publishStateCounts
    }

    /// Runs rounds until graceful shutdown or cancellation.
    public func run() async throws {
        var round = 0
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            await runOnce(purge: round % 720 == 0)
            round += 1
            try? await Task.sleep(for: interval)
        }
    }

    /// One round of every job.
    public func runOnce(purge: Bool = false) async {
        do {
            let expired = try await service.expireDueContracts()
            if expired > 0 { logger.info("expired contracts", metadata: ["count": "\(expired)"]) }
        } catch {
            logger.error("expiry job failed", metadata: ["error": "\(ErrorCodes.code(of: error) ?? String(describing: type(of: error)))"])
        }
        let completed = await service.resumeCountersignatures()
        if completed > 0 { logger.info("completed pending countersignatures", metadata: ["count": "\(completed)"]) }
        let sealed = await service.sealPendingEvidenceReports()
        if sealed > 0 { logger.info("sealed evidence reports", metadata: ["count": "\(sealed)"]) }
        if purge { _ = try? await service.purgeIdempotencyRecords() }
        if let counts = try? await service.storage.contracts.countByState() { publishStateCounts(counts) }
    }
}
