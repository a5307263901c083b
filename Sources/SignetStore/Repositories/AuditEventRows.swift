import GRDB
import SignetService
import SignetArchive

/// Audit events to rows and back, and the chain's append inside a write transaction.
enum AuditEventRows {
    /// Appends `drafts` to `contractID`'s chain, after its newest stored event. Call inside
    /// the transaction that commits the change the events record, so the chain and the
    /// state never disagree (the writer is serialised: no other append interleaves).
    static func append(_ drafts: [AuditEventDraft], contractID: String, merchantID: String, _ db: Database) throws {
        var previous = try Row.fetchOne(
            db, sql: "SELECT * FROM audit_events WHERE contract_id = ? ORDER BY sequence DESC LIMIT 1",
            arguments: [contractID]).map(event)
        for draft in drafts {
            let event = AuditChain.append(draft, contractID: contractID, merchantID: merchantID, after: previous)
            try db.execute(
                sql: """
                    INSERT INTO audit_events (contract_id, sequence, merchant_id, type, actor, occurred_at, ip, user_agent,
                        data, previous_hash, hash)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [event.contractID, event.sequence, event.merchantID, event.type, event.actor,
                            ColumnCoding.milliseconds(event.occurredAt), event.ip, event.userAgent,
                            try ColumnCoding.json(event.data), event.previousHash, event.hash])
            previous = event
        }
        if let previous {
            try db.execute(sql: "UPDATE contracts SET audit_count = ?, audit_head = ? WHERE id = ?",
                           arguments: [previous.sequence, previous.hash, contractID])
        }
    }

    /// The event of an `audit_events` row.
    static func event(_ row: Row) throws -> AuditEvent {
        AuditEvent(
            contractID: try row.decode(forColumn: "contract_id"), merchantID: try row.decode(forColumn: "merchant_id"),
            sequence: try row.decode(forColumn: "sequence"), type: try row.decode(forColumn: "type"),
            actor: try row.decode(forColumn: "actor"), occurredAt: try row.requiredDate("occurred_at"),
            ip: try row.decode(forColumn: "ip"), userAgent: try row.decode(forColumn: "user_agent"),
            data: try ColumnCoding.map(try row.decode(forColumn: "data")),
            previousHash: try row.decode(forColumn: "previous_hash"), hash: try row.decode(forColumn: "hash"))
    }
}
