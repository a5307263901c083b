import FoundationEssentials
import PostgresNIO
import SignetArchive
import SignetService

/// `WebhookRepository` on PostgreSQL.
struct PostgresWebhookRepository: WebhookRepository {
    let database: PostgresPool

    func insert(_ endpoint: WebhookEndpoint) async throws {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func endpoint(id: String) async throws -> WebhookEndpoint? {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func endpoints(page: PageRequest) async throws -> Page<WebhookEndpoint> {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func updateSecrets(endpointID: String, sealedSecrets: [UInt8]) async throws -> Bool {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func deleteEndpoint(id: String, at date: Date) async throws -> Bool {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func insert(events: [WebhookEvent]) async throws {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func dispatch(now: Date, limit: Int) async throws -> Int {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func claimDue(now: Date, leaseUntil: Date, limit: Int) async throws -> [DueWebhookDelivery] {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func record(deliveryID: String, outcome: WebhookAttemptOutcome, at date: Date) async throws {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func delivery(id: String) async throws -> WebhookDelivery? {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func deliveries(endpointID: String, page: PageRequest) async throws -> Page<WebhookDelivery> {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func attempts(deliveryID: String) async throws -> [WebhookAttempt] {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func retry(deliveryID: String, now: Date) async throws -> WebhookRetryOutcome? {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func contractsAwaitingReminder(after: String, sentBefore: Date, now: Date, limit: Int) async throws -> [String] {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func events(type: String?, limit: Int) async throws -> [WebhookEvent] {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }
}
