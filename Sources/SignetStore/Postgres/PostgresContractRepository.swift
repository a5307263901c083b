import FoundationEssentials
import PostgresNIO
import SignetArchive
import SignetService

/// `ContractRepository` on PostgreSQL's `contracts`, `signers`, `contract_numbers` and
/// `audit_events` tables. Every change of a contract, the audit events recording it and the
/// webhook events reporting it commit in one transaction; the guard of a change is the single
/// `UPDATE … WHERE id AND version` (`PostgresContractRows.update`), so of several instances
/// changing one contract from the same version exactly one commits.
struct PostgresContractRepository: ContractRepository {
    let database: PostgresPool

    /// The next number of `year`: one upsert, so two instances never get the same number (the
    /// second waits on the first's row lock, then increments what it committed).
    func reserveContractNumber(year: Int) async throws -> Int {
        try await database.write { session in
            try required(
                try await session.row("""
                    INSERT INTO contract_numbers (year, last) VALUES (\(year), 1)
                    ON CONFLICT (year) DO UPDATE SET last = contract_numbers.last + 1
                    RETURNING last
                    """)?.value("last", as: Int.self),
                "contract number")
        }
    }

    func insert(_ contract: Contract, events: [AuditEventDraft], claim: IdempotencyKey?) async throws -> Contract {
        let outbox = try WebhookOutbox.events(for: events, contract: contract)
        return try await database.write { session in
            try await PostgresIdempotencyClaim.record(contract.id, under: claim, session)
            try await PostgresContractRows.insert(contract, session)
            try await PostgresContractRows.insertSigners(contract.signers, contractID: contract.id, session)
            try await PostgresAuditEventRows.append(events, contractID: contract.id, merchantID: contract.merchantID, session)
            try await PostgresOutbox.insert(outbox, session)
            return try required(try await PostgresContractRows.contract(id: contract.id, session), "contract just inserted")
        }
    }

    func contract(id: String) async throws -> Contract? {
        try await database.read { session in try await PostgresContractRows.contract(id: id, session) }
    }

    func contract(linkTokenHash: String) async throws -> Contract? {
        try await database.read { session in
            try await PostgresContractRows.contracts("""
                SELECT * FROM contracts WHERE id = (SELECT contract_id FROM signers WHERE link_token_hash = \(linkTokenHash))
                """, order: ["seq"], session).first
        }
    }

    func contracts(_ query: ContractQuery) async throws -> Page<Contract> {
        var conditions: [String] = []
        var bindings = PostgresBindings()
        func add(_ condition: (String) -> String, _ value: some PostgresDynamicTypeEncodable) {
            bindings.append(value)
            conditions.append(condition("$\(bindings.count)"))
        }
        if let merchantID = query.merchantID { add({ "merchant_id = \($0)" }, merchantID) }
        if let state = query.state { add({ "state = \($0)" }, state.rawValue) }
        if let after = query.createdAfter { add({ "created_at >= \($0)" }, ColumnCoding.milliseconds(after)) }
        if let before = query.createdBefore { add({ "created_at < \($0)" }, ColumnCoding.milliseconds(before)) }
        if let after = query.page.after { add({ "seq < \($0)" }, after) }
        let limit = query.page.limit
        bindings.append(limit + 1)
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let selection = PostgresQuery(
            unsafeSQL: "SELECT * FROM contracts \(filter) ORDER BY seq DESC LIMIT $\(bindings.count)", binds: bindings)
        let fetched = try await database.read { session in
            try await PostgresContractRows.contracts(selection, order: ["seq DESC"], session)
        }
        return .postgres(fetched: fetched, limit: limit, orderingKey: \.sequence)
    }

    func apply(_ change: ContractChange) async throws -> ContractChangeOutcome {
        let contract = change.contract
        let outbox = try WebhookOutbox.events(for: change.events, contract: contract)
        return try await database.write { session in
            guard try await PostgresContractRows.update(contract, expectedVersion: change.expectedVersion, session) else {
                // Someone else committed first (or the contract is gone): nothing was written.
                // This statement's snapshot sees the winner's commit.
                return .stale(current: try await PostgresContractRows.contract(id: contract.id, session))
            }
            try await PostgresContractRows.replaceSigners(contract.signers, contractID: contract.id, session)
            try await PostgresAuditEventRows.append(change.events, contractID: contract.id,
                                                    merchantID: contract.merchantID, session)
            try await PostgresOutbox.insert(outbox, session)
            return .committed(try required(try await PostgresContractRows.contract(id: contract.id, session),
                                           "contract just changed"))
        }
    }

    func auditTrail(contractID: String) async throws -> [AuditEvent] {
        try await database.read { session in
            try await session.rows("SELECT * FROM audit_events WHERE contract_id = \(contractID) ORDER BY sequence")
                .map(PostgresAuditEventRows.event)
        }
    }

    func timeline(merchantID: String, page: PageRequest) async throws -> Page<AuditEvent> {
        let rows = try await database.read { session in
            try await session.rows("""
                SELECT * FROM audit_events WHERE merchant_id = \(merchantID) AND id > \(page.after ?? 0)
                ORDER BY id LIMIT \(page.limit + 1)
                """)
        }
        let kept = rows.prefix(page.limit)
        let next: Int64? = rows.count > page.limit ? try kept.last?.value("id") : nil
        return Page(items: try kept.map(PostgresAuditEventRows.event), next: next)
    }

    func contractsExpired(before date: Date, limit: Int) async throws -> [Contract] {
        try await database.read { session in
            try await PostgresContractRows.contracts("""
                SELECT * FROM contracts WHERE state IN ('draft', 'sent', 'viewed') AND expires_at < \(ColumnCoding.milliseconds(date))
                ORDER BY expires_at, seq LIMIT \(max(limit, 0))
                """, order: ["expires_at", "seq"], session)
        }
    }

    func contractsAwaitingCountersignature(limit: Int) async throws -> [Contract] {
        try await database.read { session in
            try await PostgresContractRows.contracts(
                "SELECT * FROM contracts WHERE state = 'signed' ORDER BY seq LIMIT \(max(limit, 0))",
                order: ["seq"], session)
        }
    }

    func countByState() async throws -> [ContractState: Int] {
        try await database.read { session in
            var counts: [ContractState: Int] = [:]
            for row in try await session.rows("SELECT state, COUNT(*) AS count FROM contracts GROUP BY state") {
                let state = try required(ContractState(rawValue: try row.value("state")), "contract state")
                counts[state] = try row.value("count", as: Int.self)
            }
            return counts
        }
    }

    func contractsAwaitingEvidence(limit: Int) async throws -> [Contract] {
        try await database.read { session in
            try await PostgresContractRows.contracts("""
                SELECT * FROM contracts WHERE state = 'completed' AND evidence_sha256 IS NULL ORDER BY seq LIMIT \(max(limit, 0))
                """, order: ["seq"], session)
        }
    }

    func contractsDueForRenewal(expiringBy date: Date, limit: Int) async throws -> [Contract] {
        try await database.read { session in
            try await PostgresContractRows.contracts("""
                SELECT * FROM contracts
                WHERE state = 'completed' AND timestamp_expires_at <= \(ColumnCoding.milliseconds(date))
                ORDER BY timestamp_expires_at, seq LIMIT \(max(limit, 0))
                """, order: ["timestamp_expires_at", "seq"], session)
        }
    }

    func contractsWithoutTimestampExpiry(limit: Int) async throws -> [Contract] {
        try await database.read { session in
            try await PostgresContractRows.contracts("""
                SELECT * FROM contracts
                WHERE state = 'completed' AND timestamp_expires_at IS NULL AND signed_sha256 IS NOT NULL
                ORDER BY seq LIMIT \(max(limit, 0))
                """, order: ["seq"], session)
        }
    }

    func recordTimestampExpiry(contractID: String, signedSHA256: String, expiresAt: Date) async throws -> Bool {
        try await database.write { session in
            try await session.execute("""
                UPDATE contracts SET timestamp_expires_at = \(ColumnCoding.milliseconds(expiresAt))
                WHERE id = \(contractID) AND signed_sha256 = \(signedSHA256)
                """) == 1
        }
    }
}
