import GRDB
import PostgresNIO
import SignetService

// Raw SQL for SignetStore's own tests only (`package`: nothing outside this package sees it,
// and no service code calls it): tests that tamper with stored rows (an audit event edited or
// deleted behind the store's back) or compare raw rows, on either backend.

extension SQLiteStorage {
    /// Runs `sql` (one statement) in a write transaction; returns how many rows it changed.
    package func executeForTests(_ sql: String) async throws -> Int {
        try await SQLiteDatabase(pool: pool).write { db in
            try db.execute(sql: sql)
            return db.changesCount
        }
    }

    /// The first column of every row of `sql`, as text (NULL as "NULL").
    package func stringsForTests(_ sql: String) async throws -> [String] {
        try await SQLiteDatabase(pool: pool).read { db in
            try Row.fetchAll(db, sql: sql).map { $0[0].map { "\($0)" } ?? "NULL" }
        }
    }
}

extension PostgresStorage {
    /// Runs `sql` (one statement) in a transaction; returns how many rows it changed.
    package func executeForTests(_ sql: String) async throws -> Int {
        try await pool.write { session in try await session.execute(PostgresQuery(unsafeSQL: sql)) }
    }

    /// The first column of every row of `sql`, which must be text (or NULL, given as "NULL").
    package func stringsForTests(_ sql: String) async throws -> [String] {
        try await pool.read { session in
            try await session.rows(PostgresQuery(unsafeSQL: sql)).map { try $0[0].decode(String?.self) ?? "NULL" }
        }
    }
}
