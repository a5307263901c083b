import FoundationEssentials
import PostgresNIO
import SignetArchive
import SignetService

/// `MerchantRepository` on PostgreSQL.
struct PostgresMerchantRepository: MerchantRepository {
    let database: PostgresPool

    func insert(_ merchant: Merchant) async throws {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func merchant(id: String) async throws -> Merchant? {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func merchant(externalID: String) async throws -> Merchant? {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func merchants(page: PageRequest) async throws -> Page<Merchant> {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }
}
