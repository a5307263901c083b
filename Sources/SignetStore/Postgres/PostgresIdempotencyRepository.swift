import FoundationEssentials
import PostgresNIO
import SignetArchive
import SignetService

/// `IdempotencyRepository` on PostgreSQL.
struct PostgresIdempotencyRepository: IdempotencyRepository {
    let database: PostgresPool

    func begin(_ key: IdempotencyKey, requestHash: String, now: Date, lockedUntil: Date) async throws -> IdempotencyStart {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func complete(_ key: IdempotencyKey, response: StoredResponse, at date: Date) async throws {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func release(_ key: IdempotencyKey) async throws {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func purge(createdBefore date: Date) async throws -> Int {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }
}
