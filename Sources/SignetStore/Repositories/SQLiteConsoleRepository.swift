import FoundationEssentials
import GRDB
import SignetService

/// `ConsoleRepository` on `console_sessions`, and the console's aggregates over `contracts`
/// and `audit_events`, computed in SQL (counts, histogram, percentiles by rank) so the
/// overview stays fast with many events.
struct SQLiteConsoleRepository: ConsoleRepository {
    let database: SQLiteDatabase

    func insertSession(_ session: ConsoleSessionRecord) async throws {
        try await database.write { db in
            try db.execute(
                sql: """
                    INSERT INTO console_sessions (id_hash, api_key_id, created_at, idle_expires_at, absolute_expires_at)
                    VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: [session.idHash, session.apiKeyID, ColumnCoding.milliseconds(session.createdAt),
                            ColumnCoding.milliseconds(session.idleExpiresAt), ColumnCoding.milliseconds(session.absoluteExpiresAt)])
        }
    }

    func session(idHash: String) async throws -> ConsoleSessionRecord? {
        try await database.read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT s.*, k.revoked_at AS key_revoked_at FROM console_sessions s
                JOIN api_keys k ON k.id = s.api_key_id WHERE s.id_hash = ?
                """, arguments: [idHash]) else { return nil }
            let revokedAt: Int64? = try row.decode(forColumn: "key_revoked_at")
            return ConsoleSessionRecord(
                idHash: try row.decode(forColumn: "id_hash"), apiKeyID: try row.decode(forColumn: "api_key_id"),
                createdAt: try row.requiredDate("created_at"), idleExpiresAt: try row.requiredDate("idle_expires_at"),
                absoluteExpiresAt: try row.requiredDate("absolute_expires_at"), keyRevoked: revokedAt != nil)
        }
    }

    func touchSession(idHash: String, idleExpiresAt: Date) async throws {
        try await database.write { db in
            try db.execute(sql: "UPDATE console_sessions SET idle_expires_at = ? WHERE id_hash = ?",
                           arguments: [ColumnCoding.milliseconds(idleExpiresAt), idHash])
        }
    }

    func deleteSession(idHash: String) async throws {
        try await database.write { db in
            try db.execute(sql: "DELETE FROM console_sessions WHERE id_hash = ?", arguments: [idHash])
        }
    }

    func purgeSessions(endedBefore date: Date) async throws -> Int {
        try await database.write { db in
            let now = ColumnCoding.milliseconds(date)
            try db.execute(sql: "DELETE FROM console_sessions WHERE idle_expires_at < ? OR absolute_expires_at < ?",
                           arguments: [now, now])
            return db.changesCount
        }
    }

    func contractCounts(merchantIDs: [String]) async throws -> [String: [ContractState: Int]] {
        guard !merchantIDs.isEmpty else { return [:] }
        let placeholders = Array(repeating: "?", count: merchantIDs.count).joined(separator: ", ")
        return try await database.read { db in
            var counts: [String: [ContractState: Int]] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT merchant_id, state, COUNT(*) AS count FROM contracts
                WHERE merchant_id IN (\(placeholders)) GROUP BY merchant_id, state
                """, arguments: StatementArguments(merchantIDs)) {
                let state = try required(ContractState(rawValue: try row.decode(forColumn: "state")), "contract state")
                counts[try row.decode(String.self, forColumn: "merchant_id"), default: [:]][state] = try row.decode(forColumn: "count")
            }
            return counts
        }
    }

    func stateCounts(createdIn period: ConsolePeriod) async throws -> [ContractState: Int] {
        try await database.read { db in
            var counts: [ContractState: Int] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT state, COUNT(*) AS count FROM contracts WHERE created_at >= ? AND created_at < ? GROUP BY state
                """, arguments: [ColumnCoding.milliseconds(period.from), ColumnCoding.milliseconds(period.to)]) {
                let state = try required(ContractState(rawValue: try row.decode(forColumn: "state")), "contract state")
                counts[state] = try row.decode(forColumn: "count")
            }
            return counts
        }
    }

    /// The durations (ms) of the journeys in a period: each contract whose merchant signed
    /// in it (its first such signature), from the merchant's first `contract.viewed`. The
    /// signatures come from the `(type, occurred_at)` index; each contract's view from its
    /// own events.
    static let durationsCTE = """
        WITH signed AS (
            SELECT contract_id, MIN(occurred_at) AS signed_at FROM audit_events
            WHERE type = 'signer.signed' AND occurred_at >= :from AND occurred_at < :to
                AND json_extract(data, '$.role') = 'merchant'
            GROUP BY contract_id
        ), durations AS (
            SELECT signed_at - (
                SELECT MIN(v.occurred_at) FROM audit_events v
                WHERE v.contract_id = signed.contract_id AND v.type = 'contract.viewed'
                    AND json_extract(v.data, '$.role') = 'merchant'
            ) AS ms FROM signed
        )
        """

    func journeyDurations(signedIn period: ConsolePeriod, bucketBounds: [Int64]) async throws -> JourneyDurations {
        var buckets: [String] = []
        for index in bucketBounds.indices {
            let lower = index == 0 ? "" : "ms >= :b\(index - 1) AND "
            buckets.append("COALESCE(SUM(\(lower)ms < :b\(index)), 0) AS bucket\(index)")
        }
        let last = bucketBounds.isEmpty ? "COUNT(*)" : "COALESCE(SUM(ms >= :b\(bucketBounds.count - 1)), 0)"
        buckets.append("\(last) AS bucket\(bucketBounds.count)")
        let summary = Self.durationsCTE + "SELECT COUNT(*) AS count, \(buckets.joined(separator: ", ")) FROM durations WHERE ms >= 0"
        let rank = Self.durationsCTE + "SELECT ms FROM durations WHERE ms >= 0 ORDER BY ms LIMIT 1 OFFSET :offset"
        let from = ColumnCoding.milliseconds(period.from), to = ColumnCoding.milliseconds(period.to)
        return try await database.read { db in
            func arguments(offset: Int? = nil) -> StatementArguments {
                var values: [String: (any DatabaseValueConvertible)?] = ["from": from, "to": to]
                for (index, bound) in bucketBounds.enumerated() { values["b\(index)"] = bound }
                if let offset { values["offset"] = offset }
                return StatementArguments(values)
            }
            let row = try required(Row.fetchOne(db, sql: summary, arguments: arguments()), "journey summary")
            let count: Int = try row.decode(forColumn: "count")
            let counts = try (0...bucketBounds.count).map { try row.decode(Int.self, forColumn: "bucket\($0)") }
            /// Nearest rank: the smallest duration with at least `fraction` of them at or below it.
            func percentile(_ fraction: Double) throws -> Int64? {
                guard count > 0 else { return nil }
                let offset = max(Int((fraction * Double(count)).rounded(.up)) - 1, 0)
                return try Int64.fetchOne(db, sql: rank, arguments: arguments(offset: offset))
            }
            return JourneyDurations(count: count, medianMilliseconds: try percentile(0.5), p90Milliseconds: try percentile(0.9),
                                    bucketCounts: counts)
        }
    }
}
