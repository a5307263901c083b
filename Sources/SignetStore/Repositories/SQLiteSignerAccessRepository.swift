import FoundationEssentials
import GRDB
import SignetService
import SignetTemplates

/// `SignerAccessRepository` on the v4-signer-access tables (hashes only).
struct SQLiteSignerAccessRepository: SignerAccessRepository {
    let database: SQLiteDatabase

    func lookupLink(tokenHash: String) async throws -> LinkLookup {
        try await database.read { db in
            // The three queries run whatever the answer, so the time does not tell an unknown
            // link from a dead one or a live one.
            let signer = try Row.fetchOne(db, sql: "SELECT contract_id, role FROM signers WHERE link_token_hash = ?", arguments: [tokenHash])
            let embedded = try Row.fetchOne(db, sql: "SELECT * FROM embedded_links WHERE token_hash = ?", arguments: [tokenHash])
            let retired = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM retired_link_tokens WHERE token_hash = ?)",
                                            arguments: [tokenHash]) ?? false
            if let signer, let contract = try ContractRows.contract(id: try signer.decode(forColumn: "contract_id"), db) {
                return .signer(contract, PartyRole(rawValue: try signer.decode(forColumn: "role")))
            }
            if let embedded, let contract = try ContractRows.contract(id: try embedded.decode(forColumn: "contract_id"), db) {
                return .embedded(try Self.embeddedLink(embedded), contract)
            }
            return retired ? .retired : .unknown
        }
    }

    func markLinkViewed(tokenHash: String, contractID: String, at date: Date) async throws -> Bool {
        try await database.write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO link_views (token_hash, contract_id, viewed_at) VALUES (?, ?, ?)",
                           arguments: [tokenHash, contractID, ColumnCoding.milliseconds(date)])
            return db.changesCount == 1
        }
    }

    func insertChallenge(_ challenge: CodeChallenge) async throws {
        try await database.write { db in
            try db.execute(sql: """
                INSERT INTO code_challenges (id, seq, contract_id, role, token_hash, code_hash, notifier, created_at, expires_at)
                VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM code_challenges), ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [challenge.id, challenge.contractID, challenge.role.rawValue, challenge.tokenHash, challenge.codeHash,
                                 challenge.notifier, ColumnCoding.milliseconds(challenge.createdAt),
                                 ColumnCoding.milliseconds(challenge.expiresAt)])
        }
    }

    func latestChallenge(contractID: String, role: PartyRole) async throws -> CodeChallenge? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM code_challenges WHERE contract_id = ? AND role = ? ORDER BY seq DESC LIMIT 1",
                             arguments: [contractID, role.rawValue]).map(Self.challenge)
        }
    }

    func recordWrongCode(challengeID: String, maximumAttempts: Int, at date: Date) async throws -> CodeChallenge? {
        try await database.write { db in
            try db.execute(sql: """
                UPDATE code_challenges SET failed_attempts = failed_attempts + 1,
                    locked_at = CASE WHEN failed_attempts + 1 >= ? THEN ? ELSE NULL END
                WHERE id = ? AND locked_at IS NULL AND verified_at IS NULL
                """, arguments: [maximumAttempts, ColumnCoding.milliseconds(date), challengeID])
            guard db.changesCount == 1 else { return nil }
            return try Row.fetchOne(db, sql: "SELECT * FROM code_challenges WHERE id = ?", arguments: [challengeID]).map(Self.challenge)
        }
    }

    func markVerified(challengeID: String, at date: Date) async throws -> Bool {
        try await database.write { db in
            try db.execute(sql: "UPDATE code_challenges SET verified_at = ? WHERE id = ? AND locked_at IS NULL AND verified_at IS NULL",
                           arguments: [ColumnCoding.milliseconds(date), challengeID])
            return db.changesCount == 1
        }
    }

    func insertSession(_ session: SignerSession) async throws {
        try await database.write { db in
            try db.execute(sql: """
                INSERT INTO signer_sessions (id_hash, contract_id, role, token_hash, authentication, notifier, created_at, expires_at,
                                             frame_ancestors)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [session.idHash, session.contractID, session.role.rawValue, session.tokenHash, session.authentication,
                                 session.notifier, ColumnCoding.milliseconds(session.createdAt), ColumnCoding.milliseconds(session.expiresAt),
                                 Self.originList(session.frameAncestors)])
        }
    }

    func session(idHash: String) async throws -> SignerSession? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM signer_sessions WHERE id_hash = ?", arguments: [idHash]).map { row in
                SignerSession(idHash: try row.decode(forColumn: "id_hash"), contractID: try row.decode(forColumn: "contract_id"),
                              role: PartyRole(rawValue: try row.decode(forColumn: "role")), tokenHash: try row.decode(forColumn: "token_hash"),
                              authentication: try row.decode(forColumn: "authentication"), notifier: try row.decode(forColumn: "notifier"),
                              createdAt: try row.requiredDate("created_at"), expiresAt: try row.requiredDate("expires_at"),
                              frameAncestors: Self.origins(try row.decode(forColumn: "frame_ancestors")))
            }
        }
    }

    func touchSession(idHash: String, expiresAt: Date) async throws {
        try await database.write { db in
            try db.execute(sql: "UPDATE signer_sessions SET expires_at = MAX(expires_at, ?) WHERE id_hash = ?",
                           arguments: [ColumnCoding.milliseconds(expiresAt), idHash])
        }
    }

    func purgeSessions(endedBefore date: Date) async throws -> Int {
        try await database.write { db in
            try db.execute(sql: "DELETE FROM signer_sessions WHERE expires_at < ?", arguments: [ColumnCoding.milliseconds(date)])
            return db.changesCount
        }
    }

    func hit(bucket: String, limit: Int, window: TimeInterval, at date: Date) async throws -> Int? {
        try await database.write { db in
            let now = ColumnCoding.milliseconds(date)
            let start = now - Int64(window * 1000)
            try db.execute(sql: "DELETE FROM rate_limit_hits WHERE bucket = ? AND at <= ?", arguments: [bucket, start])
            let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM rate_limit_hits WHERE bucket = ?", arguments: [bucket]) ?? 0
            if count >= limit {
                let oldest = try Int64.fetchOne(db, sql: "SELECT MIN(at) FROM rate_limit_hits WHERE bucket = ?", arguments: [bucket]) ?? now
                return max(1, Int((oldest - start + 999) / 1000))
            }
            try db.execute(sql: "INSERT INTO rate_limit_hits (bucket, at) VALUES (?, ?)", arguments: [bucket, now])
            return nil
        }
    }

    func insertEmbeddedLink(_ link: EmbeddedLinkRecord) async throws {
        try await database.write { db in
            try db.execute(sql: """
                INSERT INTO embedded_links (token_hash, contract_id, role, created_at, expires_at, frame_ancestors) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [link.tokenHash, link.contractID, link.role.rawValue, ColumnCoding.milliseconds(link.createdAt),
                                 ColumnCoding.milliseconds(link.expiresAt), Self.originList(link.frameAncestors)])
        }
    }

    func useEmbeddedLink(tokenHash: String, at date: Date) async throws -> Bool {
        try await database.write { db in
            try db.execute(sql: "UPDATE embedded_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL",
                           arguments: [ColumnCoding.milliseconds(date), tokenHash])
            return db.changesCount == 1
        }
    }

    static func challenge(_ row: Row) throws -> CodeChallenge {
        CodeChallenge(
            id: try row.decode(forColumn: "id"), contractID: try row.decode(forColumn: "contract_id"),
            role: PartyRole(rawValue: try row.decode(forColumn: "role")), tokenHash: try row.decode(forColumn: "token_hash"),
            codeHash: try row.decode(forColumn: "code_hash"), notifier: try row.decode(forColumn: "notifier"),
            createdAt: try row.requiredDate("created_at"), expiresAt: try row.requiredDate("expires_at"),
            failedAttempts: try row.decode(forColumn: "failed_attempts"), lockedAt: try row.date("locked_at"),
            verifiedAt: try row.date("verified_at"))
    }

    static func embeddedLink(_ row: Row) throws -> EmbeddedLinkRecord {
        EmbeddedLinkRecord(
            tokenHash: try row.decode(forColumn: "token_hash"), contractID: try row.decode(forColumn: "contract_id"),
            role: PartyRole(rawValue: try row.decode(forColumn: "role")), createdAt: try row.requiredDate("created_at"),
            expiresAt: try row.requiredDate("expires_at"), usedAt: try row.date("used_at"),
            frameAncestors: origins(try row.decode(forColumn: "frame_ancestors")))
    }

    /// Origins as stored: space separated (an origin holds no space).
    static func originList(_ origins: [String]) -> String { origins.joined(separator: " ") }

    /// Stored origins as a list.
    static func origins(_ text: String) -> [String] { text.split(separator: " ").map(String.init) }
}
