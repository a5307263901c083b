import FoundationEssentials
import GRDB
import SignetService

/// `StoreInventory` on SQLite and the blob directory (`FileBlobStore`).
struct SQLiteStoreInventory: StoreInventory {
    let database: SQLiteDatabase
    let blobStore: FileBlobStore

    func contractRows(after: Int64?, limit: Int) async throws -> Page<StoredContractRow> {
        let limit = InventoryPaging.clamp(limit)
        return try await database.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT seq, id, state FROM contracts WHERE seq > ? ORDER BY seq LIMIT ?",
                                        arguments: [after ?? 0, limit + 1])
            return try Page.from(rows, limit: limit, orderingKey: "seq") { kept in
                try kept.map { StoredContractRow(sequence: try $0.decode(forColumn: "seq"), id: try $0.decode(forColumn: "id"),
                                                 state: try $0.decode(forColumn: "state")) }
            }
        }
    }

    func documents(after: Int64?, limit: Int) async throws -> Page<PaperDocument> {
        let limit = InventoryPaging.clamp(limit)
        return try await database.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM documents WHERE seq > ? ORDER BY seq LIMIT ?", arguments: [after ?? 0, limit + 1])
            return try Page.from(rows, limit: limit, orderingKey: "seq") { try $0.map(SQLiteDocumentRepository.document) }
        }
    }

    func outboxEntries(after: Int64?, limit: Int) async throws -> Page<OutboxEntry> {
        let limit = InventoryPaging.clamp(limit)
        return try await database.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT seq, type, payload FROM webhook_events WHERE seq > ? AND sealed = 0 ORDER BY seq LIMIT ?",
                                        arguments: [after ?? 0, limit + 1])
            return try Page.from(rows, limit: limit, orderingKey: "seq") { kept in
                try kept.map { row in
                    let payload: Data = try row.decode(forColumn: "payload")
                    return InventoryPaging.outboxEntry(type: try row.decode(forColumn: "type"), payload: payload)
                }
            }
        }
    }

    func blobs(after: String?, limit: Int) async throws -> [StoredBlob] {
        try await blobStore.inventory(after: after, limit: InventoryPaging.clamp(limit))
    }

    func deleteOrphanedBlob(_ sha256: String, storedBefore: Date) async throws -> Bool {
        let blobStore = blobStore
        // In a write transaction: no commit that could name the blob runs meanwhile.
        return try await database.write { db in
            try blobStore.remove(sha256, storedBefore: storedBefore) {
                try Bool.fetchOne(db, sql: """
                    SELECT EXISTS (SELECT 1 FROM contracts WHERE original_sha256 = ?1 OR signed_sha256 = ?1 OR evidence_sha256 = ?1)
                        OR EXISTS (SELECT 1 FROM documents WHERE original_sha256 = ?1 OR sealed_sha256 = ?1)
                        OR EXISTS (SELECT 1 FROM audit_events WHERE data LIKE ?2)
                    """, arguments: [sha256, "%\(sha256)%"]) == false
            }
        }
    }
}

/// What both backends' inventories share.
enum InventoryPaging {
    /// A page size in 1…1000.
    static func clamp(_ limit: Int) -> Int { min(max(limit, 1), 1000) }

    /// An outbox event's type and the `data.id` of its JSON payload (nil when the payload is
    /// not such JSON).
    static func outboxEntry(type: String, payload: Data) -> OutboxEntry {
        struct Body: Decodable {
            struct Resource: Decodable { let id: String? }
            let data: Resource?
        }
        return OutboxEntry(type: type, subjectID: (try? JSONDecoder().decode(Body.self, from: payload))?.data?.id)
    }
}
