import FoundationEssentials
import NIOCore
import PostgresNIO
import SignetService

/// `StoreInventory` on PostgreSQL, blobs included (the `blobs` table).
struct PostgresStoreInventory: StoreInventory {
    let database: PostgresPool

    func contractRows(after: Int64?, limit: Int) async throws -> Page<StoredContractRow> {
        let limit = InventoryPaging.clamp(limit)
        let rows = try await database.read { session in
            try await session.rows("SELECT seq, id, state FROM contracts WHERE seq > \(after ?? 0) ORDER BY seq LIMIT \(limit + 1)").map {
                StoredContractRow(sequence: try $0.value("seq"), id: try $0.value("id"), state: try $0.value("state"))
            }
        }
        return .postgres(fetched: rows, limit: limit, orderingKey: \.sequence)
    }

    func documents(after: Int64?, limit: Int) async throws -> Page<PaperDocument> {
        let limit = InventoryPaging.clamp(limit)
        let documents = try await database.read { session in
            try await session.rows("SELECT * FROM documents WHERE seq > \(after ?? 0) ORDER BY seq LIMIT \(limit + 1)")
                .map(PostgresDocumentRepository.document)
        }
        return .postgres(fetched: documents, limit: limit, orderingKey: \.sequence)
    }

    func outboxEntries(after: Int64?, limit: Int) async throws -> Page<OutboxEntry> {
        let limit = InventoryPaging.clamp(limit)
        let rows = try await database.read { session in
            try await session.rows("SELECT seq, type, payload FROM webhook_events WHERE seq > \(after ?? 0) AND NOT sealed ORDER BY seq LIMIT \(limit + 1)")
                .map { row -> (Int64, OutboxEntry) in
                    var payload = try row.value("payload", as: ByteBuffer.self)
                    let bytes = payload.readBytes(length: payload.readableBytes) ?? []
                    return (try row.value("seq"), InventoryPaging.outboxEntry(type: try row.value("type"), payload: Data(bytes)))
                }
        }
        let kept = Array(rows.prefix(limit))
        return Page(items: kept.map(\.1), next: rows.count > limit ? kept.last?.0 : nil)
    }

    func blobs(after: String?, limit: Int) async throws -> [StoredBlob] {
        let limit = InventoryPaging.clamp(limit)
        return try await database.read { session in
            try await session.rows("SELECT sha256, size, created_at FROM blobs WHERE sha256 > \(after ?? "") ORDER BY sha256 LIMIT \(limit)").map {
                StoredBlob(sha256: try $0.value("sha256"), size: Int(try $0.value("size", as: Int64.self)), storedAt: try $0.requiredDate("created_at"))
            }
        }
    }

    func deleteOrphanedBlob(_ sha256: String, storedBefore: Date) async throws -> Bool {
        let pattern = "%\(sha256)%"
        let cutoff = ColumnCoding.milliseconds(storedBefore)
        // One statement: the age and the references are checked against the rows as they are
        // when it deletes (a concurrent put of the same bytes renews `created_at` first).
        return try await database.write { session in
            try await session.execute("""
                DELETE FROM blobs WHERE sha256 = \(sha256) AND created_at < \(cutoff)
                    AND NOT EXISTS (SELECT 1 FROM contracts WHERE original_sha256 = \(sha256) OR signed_sha256 = \(sha256) OR evidence_sha256 = \(sha256))
                    AND NOT EXISTS (SELECT 1 FROM documents WHERE original_sha256 = \(sha256) OR sealed_sha256 = \(sha256))
                    AND NOT EXISTS (SELECT 1 FROM audit_events WHERE data LIKE \(pattern))
                """)
        } == 1
    }
}
