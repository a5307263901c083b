import FoundationEssentials
import PostgresNIO
import SignetArchive
import SignetService

/// `ConsoleRepository` on PostgreSQL: `console_sessions`, and the console's aggregates over
/// `contracts` and `audit_events` computed in SQL, as `SQLiteConsoleRepository` does (the
/// events' JSON `data` read with `->>`).
struct PostgresConsoleRepository: ConsoleRepository {
    let database: PostgresPool

    func insertSession(_ session: ConsoleSessionRecord) async throws {
        _ = try await database.write { connection in
            try await connection.execute("""
                INSERT INTO console_sessions (id_hash, api_key_id, created_at, idle_expires_at, absolute_expires_at)
                VALUES (\(session.idHash), \(session.apiKeyID), \(ColumnCoding.milliseconds(session.createdAt)),
                        \(ColumnCoding.milliseconds(session.idleExpiresAt)), \(ColumnCoding.milliseconds(session.absoluteExpiresAt)))
                """)
        }
    }

    func session(idHash: String) async throws -> ConsoleSessionRecord? {
        try await database.read { session in
            guard let row = try await session.row("""
                SELECT s.*, k.revoked_at AS key_revoked_at FROM console_sessions s
                JOIN api_keys k ON k.id = s.api_key_id WHERE s.id_hash = \(idHash)
                """) else { return nil }
            return ConsoleSessionRecord(
                idHash: try row.value("id_hash"), apiKeyID: try row.value("api_key_id"),
                createdAt: try row.requiredDate("created_at"), idleExpiresAt: try row.requiredDate("idle_expires_at"),
                absoluteExpiresAt: try row.requiredDate("absolute_expires_at"), keyRevoked: try row.date("key_revoked_at") != nil)
        }
    }

    func touchSession(idHash: String, idleExpiresAt: Date) async throws {
        _ = try await database.write { session in
            try await session.execute("""
                UPDATE console_sessions SET idle_expires_at = \(ColumnCoding.milliseconds(idleExpiresAt)) WHERE id_hash = \(idHash)
                """)
        }
    }

    func deleteSession(idHash: String) async throws {
        _ = try await database.write { session in
            try await session.execute("DELETE FROM console_sessions WHERE id_hash = \(idHash)")
        }
    }

    func purgeSessions(endedBefore date: Date) async throws -> Int {
        let now = ColumnCoding.milliseconds(date)
        return try await database.write { session in
            try await session.execute("DELETE FROM console_sessions WHERE idle_expires_at < \(now) OR absolute_expires_at < \(now)")
        }
    }

    func contractCounts(merchantIDs: [String]) async throws -> [String: [ContractState: Int]] {
        guard !merchantIDs.isEmpty else { return [:] }
        return try await database.read { session in
            var counts: [String: [ContractState: Int]] = [:]
            for row in try await session.rows("""
                SELECT merchant_id, state, COUNT(*) AS count FROM contracts
                WHERE merchant_id = ANY(\(merchantIDs)) GROUP BY merchant_id, state
                """) {
                let state = try required(ContractState(rawValue: try row.value("state", as: String.self)), "contract state")
                counts[try row.value("merchant_id", as: String.self), default: [:]][state] = try row.value("count", as: Int.self)
            }
            return counts
        }
    }

    func stateCounts(createdIn period: ConsolePeriod) async throws -> [ContractState: Int] {
        try await database.read { session in
            var counts: [ContractState: Int] = [:]
            for row in try await session.rows("""
                SELECT state, COUNT(*) AS count FROM contracts
                WHERE created_at >= \(ColumnCoding.milliseconds(period.from)) AND created_at < \(ColumnCoding.milliseconds(period.to))
                GROUP BY state
                """) {
                let state = try required(ContractState(rawValue: try row.value("state", as: String.self)), "contract state")
                counts[state] = try row.value("count", as: Int.self)
            }
            return counts
        }
    }

    /// The durations (ms) of the journeys in a period, as `SQLiteConsoleRepository.durationsCTE`:
    /// each contract whose merchant signed in it (its first such signature), from the
    /// merchant's first `contract.viewed`. `$1` and `$2` are the period's bounds.
    static let durationsCTE = """
        WITH signed AS (
            SELECT contract_id, MIN(occurred_at) AS signed_at FROM audit_events
            WHERE type = 'signer.signed' AND occurred_at >= $1 AND occurred_at < $2
                AND data::json ->> 'role' = 'merchant'
            GROUP BY contract_id
        ), durations AS (
            SELECT signed_at - (
                SELECT MIN(v.occurred_at) FROM audit_events v
                WHERE v.contract_id = signed.contract_id AND v.type = 'contract.viewed'
                    AND v.data::json ->> 'role' = 'merchant'
            ) AS ms FROM signed
        )
        """

    func journeyDurations(signedIn period: ConsolePeriod, bucketBounds: [Int64]) async throws -> JourneyDurations {
        // $1, $2: the period; $3…: the bucket bounds; the rank query's offset after them.
        let bound = { (index: Int) in "$\(index + 3)" }
        var buckets: [String] = []
        for index in bucketBounds.indices {
            let lower = index == 0 ? "" : "ms >= \(bound(index - 1)) AND "
            buckets.append("COUNT(*) FILTER (WHERE \(lower)ms < \(bound(index))) AS bucket\(index)")
        }
        let last = bucketBounds.isEmpty ? "COUNT(*)" : "COUNT(*) FILTER (WHERE ms >= \(bound(bucketBounds.count - 1)))"
        buckets.append("\(last) AS bucket\(bucketBounds.count)")
        let summary = Self.durationsCTE + "SELECT COUNT(*) AS count, \(buckets.joined(separator: ", ")) FROM durations WHERE ms >= 0"
        let rank = Self.durationsCTE
            + "SELECT ms FROM durations WHERE ms >= 0 ORDER BY ms LIMIT 1 OFFSET \(bound(bucketBounds.count))::bigint"
        let from = ColumnCoding.milliseconds(period.from), to = ColumnCoding.milliseconds(period.to)
        func bindings(offset: Int? = nil) throws -> PostgresBindings {
            var bindings = PostgresBindings()
            bindings.append(from)
            bindings.append(to)
            for value in bucketBounds { bindings.append(value) }
            if let offset { bindings.append(Int64(offset)) }
            return bindings
        }
        let summaryBindings = try bindings()
        return try await database.read { session in
            let row = try required(try await session.row(PostgresQuery(unsafeSQL: summary, binds: summaryBindings)), "journey summary")
            let count = try row.value("count", as: Int.self)
            let counts = try (0...bucketBounds.count).map { try row.value("bucket\($0)", as: Int.self) }
            /// Nearest rank: the smallest duration with at least `fraction` of them at or below it.
            func percentile(_ fraction: Double) async throws -> Int64? {
                guard count > 0 else { return nil }
                let offset = max(Int((fraction * Double(count)).rounded(.up)) - 1, 0)
                return try await session.row(PostgresQuery(unsafeSQL: rank, binds: try bindings(offset: offset)))?.value("ms", as: Int64?.self)
            }
            return JourneyDurations(count: count, medianMilliseconds: try await percentile(0.5), p90Milliseconds: try await percentile(0.9),
                                    bucketCounts: counts)
        }
    }
}
