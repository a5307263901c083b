import FoundationEssentials
import PostgresNIO
import SignetService

/// `APIKeyRepository` on PostgreSQL's `api_keys` table (hashes only: the table never holds a key).
struct PostgresAPIKeyRepository: APIKeyRepository {
    let database: PostgresPool

    func insert(_ key: APIKeyRecord) async throws {
        try await database.write { session in
            _ = try await session.execute("""
                INSERT INTO api_keys (id, name, prefix, hash, created_at, revoked_at)
                VALUES (\(key.id), \(key.name), \(key.prefix), \(key.hash), \(ColumnCoding.milliseconds(key.createdAt)),
                    \(ColumnCoding.milliseconds(key.revokedAt)))
                """)
        }
    }

    func key(hash: String) async throws -> APIKeyRecord? {
        try await database.read { session in
            try await session.row("SELECT * FROM api_keys WHERE hash = \(hash)").map(Self.key)
        }
    }

    func keys() async throws -> [APIKeyRecord] {
        try await database.read { session in
            try await session.rows("SELECT * FROM api_keys ORDER BY seq DESC").map(Self.key)
        }
    }

    func revoke(id: String, at date: Date) async throws -> Bool {
        try await database.write { session in
            try await session.execute("""
                UPDATE api_keys SET revoked_at = \(ColumnCoding.milliseconds(date)) WHERE id = \(id) AND revoked_at IS NULL
                """) == 1
        }
    }

    /// A key record from its row.
    static func key(_ row: PostgresRandomAccessRow) throws -> APIKeyRecord {
        APIKeyRecord(
            id: try row.value("id"), name: try row.value("name"), prefix: try row.value("prefix"),
            hash: try row.value("hash"), createdAt: try row.requiredDate("created_at"), revokedAt: try row.date("revoked_at"))
    }
}
