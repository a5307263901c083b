public import Logging
public import ServiceLifecycle
public import SignetService

/// The export worker, beside the HTTP server in the same `ServiceGroup`: every `interval`,
/// jobs whose worker stopped (left `running` with their lease passed, on any instance) go back
/// to the queue, then it runs the queued jobs one at a time, oldest first
/// (`SignetService.runNextExportJob`). Workers on several instances share the queue: each job
/// is claimed by one. A failure is logged and recorded in the job; graceful shutdown ends the
/// loop between jobs (a job cut short by the process dying is run again once its lease passes,
/// by whichever instance looks first).
public struct ExportJobs: Service {
    let service: SignetService
    let interval: Duration
    let logger: Logger

    /// A worker over `service`, looking for queued jobs every `interval`.
    public init(service: SignetService, interval: Duration = .seconds(1), logger: Logger) {
        self.service = service
        self.interval = interval
        self.logger = logger
    }

    /// Runs rounds until graceful shutdown or cancellation.
    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            await runOnce()
            try? await Task.sleep(for: interval)
        }
    }

    /// One round: interrupted jobs requeued, then every queued job in turn, until none is
    /// left or shutdown begins.
    public func runOnce() async {
        do {
            let requeued = try await service.requeueInterruptedExports()
            if requeued > 0 { logger.info("requeued interrupted exports", metadata: ["count": "\(requeued)"]) }
        } catch {
            logger.error("export requeue failed", metadata: ["error": "\(ErrorCodes.code(of: error) ?? String(describing: type(of: error)))"])
        }
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                guard let job = try await service.runNextExportJob() else { return }
                var metadata: Logger.Metadata = ["export": .string(job.id), "state": .string(job.state.rawValue),
                                                 "contracts": "\(job.progress.done)"]
                if let error = job.error { metadata["error"] = .string(error.code) }
                logger.info("export finished", metadata: metadata)
            } catch {
                logger.error("export job failed", metadata: ["error": "\(ErrorCodes.code(of: error) ?? String(describing: type(of: error)))"])
                return
            }
        }
    }
}
