public import Logging
public import ServiceLifecycle
public import SignetService

/// The service's periodic work, run beside the HTTP server in the same `ServiceGroup`:
/// expiring contracts past `expires_at`, completing countersignatures a crash or a TSA
/// outage left behind, purging old idempotency records, and publishing the contracts-by-state
/// gauge; and, on its own cadence (`renewalInterval`, first at start), long-term renewal of
/// completed contracts. Each round's failure is logged and the next round tries again;
/// graceful shutdown ends the loop between rounds.
public struct BackgroundJobs: Service {
    let service: SignetService
    let interval: Duration
    let renewalInterval: Duration
    let logger: Logger
    let publishStateCounts: @Sendable ([ContractState: Int]) -> Void

    /// Jobs over `service` every `interval`, and long-term renewal every `renewalInterval`.
    public init(service: SignetService, interval: Duration = .seconds(5), renewalInterval: Duration = .seconds(3600), logger: Logger,
                publishStateCounts: @escaping @Sendable ([ContractState: Int]) -> Void = { _ in }) {
        self.service = service
        self.interval = interval
        self.renewalInterval = renewalInterval
        self.logger = logger
        self.publishStateCounts = publishStateCounts
    }

    /// Runs rounds until graceful shutdown or cancellation.
    public func run() async throws {
        var round = 0
        var lastRenewal: ContinuousClock.Instant?
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            await runOnce(purge: round % 720 == 0)
            if lastRenewal.map({ ContinuousClock.now - $0 >= renewalInterval }) ?? true {
                lastRenewal = ContinuousClock.now
                await renewDueContracts()
            }
            round += 1
            try? await Task.sleep(for: interval)
        }
    }

    /// One round of long-term renewal, logged: what was renewed, what failed (retried next
    /// round) and what cannot be renewed until the TSA certificate is replaced.
    public func renewDueContracts() async {
        let round: RenewalRound
        do {
            round = try await service.renewDueContracts()
        } catch {
            logger.error("renewal job failed", metadata: ["error": "\(ErrorCodes.code(of: error) ?? String(describing: type(of: error)))"])
            return
        }
        if round.recorded > 0 { logger.info("recorded timestamp expiries", metadata: ["count": "\(round.recorded)"]) }
        if !round.renewed.isEmpty { logger.info("renewed contracts", metadata: ["count": "\(round.renewed.count)"]) }
        for failure in round.failures {
            logger.error("renewal failed; retried next round",
                         metadata: ["contract": "\(failure.contractID)", "number": "\(failure.number)", "reason": "\(failure.reason)"])
        }
        if !round.blocked.isEmpty {
            logger.warning("contracts due for renewal wait for a TSA certificate that ends later than theirs",
                           metadata: ["count": "\(round.blocked.count)"])
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
