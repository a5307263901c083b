import FoundationEssentials
import GRDB
import SignetService

/// `IdempotencyRepository` on the `idempotency` table: one row per (API key, Idempotency-Key),
/// `running` while its first request runs (locked until `locked_until`), `done` with the
/// response to replay.
struct SQLiteIdempotencyRepository: IdempotencyRepository {
    let database: SQLiteDatabase

    /// Decides in one write transaction (the writer is serialised, so two concurrent
    /// `begin`s of one key see each other): no record → insert, `started`; another request
    /// hash → `mismatch` (a key belongs to one request for good, even when its first run
    /// crashed); done → `replay`; running and locked → `inProgress`; running with a lapsed
    /// lock (a crashed request) → taken over with a new lock, `started`.
    func begin(_ key: IdempotencyKey, requestHash: String, now: Date, lockedUntil: Date) async throws -> IdempotencyStart {
        let nowMS = ColumnCoding.milliseconds(now), lockedUntilMS = ColumnCoding.milliseconds(lockedUntil)
        return try await database.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM idempotency WHERE scope = ? AND key = ?",
                                             arguments: [key.scope, key.key]) else {
                try db.execute(
                    sql: """
                        INSERT INTO idempotency (scope, key, request_hash, state, locked_until, created_at)
                        VALUES (?, ?, ?, 'running', ?, ?)
                        """,
                    arguments: [key.scope, key.key, requestHash, lockedUntilMS, nowMS])
                return .started
            }
            guard try row.decode(String.self, forColumn: "request_hash") == requestHash else { return .mismatch }
            if try row.decode(String.self, forColumn: "state") == "done" { return .replay(try Self.response(row)) }
            if try row.decode(Int64.self, forColumn: "locked_until") > nowMS { return .inProgress }
            try db.execute(sql: "UPDATE idempotency SET locked_until = ? WHERE scope = ? AND key = ?",
                           arguments: [lockedUntilMS, key.scope, key.key])
            return .started
        }
    }

    func complete(_ key: IdempotencyKey, response: StoredResponse, at date: Date) async throws {
        let headers = try ColumnCoding.json(encoding: response.headers)
        try await database.write { db in
            try db.execute(
                sql: """
                    UPDATE idempotency SET state = 'done', response_status = ?, response_headers = ?, response_body = ?,
                        completed_at = ?
                    WHERE scope = ? AND key = ? AND state = 'running'
                    """,
                arguments: [response.status, headers, Data(response.body), ColumnCoding.milliseconds(date),
                            key.scope, key.key])
            guard db.changesCount == 1 else { throw StoreError.missing("idempotency record") }
        }
    }

    func release(_ key: IdempotencyKey) async throws {
        try await database.write { db in
            try db.execute(sql: "DELETE FROM idempotency WHERE scope = ? AND key = ? AND state = 'running' AND resource_id IS NULL",
                           arguments: [key.scope, key.key])
            try db.execute(sql: "UPDATE idempotency SET locked_until = 0 WHERE scope = ? AND key = ? AND state = 'running'",
                           arguments: [key.scope, key.key])
        }
    }

    func resourceID(for key: IdempotencyKey) async throws -> String? {
        try await database.read { db in
            try String.fetchOne(db, sql: "SELECT resource_id FROM idempotency WHERE scope = ? AND key = ?", arguments: [key.scope, key.key])
        }
    }

    func purge(createdBefore date: Date) async throws -> Int {
        try await database.write { db in
            try db.execute(sql: "DELETE FROM idempotency WHERE created_at < ?", arguments: [ColumnCoding.milliseconds(date)])
            return db.changesCount
        }
    }

    /// The stored response of a `done` row.
    static func response(_ row: Row) throws -> StoredResponse {
        // An empty body may read back as NULL.
        let body: Data = try row.decode(Data?.self, forColumn: "response_body") ?? Data()
        return StoredResponse(
            status: try required(row.decode(forColumn: "response_status"), "idempotency response status"),
            headers: try ColumnCoding.decode([[String]].self,
                                             try required(row.decode(forColumn: "response_headers"), "idempotency headers")),
            body: [UInt8](body))
    }
}
