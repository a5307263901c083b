import FoundationEssentials
import PostgresNIO
import SignetService

/// `DocumentRepository` on PostgreSQL's `documents` table; the `document.certified` webhook
/// event commits with the document (the outbox).
struct PostgresDocumentRepository: DocumentRepository {
    let database: PostgresPool

    func insert(_ document: PaperDocument, claim: IdempotencyKey?) async throws -> PaperDocument {
        let event = try WebhookOutbox.documentCertified(document)
        return try await database.write { session in
            try await PostgresIdempotencyClaim.record(document.id, under: claim, session)
            let row = try await session.row("""
                INSERT INTO documents (id, merchant_id, title, original_sha256, original_size, original_page_count,
                    sealed_sha256, sealed_size, sealed_page_count, created_at)
                VALUES (\(document.id), \(document.merchantID), \(document.title), \(document.original.sha256),
                    \(document.original.size), \(document.original.pageCount), \(document.sealed.sha256),
                    \(document.sealed.size), \(document.sealed.pageCount), \(ColumnCoding.milliseconds(document.createdAt)))
                RETURNING *
                """)
            try await PostgresOutbox.insert([event], session)
            return try Self.document(try required(row, "document just inserted"))
        }
    }

    func document(id: String) async throws -> PaperDocument? {
        try await database.read { session in
            try await session.row("SELECT * FROM documents WHERE id = \(id)").map(Self.document)
        }
    }

    func documents(merchantID: String, page: PageRequest) async throws -> Page<PaperDocument> {
        let documents = try await database.read { session in
            try await session.rows("""
                SELECT * FROM documents WHERE merchant_id = \(merchantID) AND seq < \(page.after ?? Int64.max)
                ORDER BY seq DESC LIMIT \(page.limit + 1)
                """).map(Self.document)
        }
        return .postgres(fetched: documents, limit: page.limit, orderingKey: \.sequence)
    }

    /// A document from its row.
    static func document(_ row: PostgresRandomAccessRow) throws -> PaperDocument {
        PaperDocument(
            id: try row.value("id"), merchantID: try row.value("merchant_id"), title: try row.value("title"),
            original: try required(row.storedDocument(prefix: "original"), "document original"),
            sealed: try required(row.storedDocument(prefix: "sealed"), "document sealed copy"),
            createdAt: try row.requiredDate("created_at"), sequence: try row.value("seq"))
    }
}
