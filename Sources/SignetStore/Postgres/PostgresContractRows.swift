import FoundationEssentials
import PostgresNIO
import SignetArchive
import SignetService
import SignetTemplates

/// Contracts and their signers to PostgreSQL rows and back.
///
/// A contract is read together with its signers in ONE statement (the selected contracts as a
/// subquery, left-joined with `signers`, one row per signer): under READ COMMITTED each
/// statement has its own snapshot, so two statements could pair a contract's row with the
/// signers of a later commit.
enum PostgresContractRows {
    /// A column value to bind; nil binds NULL.
    typealias Value = (any PostgresDynamicTypeEncodable)?

    /// The `contracts` columns a contract writes (all but `seq`, assigned on insert, and
    /// `version`, which the statements set themselves), with their values.
    static func columns(of contract: Contract) throws -> [(name: String, value: Value)] {
        [
            ("id", contract.id), ("number", contract.number), ("merchant_id", contract.merchantID),
            ("state", contract.state.rawValue), ("template_id", contract.template.id),
            ("template_version", contract.template.version), ("template_digest", contract.template.digest),
            ("title", contract.title), ("locale", contract.locale), ("fields", try ColumnCoding.json(contract.fields)),
            ("metadata", try ColumnCoding.json(contract.metadata)),
            ("fill", try contract.fill.map { try ColumnCoding.json(encoding: $0) }),
            ("signature_boxes", try ColumnCoding.json(encoding: contract.signatureBoxes)),
            ("original_sha256", contract.original.sha256), ("original_size", contract.original.size),
            ("original_page_count", contract.original.pageCount),
            ("signed_sha256", contract.signed?.sha256), ("signed_size", contract.signed?.size),
            ("signed_page_count", contract.signed?.pageCount),
            ("evidence_sha256", contract.evidence?.sha256), ("evidence_size", contract.evidence?.size),
            ("evidence_page_count", contract.evidence?.pageCount),
            ("issued_at", ColumnCoding.milliseconds(contract.issuedAt)),
            ("expires_at", ColumnCoding.milliseconds(contract.expiresAt)),
            ("created_at", ColumnCoding.milliseconds(contract.createdAt)),
            ("updated_at", ColumnCoding.milliseconds(contract.updatedAt)),
            ("sent_at", ColumnCoding.milliseconds(contract.sentAt)),
            ("completed_at", ColumnCoding.milliseconds(contract.completedAt)),
            ("voided_at", ColumnCoding.milliseconds(contract.voidedAt)), ("void_reason", contract.voidReason),
            ("declined_at", ColumnCoding.milliseconds(contract.declinedAt)), ("decline_reason", contract.declineReason),
            ("timestamp_expires_at", ColumnCoding.milliseconds(contract.timestampExpiresAt)),
        ]
    }

    /// Inserts `contract`'s row at version 1.
    static func insert(_ contract: Contract, _ session: PostgresSession) async throws {
        let columns = try columns(of: contract)
        var bindings = PostgresBindings(capacity: columns.count)
        for column in columns { bindings.append(column: column.value) }
        let names = columns.map(\.name).joined(separator: ", ")
        let placeholders = (1...columns.count).map { "$\($0)" }.joined(separator: ", ")
        try await session.execute(PostgresQuery(
            unsafeSQL: "INSERT INTO contracts (\(names), version) VALUES (\(placeholders), 1)", binds: bindings))
    }

    /// Writes `contract`'s columns over its row when the row is at `expectedVersion`, moving the
    /// version on. Returns whether it did (false: another writer moved the version first, or
    /// the contract does not exist). A concurrent writer of the row waits for this one to
    /// commit, then re-checks the version and finds it moved: one winner.
    static func update(_ contract: Contract, expectedVersion: Int, _ session: PostgresSession) async throws -> Bool {
        let columns = try columns(of: contract).filter { $0.name != "id" }
        var bindings = PostgresBindings(capacity: columns.count + 2)
        for column in columns { bindings.append(column: column.value) }
        bindings.append(contract.id)
        bindings.append(expectedVersion)
        let assignments = columns.enumerated().map { "\($1.name) = $\($0 + 1)" }.joined(separator: ", ")
        let updated = try await session.execute(PostgresQuery(
            unsafeSQL: """
                UPDATE contracts SET \(assignments), version = version + 1
                WHERE id = $\(columns.count + 1) AND version = $\(columns.count + 2)
                """,
            binds: bindings))
        return updated == 1
    }

    /// Inserts `signers` as the rows of `contractID`, position 0, 1, 2… in signing order (one
    /// statement).
    static func insertSigners(_ signers: [Signer], contractID: String, _ session: PostgresSession) async throws {
        guard !signers.isEmpty else { return }
        let perRow = 14
        var bindings = PostgresBindings(capacity: signers.count * perRow)
        var tuples: [String] = []
        for (position, signer) in signers.enumerated() {
            let values: [Value] = [
                contractID, position, signer.role.rawValue, signer.method.rawValue, signer.name, signer.phone,
                signer.email, signer.state.rawValue, signer.linkTokenHash,
                ColumnCoding.milliseconds(signer.linkIssuedAt), ColumnCoding.milliseconds(signer.signedAt),
                signer.certificateSerial, signer.claim?.id, ColumnCoding.milliseconds(signer.claim?.expiresAt),
            ]
            for value in values { bindings.append(column: value) }
            let first = position * perRow
            tuples.append("(" + (1...perRow).map { "$\(first + $0)" }.joined(separator: ", ") + ")")
        }
        try await session.execute(PostgresQuery(
            unsafeSQL: """
                INSERT INTO signers (contract_id, position, role, method, name, phone, email, state, link_token_hash,
                    link_issued_at, signed_at, certificate_serial, claim_id, claim_expires_at)
                VALUES \(tuples.joined(separator: ", "))
                """,
            binds: bindings))
    }

    /// Replaces the signer rows of `contractID` with `signers`.
    static func replaceSigners(_ signers: [Signer], contractID: String, _ session: PostgresSession) async throws {
        try await session.execute("DELETE FROM signers WHERE contract_id = \(contractID)")
        try await insertSigners(signers, contractID: contractID, session)
    }

    /// The contracts that `selection` picks, with their signers, in `order`.
    ///
    /// - Parameters:
    ///   - selection: a statement selecting whole `contracts` rows (`SELECT * FROM contracts …`,
    ///     with its own `ORDER BY` and `LIMIT`), its values bound.
    ///   - order: the columns of `selection`'s `ORDER BY` (e.g. `["expires_at", "seq"]`, all
    ///     ascending) or `["seq DESC"]`: the joined rows keep that order.
    static func contracts(_ selection: PostgresQuery, order: [String], _ session: PostgresSession) async throws -> [Contract] {
        let outerOrder = (order.map { "c.\($0)" } + ["s.position"]).joined(separator: ", ")
        let query = PostgresQuery(
            unsafeSQL: """
                SELECT c.*, \(signerColumns) FROM (\(selection.sql)) c
                LEFT JOIN signers s ON s.contract_id = c.id
                ORDER BY \(outerOrder)
                """,
            binds: selection.binds)
        var contracts: [Contract] = []
        var current: (row: PostgresRandomAccessRow, id: String, signers: [Signer])?
        for row in try await session.rows(query) {
            let id: String = try row.value("id")
            if current?.id != id {
                if let done = current { contracts.append(try contract(done.row, signers: done.signers)) }
                current = (row, id, [])
            }
            if let signer = try signer(row) { current?.signers.append(signer) }
        }
        if let done = current { contracts.append(try contract(done.row, signers: done.signers)) }
        return contracts
    }

    /// The contract with `id`, with its signers.
    static func contract(id: String, _ session: PostgresSession) async throws -> Contract? {
        try await contracts("SELECT * FROM contracts WHERE id = \(id)", order: ["seq"], session).first
    }

    /// The `signers` columns of the joined statement, each named `signer_<column>`.
    static let signerColumns = [
        "position", "role", "method", "name", "phone", "email", "state", "link_token_hash", "link_issued_at",
        "signed_at", "certificate_serial", "claim_id", "claim_expires_at",
    ].map { "s.\($0) AS signer_\($0)" }.joined(separator: ", ")

    /// The contract of a `contracts` row with its signers (in position order).
    static func contract(_ row: PostgresRandomAccessRow, signers: [Signer]) throws -> Contract {
        guard let state = ContractState(rawValue: try row.value("state")) else { throw StoreError.corrupt("contract state") }
        return Contract(
            id: try row.value("id"), number: try row.value("number"), merchantID: try row.value("merchant_id"),
            state: state,
            template: TemplateReference(id: try row.value("template_id"), version: try row.value("template_version"),
                                        digest: try row.value("template_digest")),
            title: try row.value("title"), locale: try row.value("locale"),
            fields: try ColumnCoding.map(try row.value("fields")), metadata: try ColumnCoding.map(try row.value("metadata")),
            signers: signers,
            signatureBoxes: try ColumnCoding.decode([SignatureBox].self, try row.value("signature_boxes")),
            original: try required(row.storedDocument(prefix: "original"), "contract original document"),
            signed: try row.storedDocument(prefix: "signed"), evidence: try row.storedDocument(prefix: "evidence"),
            issuedAt: try row.requiredDate("issued_at"), expiresAt: try row.requiredDate("expires_at"),
            createdAt: try row.requiredDate("created_at"), updatedAt: try row.requiredDate("updated_at"),
            sentAt: try row.date("sent_at"), completedAt: try row.date("completed_at"),
            voidedAt: try row.date("voided_at"), voidReason: try row.value("void_reason"),
            declinedAt: try row.date("declined_at"), declineReason: try row.value("decline_reason"),
            auditHead: AuditChainHead(count: try row.value("audit_count"),
                                      hash: try row.value("audit_head", as: String?.self) ?? AuditChain.genesisHash),
            version: try row.value("version"), sequence: try row.value("seq"),
            fill: try row.value("fill", as: String?.self).map { try ColumnCoding.decode([String: JSONValue].self, $0) },
            timestampExpiresAt: try row.date("timestamp_expires_at"))
    }

    /// The signer of a joined row's `signer_*` columns; nil when the contract has no signer rows.
    static func signer(_ row: PostgresRandomAccessRow) throws -> Signer? {
        guard try row.value("signer_position", as: Int?.self) != nil else { return nil }
        guard let method = SigningMethod(rawValue: try row.value("signer_method")),
              let state = SignerState(rawValue: try row.value("signer_state")) else {
            throw StoreError.corrupt("signer method or state")
        }
        let claim = try row.value("signer_claim_id", as: String?.self).map {
            SigningClaim(id: $0, expiresAt: try required(row.date("signer_claim_expires_at"), "signer claim expiry"))
        }
        return Signer(
            role: PartyRole(rawValue: try row.value("signer_role")), method: method,
            name: try row.value("signer_name"), phone: try row.value("signer_phone"), email: try row.value("signer_email"),
            state: state, linkTokenHash: try row.value("signer_link_token_hash"),
            linkIssuedAt: try row.date("signer_link_issued_at"), signedAt: try row.date("signer_signed_at"),
            certificateSerial: try row.value("signer_certificate_serial"), claim: claim)
    }
}

extension PostgresBindings {
    /// Binds `value`, or NULL for nil.
    mutating func append(column value: PostgresContractRows.Value) {
        if let value { append(value) } else { appendNull() }
    }
}

extension PostgresRandomAccessRow {
    /// The document of the `<prefix>_sha256`, `_size` and `_page_count` columns; nil when the
    /// digest is NULL.
    func storedDocument(prefix: String) throws -> StoredDocument? {
        guard let sha256 = try value("\(prefix)_sha256", as: String?.self) else { return nil }
        return StoredDocument(sha256: sha256, size: try value("\(prefix)_size"),
                              pageCount: try value("\(prefix)_page_count"))
    }
}

extension Page {
    /// A page from items fetched with `LIMIT limit + 1`: the extra item only tells that there
    /// is a next page, whose `after` is the ordering key of the last item kept.
    static func postgres(fetched items: [Item], limit: Int, orderingKey: (Item) -> Int64) -> Page {
        let kept = Array(items.prefix(limit))
        return Page(items: kept, next: items.count > limit ? kept.last.map(orderingKey) : nil)
    }
}
