import GRDB
import SignetService

/// `DocumentRepository` on the `documents` table.
struct SQLiteDocumentRepository: DocumentRepository {
    let database: SQLiteDatabase

    func insert(_ document: PaperDocument, claim: IdempotencyKey?) async throws -> PaperDocument {
        try await database.write { db in
            try IdempotencyClaimRows.record(document.id, under: claim, db)
            try db.execute(
                sql: """
                    INSERT INTO documents (id, merchant_id, title, original_sha256, original_size, original_page_count,
                        sealed_sha256, sealed_size, sealed_page_count, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [document.id, document.merchantID, document.title, document.original.sha256,
                            document.original.size, document.original.pageCount, document.sealed.sha256,
                            document.sealed.size, document.sealed.pageCount, ColumnCoding.milliseconds(document.createdAt)])
            try WebhookRows.insert([try WebhookOutbox.documentCertified(document)], db)
            return try required(
                Row.fetchOne(db, sql: "SELECT * FROM documents WHERE id = ?", arguments: [document.id]).map(Self.document),
                "document just inserted")
        }
    }

    func document(id: String) async throws -> PaperDocument? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM documents WHERE id = ?", arguments: [id]).map(Self.document)
        }
    }

    func documents(merchantID: String, page: PageRequest) async throws -> Page<PaperDocument> {
        try await database.read { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT * FROM documents WHERE merchant_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?",
                arguments: [merchantID, page.after ?? Int64.max, page.limit + 1])
            return try Page.from(rows, limit: page.limit, orderingKey: "seq") { try $0.map(Self.document) }
        }
    }

    /// A document from its row.
    static func document(_ row: Row) throws -> PaperDocument {
        PaperDocument(
            id: try row.decode(forColumn: "id"), merchantID: try row.decode(forColumn: "merchant_id"),
            title: try row.decode(forColumn: "title"),
            original: try required(row.document(prefix: "original"), "document original"),
            sealed: try required(row.document(prefix: "sealed"), "document sealed copy"),
            createdAt: try row.requiredDate("created_at"), sequence: try row.decode(forColumn: "seq"))
    }
}
