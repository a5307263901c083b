import FoundationEssentials
import GRDB
import SignetService

/// `APIKeyRepository` on the `api_keys` table (hashes only: the table never holds a key).
struct SQLiteAPIKeyRepository: APIKeyRepository {
    let database: SQLiteDatabase

    func insert(_ key: APIKeyRecord) async throws {
        try await database.write { db in
            try db.execute(
                sql: "INSERT INTO api_keys (id, name, prefix, hash, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [key.id, key.name, key.prefix, key.hash, ColumnCoding.milliseconds(key.createdAt),
                            ColumnCoding.milliseconds(key.revokedAt)])
        }
    }

    func key(hash: String) async throws -> APIKeyRecord? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM api_keys WHERE hash = ?", arguments: [hash]).map(Self.key)
        }
    }

    func keys() async throws -> [APIKeyRecord] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM api_keys ORDER BY seq DESC").map(Self.key)
        }
    }

    func revoke(id: String, at date: Date) async throws -> Bool {
        try await database.write { db in
            try db.execute(sql: "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                           arguments: [ColumnCoding.milliseconds(date), id])
            return db.changesCount == 1
        }
    }

    /// A key record from its row.
    static func key(_ row: Row) throws -> APIKeyRecord {
        APIKeyRecord(
            id: try row.decode(forColumn: "id"), name: try row.decode(forColumn: "name"),
            prefix: try row.decode(forColumn: "prefix"), hash: try row.decode(forColumn: "hash"),
            createdAt: try row.requiredDate("created_at"), revokedAt: try row.date("revoked_at"))
    }
}
