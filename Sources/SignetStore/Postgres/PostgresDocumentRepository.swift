import FoundationEssentials
import PostgresNIO
import SignetArchive
import SignetService

/// `DocumentRepository` on PostgreSQL.
struct PostgresDocumentRepository: DocumentRepository {
    let database: PostgresPool

    func insert(_ document: PaperDocument) async throws -> PaperDocument {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func document(id: String) async throws -> PaperDocument? {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func documents(merchantID: String, page: PageRequest) async throws -> Page<PaperDocument> {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }
}
