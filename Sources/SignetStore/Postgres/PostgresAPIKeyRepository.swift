import FoundationEssentials
import PostgresNIO
import SignetArchive
import SignetService

/// `APIKeyRepository` on PostgreSQL.
struct PostgresAPIKeyRepository: APIKeyRepository {
    let database: PostgresPool

    func insert(_ key: APIKeyRecord) async throws {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func key(hash: String) async throws -> APIKeyRecord? {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func keys() async throws -> [APIKeyRecord] {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func revoke(id: String, at date: Date) async throws -> Bool {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }
}
