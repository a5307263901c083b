import FoundationEssentials
import PostgresNIO
import SignetService

/// `IdempotencyRepository` on PostgreSQL's `idempotency` table: one row per (API key,
/// Idempotency-Key), `running` while its first request runs (locked until `locked_until`),
/// `done` with the response to replay.
struct PostgresIdempotencyRepository: IdempotencyRepository {
    let database: PostgresPool

    /// Decides in one transaction, race-free across instances: `INSERT … ON CONFLICT DO
    /// NOTHING` is the claim (of two instances inserting one key at once, the second waits for
    /// the first to commit and then inserts nothing), so exactly one gets `started`. Whoever
    /// inserted nothing locks the existing row (`FOR UPDATE`) and decides like SQLite: another
    /// request hash → `mismatch`; done → `replay`; running and locked → `inProgress`; running
    /// with a lapsed lock (a crashed request) → taken over with a new lock, `started`.
    func begin(_ key: IdempotencyKey, requestHash: String, now: Date, lockedUntil: Date) async throws -> IdempotencyStart {
        let nowMS = ColumnCoding.milliseconds(now), lockedUntilMS = ColumnCoding.milliseconds(lockedUntil)
        return try await database.write { session in
            // A row released (deleted) between the conflict and the lock: insert again.
            for _ in 0..<3 {
                let inserted = try await session.execute("""
                    INSERT INTO idempotency (scope, key, request_hash, state, locked_until, created_at)
                    VALUES (\(key.scope), \(key.key), \(requestHash), 'running', \(lockedUntilMS), \(nowMS))
                    ON CONFLICT (scope, key) DO NOTHING
                    """)
                if inserted == 1 { return .started }
                guard let row = try await session.row("""
                    SELECT * FROM idempotency WHERE scope = \(key.scope) AND key = \(key.key) FOR UPDATE
                    """) else { continue }
                guard try row.value("request_hash", as: String.self) == requestHash else { return .mismatch }
                if try row.value("state", as: String.self) == "done" { return .replay(try Self.response(row)) }
                if try row.value("locked_until", as: Int64.self) > nowMS { return .inProgress }
                try await session.execute("""
                    UPDATE idempotency SET locked_until = \(lockedUntilMS) WHERE scope = \(key.scope) AND key = \(key.key)
                    """)
                return .started
            }
            throw StoreError.unavailable("idempotency record keeps changing")
        }
    }

    func complete(_ key: IdempotencyKey, response: StoredResponse, at date: Date) async throws {
        let headers = try ColumnCoding.json(encoding: response.headers)
        try await database.write { session in
            let updated = try await session.execute("""
                UPDATE idempotency SET state = 'done', response_status = \(response.status), response_headers = \(headers),
                    response_body = \(Data(response.body)), completed_at = \(ColumnCoding.milliseconds(date))
                WHERE scope = \(key.scope) AND key = \(key.key) AND state = 'running'
                """)
            guard updated == 1 else { throw StoreError.missing("idempotency record") }
        }
    }

    func release(_ key: IdempotencyKey) async throws {
        try await database.write { session in
            _ = try await session.execute("""
                DELETE FROM idempotency WHERE scope = \(key.scope) AND key = \(key.key) AND state = 'running' AND resource_id IS NULL
                """)
            _ = try await session.execute("""
                UPDATE idempotency SET locked_until = 0 WHERE scope = \(key.scope) AND key = \(key.key) AND state = 'running'
                """)
        }
    }

    func resourceID(for key: IdempotencyKey) async throws -> String? {
        try await database.read { session in
            try await session.row("SELECT resource_id FROM idempotency WHERE scope = \(key.scope) AND key = \(key.key)")?
                .value("resource_id", as: String?.self)
        }
    }

    func purge(createdBefore date: Date) async throws -> Int {
        try await database.write { session in
            try await session.execute("DELETE FROM idempotency WHERE created_at < \(ColumnCoding.milliseconds(date))")
        }
    }

    /// The stored response of a `done` row.
    static func response(_ row: PostgresRandomAccessRow) throws -> StoredResponse {
        let body = try row.value("response_body", as: Data?.self) ?? Data()
        return StoredResponse(
            status: try required(row.value("response_status", as: Int?.self), "idempotency response status"),
            headers: try ColumnCoding.decode([[String]].self,
                                             try required(row.value("response_headers", as: String?.self),
                                                          "idempotency headers")),
            body: [UInt8](body))
    }
}
