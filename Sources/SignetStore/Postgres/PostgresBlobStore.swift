import FoundationEssentials
import PostgresNIO
import SignetArchive
import SignetService

/// `BlobStore` on PostgreSQL.
struct PostgresBlobStore: BlobStore {
    let database: PostgresPool

    func put(_ bytes: [UInt8]) async throws -> StoredDocument {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func get(_ sha256: String) async throws -> [UInt8] {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func contains(_ sha256: String) async throws -> Bool {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }
}
