public import Logging
public import ServiceLifecycle
public import SignetService

/// The webhook delivery worker and the reminders, beside the HTTP server in the same
/// `ServiceGroup`: every `interval` it records due reminders and sends the due deliveries
/// (`WebhookDeliveryWorker`). A round's failure is logged and the next tries again; graceful
/// shutdown ends the loop between rounds (a delivery in flight finishes or, if the process
/// dies, is due again when its lease lapses).
public struct WebhookJobs: Service {
    let worker: WebhookDeliveryWorker
    let interval: Duration
    let logger: Logger

    /// Jobs over `service` every `interval`.
    public init(service: SignetService, interval: Duration = .milliseconds(500), logger: Logger) {
        worker = WebhookDeliveryWorker(service: service)
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

    /// One round: reminders, then deliveries.
    public func runOnce() async {
        do {
            let reminders = try await worker.service.recordDueReminders()
            if reminders > 0 { logger.info("recorded reminders", metadata: ["count": "\(reminders)"]) }
            _ = try await worker.runOnce()
        } catch {
            logger.error("webhook job failed", metadata: ["error": "\(ErrorCodes.code(of: error) ?? String(describing: type(of: error)))"])
        }
    }
}
