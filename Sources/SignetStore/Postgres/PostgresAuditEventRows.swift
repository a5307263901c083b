import PostgresNIO
import SignetArchive
import SignetService

/// Audit events to PostgreSQL rows and back, and the chain's append inside a transaction.
enum PostgresAuditEventRows {
    /// Appends `drafts` to `contractID`'s chain, after its newest stored event, and moves the
    /// contract's recorded head. Call inside the transaction that commits the change the
    /// events record.
    ///
    /// Several instances write at once, so the chain must not fork (two appends both reading
    /// event n and both writing n + 1): the contract's row is locked first (`FOR UPDATE`, held
    /// to the end of the transaction; already held after this transaction's own `UPDATE` of
    /// it), and only then is the newest event read, by a later statement whose snapshot sees
    /// every append committed before the lock was granted.
    ///
    /// The merchant's timeline pages by the events' global `id` ("after id n"), which is only
    /// safe when a merchant's events commit in `id` order. Identity values are handed out at
    /// insert, not at commit, so two transactions of one merchant could commit out of order and
    /// a reader paging in between would skip the later-committing smaller id for good. A
    /// transaction-scoped advisory lock per merchant, taken after the contract's row lock
    /// (always that order, so no deadlock) and held to commit, keeps each merchant's appends
    /// in commit order; other merchants are not held up.
    static func append(_ drafts: [AuditEventDraft], contractID: String, merchantID: String,
                       _ session: PostgresSession) async throws {
        guard !drafts.isEmpty else { return }
        guard try await session.row("SELECT id FROM contracts WHERE id = \(contractID) FOR UPDATE") != nil else {
            throw StoreError.missing("contract \(contractID)")
        }
        try await session.execute("SELECT pg_advisory_xact_lock(\(timelineLockSpace), hashtext(\(merchantID)))")
        var previous = try await session.row("""
            SELECT * FROM audit_events WHERE contract_id = \(contractID) ORDER BY sequence DESC LIMIT 1
            """).map(event)
        let perRow = 11
        var bindings = PostgresBindings(capacity: drafts.count * perRow)
        var tuples: [String] = []
        for (index, draft) in drafts.enumerated() {
            let event = AuditChain.append(draft, contractID: contractID, merchantID: merchantID, after: previous)
            let values: [PostgresContractRows.Value] = [
                event.contractID, event.sequence, event.merchantID, event.type, event.actor,
                ColumnCoding.milliseconds(event.occurredAt) as Int64, event.ip, event.userAgent, try ColumnCoding.json(event.data),
                event.previousHash, event.hash,
            ]
            for value in values { bindings.append(column: value) }
            tuples.append("(" + (1...perRow).map { "$\(index * perRow + $0)" }.joined(separator: ", ") + ")")
            previous = event
        }
        try await session.execute(PostgresQuery(
            unsafeSQL: """
                INSERT INTO audit_events (contract_id, sequence, merchant_id, type, actor, occurred_at, ip, user_agent,
                    data, previous_hash, hash)
                VALUES \(tuples.joined(separator: ", "))
                """,
            binds: bindings))
        if let previous {
            try await session.execute("""
                UPDATE contracts SET audit_count = \(previous.sequence), audit_head = \(previous.hash) WHERE id = \(contractID)
                """)
        }
    }

    /// The first key of the merchants' timeline advisory locks (the second: a hash of the
    /// merchant's id). Two-key advisory locks never collide with the migrator's one-key lock.
    static let timelineLockSpace: Int32 = 0x5349_474E  // "SIGN"

    /// The event of an `audit_events` row.
    static func event(_ row: PostgresRandomAccessRow) throws -> AuditEvent {
        AuditEvent(
            contractID: try row.value("contract_id"), merchantID: try row.value("merchant_id"),
            sequence: try row.value("sequence"), type: try row.value("type"), actor: try row.value("actor"),
            occurredAt: try row.requiredDate("occurred_at"), ip: try row.value("ip"), userAgent: try row.value("user_agent"),
            data: try ColumnCoding.map(try row.value("data")), previousHash: try row.value("previous_hash"),
            hash: try row.value("hash"))
    }
}
