import FoundationEssentials
import GRDB
import SignetService
import SignetTemplates
import SignetArchive

/// Contracts and their signers to rows and back.
enum ContractRows {
    /// The `contracts` columns a contract writes (all but `seq`, assigned on insert, and
    /// `version`, which the statements set themselves), with their values.
    static func columns(of contract: Contract) throws -> [(name: String, value: (any DatabaseValueConvertible)?)] {
        [
            ("id", contract.id), ("number", contract.number), ("merchant_id", contract.merchantID),
            ("state", contract.state.rawValue), ("template_id", contract.template.id),
            ("template_version", contract.template.version), ("template_digest", contract.template.digest),
            ("title", contract.title), ("locale", contract.locale), ("fields", try ColumnCoding.json(contract.fields)),
            ("metadata", try ColumnCoding.json(contract.metadata)),
            ("fill", try contract.fill.map { try ColumnCoding.json(encoding: $0) }),
            ("signature_boxes", try ColumnCoding.json(encoding: contract.signatureBoxes)), ("original_sha256", contract.original.sha256),
            ("original_size", contract.original.size), ("original_page_count", contract.original.pageCount),
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

    /// The contract of a `contracts` row with its signers (in position order).
    static func contract(_ row: Row, signers: [Signer]) throws -> Contract {
        let state: String = try row.decode(forColumn: "state")
        guard let contractState = ContractState(rawValue: state) else { throw StoreError.corrupt("contract state") }
        return Contract(
            id: try row.decode(forColumn: "id"), number: try row.decode(forColumn: "number"),
            merchantID: try row.decode(forColumn: "merchant_id"), state: contractState,
            template: TemplateReference(id: try row.decode(forColumn: "template_id"),
                                        version: try row.decode(forColumn: "template_version"),
                                        digest: try row.decode(forColumn: "template_digest")),
            title: try row.decode(forColumn: "title"), locale: try row.decode(forColumn: "locale"),
            fields: try ColumnCoding.map(try row.decode(forColumn: "fields")),
            metadata: try ColumnCoding.map(try row.decode(forColumn: "metadata")), signers: signers,
            signatureBoxes: try ColumnCoding.decode([SignatureBox].self, try row.decode(forColumn: "signature_boxes")),
            original: try required(row.document(prefix: "original"), "contract original document"),
            signed: try row.document(prefix: "signed"), evidence: try row.document(prefix: "evidence"),
            issuedAt: try row.requiredDate("issued_at"), expiresAt: try row.requiredDate("expires_at"),
            createdAt: try row.requiredDate("created_at"), updatedAt: try row.requiredDate("updated_at"),
            sentAt: try row.date("sent_at"), completedAt: try row.date("completed_at"),
            voidedAt: try row.date("voided_at"), voidReason: try row.decode(forColumn: "void_reason"),
            declinedAt: try row.date("declined_at"), declineReason: try row.decode(forColumn: "decline_reason"),
            auditHead: AuditChainHead(count: try row.decode(forColumn: "audit_count"),
                                      hash: try row.decode(forColumn: "audit_head") ?? AuditChain.genesisHash),
            version: try row.decode(forColumn: "version"), sequence: try row.decode(forColumn: "seq"),
            fill: try (row.decode(String?.self, forColumn: "fill")).map { try ColumnCoding.decode([String: JSONValue].self, $0) },
            timestampExpiresAt: try row.date("timestamp_expires_at"))
    }

    /// Inserts `signers` as the rows of `contractID`, position 0, 1, 2… in signing order.
    static func insertSigners(_ signers: [Signer], contractID: String, _ db: Database) throws {
        for (position, signer) in signers.enumerated() {
            try db.execute(
                sql: """
                    INSERT INTO signers (contract_id, position, role, method, name, phone, email, state, link_token_hash,
                        link_issued_at, signed_at, certificate_serial, claim_id, claim_expires_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [contractID, position, signer.role.rawValue, signer.method.rawValue, signer.name, signer.phone,
                            signer.email, signer.state.rawValue, signer.linkTokenHash,
                            ColumnCoding.milliseconds(signer.linkIssuedAt), ColumnCoding.milliseconds(signer.signedAt),
                            signer.certificateSerial, signer.claim?.id, ColumnCoding.milliseconds(signer.claim?.expiresAt)])
        }
    }

    /// The signers of each of `contractIDs`, in position order.
    static func signers(of contractIDs: [String], _ db: Database) throws -> [String: [Signer]] {
        guard !contractIDs.isEmpty else { return [:] }
        let placeholders = Array(repeating: "?", count: contractIDs.count).joined(separator: ", ")
        let rows = try Row.fetchAll(
            db, sql: "SELECT * FROM signers WHERE contract_id IN (\(placeholders)) ORDER BY contract_id, position",
            arguments: StatementArguments(contractIDs))
        var result: [String: [Signer]] = [:]
        for row in rows {
            result[try row.decode(String.self, forColumn: "contract_id"), default: []].append(try signer(row))
        }
        return result
    }

    /// The signer of a `signers` row.
    static func signer(_ row: Row) throws -> Signer {
        guard let method = SigningMethod(rawValue: try row.decode(forColumn: "method")),
              let state = SignerState(rawValue: try row.decode(forColumn: "state")) else {
            throw StoreError.corrupt("signer method or state")
        }
        let claimID: String? = try row.decode(forColumn: "claim_id")
        let claim = try claimID.map {
            SigningClaim(id: $0, expiresAt: try required(row.date("claim_expires_at"), "signer claim expiry"))
        }
        return Signer(
            role: PartyRole(rawValue: try row.decode(forColumn: "role")), method: method,
            name: try row.decode(forColumn: "name"), phone: try row.decode(forColumn: "phone"),
            email: try row.decode(forColumn: "email"), state: state,
            linkTokenHash: try row.decode(forColumn: "link_token_hash"), linkIssuedAt: try row.date("link_issued_at"),
            signedAt: try row.date("signed_at"), certificateSerial: try row.decode(forColumn: "certificate_serial"),
            claim: claim)
    }

    /// The contracts of `rows` (from `contracts`), with their signers.
    static func contracts(_ rows: [Row], _ db: Database) throws -> [Contract] {
        let ids = try rows.map { try $0.decode(String.self, forColumn: "id") }
        let signers = try signers(of: ids, db)
        return try zip(rows, ids).map { try contract($0, signers: signers[$1] ?? []) }
    }

    /// The contract with `id`, with its signers.
    static func contract(id: String, _ db: Database) throws -> Contract? {
        try contracts(try Row.fetchAll(db, sql: "SELECT * FROM contracts WHERE id = ?", arguments: [id]), db).first
    }
}
