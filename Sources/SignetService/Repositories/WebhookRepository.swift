public import FoundationEssentials

/// Webhook endpoints, the event outbox, deliveries and their attempts. Contract and document
/// events enter the outbox inside `ContractRepository.insert`/`apply` and
/// `DocumentRepository.insert` (`WebhookOutbox`); this repository adds events that belong to
/// no such change (a one-time code) and runs the deliveries.
public protocol WebhookRepository: Sendable {
    /// Inserts an endpoint; with a `claim`, records it as the key's resource in the same
    /// transaction (`StoreError.duplicate("idempotency.resource_id")` when the key names one
    /// already).
    func insert(_ endpoint: WebhookEndpoint, claim: IdempotencyKey?) async throws
    /// The endpoint with `id` (nil when absent or deleted).
    func endpoint(id: String) async throws -> WebhookEndpoint?
    /// The endpoints, newest first.
    func endpoints(page: PageRequest) async throws -> Page<WebhookEndpoint>
    /// Replaces the stored secrets of an endpoint; false when there is no such endpoint.
    func updateSecrets(endpointID: String, sealedSecrets: [UInt8]) async throws -> Bool
    /// Deletes an endpoint (its pending deliveries fail); false when there is none.
    func deleteEndpoint(id: String, at date: Date) async throws -> Bool
    /// Appends events to the outbox (in one transaction).
    func insert(events: [WebhookEvent]) async throws
    /// Fans undispatched events out to a delivery per subscribed, enabled endpoint (at most
    /// one per event and endpoint), due at `now`; returns how many events it dispatched.
    func dispatch(now: Date, limit: Int) async throws -> Int
    /// Claims up to `limit` pending deliveries due at `now`: each is leased until
    /// `leaseUntil` (a crashed worker's claim lapses then), in one transaction.
    func claimDue(now: Date, leaseUntil: Date, limit: Int) async throws -> [DueWebhookDelivery]
    /// Records an attempt and what it decided; a delivered sealed payload is dropped once
    /// no delivery of its event is pending.
    func record(deliveryID: String, outcome: WebhookAttemptOutcome, at date: Date) async throws
    /// The delivery with `id`.
    func delivery(id: String) async throws -> WebhookDelivery?
    /// An endpoint's deliveries, newest first.
    func deliveries(endpointID: String, page: PageRequest) async throws -> Page<WebhookDelivery>
    /// A delivery's attempts in order.
    func attempts(deliveryID: String) async throws -> [WebhookAttempt]
    /// Makes a delivery pending again, due at `now` (a manual retry), unless its event's
    /// sealed payload was dropped; nil when there is no such delivery.
    func retry(deliveryID: String, now: Date) async throws -> WebhookRetryOutcome?
    /// Ids of contracts in `sent`/`viewed`, sent at or before `sentBefore` and not expired at
    /// `now`, with a link signer who has not signed, declined or had the reminder `after`
    /// (a `signer.reminder_due` audit event with that `after`).
    func contractsAwaitingReminder(after: String, sentBefore: Date, now: Date, limit: Int) async throws -> [String]
    /// The outbox events of `type` in order (for tests and tools).
    func events(type: String?, limit: Int) async throws -> [WebhookEvent]
}

extension WebhookRepository {
    /// Inserts an endpoint with no idempotency claim.
    public func insert(_ endpoint: WebhookEndpoint) async throws {
        try await insert(endpoint, claim: nil)
    }
}
