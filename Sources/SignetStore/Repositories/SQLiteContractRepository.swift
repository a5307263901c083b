import FoundationEssentials
import GRDB
import SignetService
import SignetArchive

/// `ContractRepository` on the `contracts`, `signers`, `contract_numbers` and `audit_events`
/// tables. Every change of a contract and the audit events recording it commit in one
/// write transaction.
struct SQLiteContractRepository: ContractRepository {
    let database: SQLiteDatabase

    func reserveContractNumber(year: Int) async throws -> Int {
        try await database.write { db in
            try required(
                Int.fetchOne(db, sql: """
                    INSERT INTO contract_numbers (year, last) VALUES (?, 1)
                    ON CONFLICT (year) DO UPDATE SET last = last + 1
                    RETURNING last
                    """, arguments: [year]),
                "contract number")
        }
    }

    func insert(_ contract: Contract, events: [AuditEventDraft], claim: IdempotencyKey?) async throws -> Contract {
        try await database.write { db in
            try IdempotencyClaimRows.record(contract.id, under: claim, db)
            let columns = try ContractRows.columns(of: contract)
            let names = columns.map(\.name).joined(separator: ", ")
            let placeholders = Array(repeating: "?", count: columns.count).joined(separator: ", ")
            try db.execute(sql: "INSERT INTO contracts (\(names), version) VALUES (\(placeholders), 1)",
                           arguments: StatementArguments(columns.map(\.value)))
            try ContractRows.insertSigners(contract.signers, contractID: contract.id, db)
            try AuditEventRows.append(events, contractID: contract.id, merchantID: contract.merchantID, db)
            try WebhookRows.insert(try WebhookOutbox.events(for: events, contract: contract), db)
            return try required(ContractRows.contract(id: contract.id, db), "contract just inserted")
        }
    }

    func contract(id: String) async throws -> Contract? {
        try await database.read { db in try ContractRows.contract(id: id, db) }
    }

    func contract(linkTokenHash: String) async throws -> Contract? {
        try await database.read { db in
            guard let id = try String.fetchOne(db, sql: "SELECT contract_id FROM signers WHERE link_token_hash = ?",
                                               arguments: [linkTokenHash]) else { return nil }
            return try ContractRows.contract(id: id, db)
        }
    }

    func contracts(_ query: ContractQuery) async throws -> Page<Contract> {
        var conditions: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        func add(_ condition: String, _ value: (any DatabaseValueConvertible)?) {
            conditions.append(condition)
            arguments.append(value)
        }
        if let merchantID = query.merchantID { add("merchant_id = ?", merchantID) }
        if let state = query.state { add("state = ?", state.rawValue) }
        if let after = query.createdAfter { add("created_at >= ?", ColumnCoding.milliseconds(after) as Int64) }
        if let before = query.createdBefore { add("created_at < ?", ColumnCoding.milliseconds(before) as Int64) }
        if let after = query.page.after { add("seq < ?", after) }
        let limit = query.page.limit
        arguments.append(limit + 1)
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let sql = "SELECT * FROM contracts \(filter) ORDER BY seq DESC LIMIT ?"
        let statementArguments = StatementArguments(arguments)
        return try await database.read { db in
            try Page.from(try Row.fetchAll(db, sql: sql, arguments: statementArguments), limit: limit,
                          orderingKey: "seq") { try ContractRows.contracts($0, db) }
        }
    }

    func apply(_ change: ContractChange) async throws -> ContractChangeOutcome {
        try await database.write { db in
            let contract = change.contract
            let columns = try ContractRows.columns(of: contract).filter { $0.name != "id" }
            let assignments = columns.map { "\($0.name) = ?" }.joined(separator: ", ")
            try db.execute(
                sql: "UPDATE contracts SET \(assignments), version = version + 1 WHERE id = ? AND version = ?",
                arguments: StatementArguments(columns.map(\.value) + [contract.id, change.expectedVersion]))
            guard db.changesCount == 1 else {
                // Someone else committed first (or the contract is gone): nothing was written.
                return .stale(current: try ContractRows.contract(id: contract.id, db))
            }
            try db.execute(sql: "DELETE FROM signers WHERE contract_id = ?", arguments: [contract.id])
            try ContractRows.insertSigners(contract.signers, contractID: contract.id, db)
            try AuditEventRows.append(change.events, contractID: contract.id, merchantID: contract.merchantID, db)
            try WebhookRows.insert(try WebhookOutbox.events(for: change.events, contract: contract), db)
            return .committed(try required(ContractRows.contract(id: contract.id, db), "contract just changed"))
        }
    }

    func auditTrail(contractID: String) async throws -> [AuditEvent] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM audit_events WHERE contract_id = ? ORDER BY sequence",
                             arguments: [contractID]).map(AuditEventRows.event)
        }
    }

    func timeline(merchantID: String, page: PageRequest) async throws -> Page<AuditEvent> {
        try await database.read { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT * FROM audit_events WHERE merchant_id = ? AND id > ? ORDER BY id LIMIT ?",
                arguments: [merchantID, page.after ?? 0, page.limit + 1])
            return try Page.from(rows, limit: page.limit, orderingKey: "id") { try $0.map(AuditEventRows.event) }
        }
    }

    func contractsExpired(before date: Date, limit: Int) async throws -> [Contract] {
        try await database.read { db in
            try ContractRows.contracts(
                try Row.fetchAll(db, sql: """
                    SELECT * FROM contracts WHERE state IN ('draft', 'sent', 'viewed') AND expires_at < ?
                    ORDER BY expires_at, seq LIMIT ?
                    """, arguments: [ColumnCoding.milliseconds(date), max(limit, 0)]),
                db)
        }
    }

    func contractsAwaitingCountersignature(limit: Int) async throws -> [Contract] {
        try await database.read { db in
            try ContractRows.contracts(
                try Row.fetchAll(db, sql: "SELECT * FROM contracts WHERE state = 'signed' ORDER BY seq LIMIT ?",
                                 arguments: [max(limit, 0)]),
                db)
        }
    }

    func contractsAwaitingEvidence(limit: Int) async throws -> [Contract] {
        try await database.read { db in
            try ContractRows.contracts(
                try Row.fetchAll(db, sql: """
                    SELECT * FROM contracts WHERE state = 'completed' AND evidence_sha256 IS NULL ORDER BY seq LIMIT ?
                    """, arguments: [max(limit, 0)]),
                db)
        }
    }

    func countByState() async throws -> [ContractState: Int] {
        try await database.read { db in
            var counts: [ContractState: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS count FROM contracts GROUP BY state") {
                let state = try required(ContractState(rawValue: try row.decode(forColumn: "state")), "contract state")
                counts[state] = try row.decode(forColumn: "count")
            }
            return counts
        }
    }

    func contractsDueForRenewal(expiringBy date: Date, limit: Int) async throws -> [Contract] {
        try await database.read { db in
            try ContractRows.contracts(
                try Row.fetchAll(db, sql: """
                    SELECT * FROM contracts WHERE state = 'completed' AND timestamp_expires_at <= ?
                    ORDER BY timestamp_expires_at, seq LIMIT ?
                    """, arguments: [ColumnCoding.milliseconds(date), max(limit, 0)]),
                db)
        }
    }

    func contractsWithoutTimestampExpiry(limit: Int) async throws -> [Contract] {
        try await database.read { db in
            try ContractRows.contracts(
                try Row.fetchAll(db, sql: """
                    SELECT * FROM contracts WHERE state = 'completed' AND timestamp_expires_at IS NULL AND signed_sha256 IS NOT NULL
                    ORDER BY seq LIMIT ?
                    """, arguments: [max(limit, 0)]),
                db)
        }
    }

    func recordTimestampExpiry(contractID: String, signedSHA256: String, expiresAt: Date) async throws -> Bool {
        try await database.write { db in
            try db.execute(sql: "UPDATE contracts SET timestamp_expires_at = ? WHERE id = ? AND signed_sha256 = ?",
                           arguments: [ColumnCoding.milliseconds(expiresAt), contractID, signedSHA256])
            return db.changesCount == 1
        }
    }
}
