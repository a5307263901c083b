import FoundationEssentials
import PostgresNIO
import SignetArchive
import SignetService
import SignetTemplates

/// `SignerAccessRepository` on PostgreSQL (the v4-signer-access tables, hashes only), with
/// the semantics of `SQLiteSignerAccessRepository`. Where SQLite leaned on its single writer,
/// this holds across instances: challenges are ordered by an identity, every guard is one
/// `UPDATE … WHERE …` (the row lock makes a second writer see 0 rows), and a rate-limit bucket
/// is counted and hit under a transaction-level advisory lock on the bucket.
struct PostgresSignerAccessRepository: SignerAccessRepository {
    let database: PostgresPool

    /// The first key of the rate limiter's advisory locks ("rate" in ASCII); the second is the
    /// bucket's `hashtext`. Two-key locks never meet the migrator's one-key lock.
    static let rateLimitLockClass: Int32 = 0x7261_7465

    func lookupLink(tokenHash: String) async throws -> LinkLookup {
        let (signer, embedded, retired) = try await database.read { session in
            // The three queries run whatever the answer, so the time does not tell an unknown
            // link from a dead one or a live one.
            let signer = try await session.row("SELECT contract_id, role FROM signers WHERE link_token_hash = \(tokenHash)")
            let embedded = try await session.row("SELECT * FROM embedded_links WHERE token_hash = \(tokenHash)")
            let retired = try await session.row("""
                SELECT EXISTS (SELECT 1 FROM retired_link_tokens WHERE token_hash = \(tokenHash)) AS retired
                """)
            return (try signer.map { (try $0.value("contract_id", as: String.self), try $0.value("role", as: String.self)) },
                    try embedded.map(Self.embeddedLink),
                    try retired?.value("retired", as: Bool.self) ?? false)
        }
        let contracts = PostgresContractRepository(database: database)
        if let signer, let contract = try await contracts.contract(id: signer.0) {
            return .signer(contract, PartyRole(rawValue: signer.1))
        }
        if let embedded, let contract = try await contracts.contract(id: embedded.contractID) {
            return .embedded(embedded, contract)
        }
        return retired ? .retired : .unknown
    }

    func markLinkViewed(tokenHash: String, contractID: String, at date: Date) async throws -> Bool {
        try await database.write { session in
            try await session.execute("""
                INSERT INTO link_views (token_hash, contract_id, viewed_at) VALUES (\(tokenHash), \(contractID), \(ColumnCoding.milliseconds(date)))
                ON CONFLICT (token_hash) DO NOTHING
                """) == 1
        }
    }

    func insertChallenge(_ challenge: CodeChallenge) async throws {
        _ = try await database.write { session in
            try await session.execute("""
                INSERT INTO code_challenges (id, contract_id, role, token_hash, code_hash, notifier, created_at, expires_at)
                VALUES (\(challenge.id), \(challenge.contractID), \(challenge.role.rawValue), \(challenge.tokenHash), \(challenge.codeHash),
                        \(challenge.notifier), \(ColumnCoding.milliseconds(challenge.createdAt)), \(ColumnCoding.milliseconds(challenge.expiresAt)))
                """)
        }
    }

    func latestChallenge(contractID: String, role: PartyRole) async throws -> CodeChallenge? {
        try await database.read { session in
            try await session.row("""
                SELECT * FROM code_challenges WHERE contract_id = \(contractID) AND role = \(role.rawValue) ORDER BY seq DESC LIMIT 1
                """).map(Self.challenge)
        }
    }

    func recordWrongCode(challengeID: String, maximumAttempts: Int, at date: Date) async throws -> CodeChallenge? {
        try await database.write { session in
            try await session.row("""
                UPDATE code_challenges SET failed_attempts = failed_attempts + 1,
                    locked_at = CASE WHEN failed_attempts + 1 >= \(maximumAttempts) THEN \(ColumnCoding.milliseconds(date)) ELSE NULL END
                WHERE id = \(challengeID) AND locked_at IS NULL AND verified_at IS NULL
                RETURNING *
                """).map(Self.challenge)
        }
    }

    func markVerified(challengeID: String, at date: Date) async throws -> Bool {
        try await database.write { session in
            try await session.execute("""
                UPDATE code_challenges SET verified_at = \(ColumnCoding.milliseconds(date))
                WHERE id = \(challengeID) AND locked_at IS NULL AND verified_at IS NULL
                """) == 1
        }
    }

    func insertSession(_ session: SignerSession) async throws {
        _ = try await database.write { connection in
            try await connection.execute("""
                INSERT INTO signer_sessions (id_hash, contract_id, role, token_hash, authentication, notifier, created_at, expires_at,
                                             frame_ancestors)
                VALUES (\(session.idHash), \(session.contractID), \(session.role.rawValue), \(session.tokenHash), \(session.authentication),
                        \(session.notifier), \(ColumnCoding.milliseconds(session.createdAt)), \(ColumnCoding.milliseconds(session.expiresAt)),
                        \(SQLiteSignerAccessRepository.originList(session.frameAncestors)))
                """)
        }
    }

    func session(idHash: String) async throws -> SignerSession? {
        try await database.read { session in
            try await session.row("SELECT * FROM signer_sessions WHERE id_hash = \(idHash)").map { row in
                SignerSession(idHash: try row.value("id_hash"), contractID: try row.value("contract_id"),
                              role: PartyRole(rawValue: try row.value("role", as: String.self)), tokenHash: try row.value("token_hash"),
                              authentication: try row.value("authentication"), notifier: try row.value("notifier"),
                              createdAt: try row.requiredDate("created_at"), expiresAt: try row.requiredDate("expires_at"),
                              frameAncestors: SQLiteSignerAccessRepository.origins(try row.value("frame_ancestors")))
            }
        }
    }

    func touchSession(idHash: String, expiresAt: Date) async throws {
        _ = try await database.write { session in
            try await session.execute("""
                UPDATE signer_sessions SET expires_at = GREATEST(expires_at, \(ColumnCoding.milliseconds(expiresAt))) WHERE id_hash = \(idHash)
                """)
        }
    }

    func purgeSessions(endedBefore date: Date) async throws -> Int {
        try await database.write { session in
            try await session.execute("DELETE FROM signer_sessions WHERE expires_at < \(ColumnCoding.milliseconds(date))")
        }
    }

    /// Sliding-window limit, race-free across instances: the bucket's advisory lock (held to
    /// the end of the transaction) serialises its hits, so the count and the insert of one hit
    /// see every hit committed before it, whichever instance made it.
    func hit(bucket: String, limit: Int, window: TimeInterval, at date: Date) async throws -> Int? {
        try await database.write { session in
            let now = ColumnCoding.milliseconds(date)
            let start = now - Int64(window * 1000)
            try await session.execute("SELECT pg_advisory_xact_lock(\(Self.rateLimitLockClass), hashtext(\(bucket)))")
            try await session.execute("DELETE FROM rate_limit_hits WHERE bucket = \(bucket) AND at <= \(start)")
            let row = try await session.row("SELECT COUNT(*) AS count, MIN(at) AS oldest FROM rate_limit_hits WHERE bucket = \(bucket)")
            let count = try row?.value("count", as: Int.self) ?? 0
            if count >= limit {
                let oldest = try row?.value("oldest", as: Int64?.self) ?? now
                return max(1, Int((oldest - start + 999) / 1000))
            }
            try await session.execute("INSERT INTO rate_limit_hits (bucket, at) VALUES (\(bucket), \(now))")
            return nil
        }
    }

    func insertEmbeddedLink(_ link: EmbeddedLinkRecord) async throws {
        _ = try await database.write { session in
            try await session.execute("""
                INSERT INTO embedded_links (token_hash, contract_id, role, created_at, expires_at, frame_ancestors)
                VALUES (\(link.tokenHash), \(link.contractID), \(link.role.rawValue), \(ColumnCoding.milliseconds(link.createdAt)),
                        \(ColumnCoding.milliseconds(link.expiresAt)), \(SQLiteSignerAccessRepository.originList(link.frameAncestors)))
                """)
        }
    }

    /// Single use across instances: of concurrent uses, the first to lock the row sets
    /// `used_at`; the others re-check the condition after it commits and change nothing.
    func useEmbeddedLink(tokenHash: String, at date: Date) async throws -> Bool {
        try await database.write { session in
            try await session.execute("""
                UPDATE embedded_links SET used_at = \(ColumnCoding.milliseconds(date)) WHERE token_hash = \(tokenHash) AND used_at IS NULL
                """) == 1
        }
    }

    static func challenge(_ row: PostgresRandomAccessRow) throws -> CodeChallenge {
        CodeChallenge(
            id: try row.value("id"), contractID: try row.value("contract_id"),
            role: PartyRole(rawValue: try row.value("role", as: String.self)), tokenHash: try row.value("token_hash"),
            codeHash: try row.value("code_hash"), notifier: try row.value("notifier"),
            createdAt: try row.requiredDate("created_at"), expiresAt: try row.requiredDate("expires_at"),
            failedAttempts: try row.value("failed_attempts", as: Int.self), lockedAt: try row.date("locked_at"),
            verifiedAt: try row.date("verified_at"))
    }

    static func embeddedLink(_ row: PostgresRandomAccessRow) throws -> EmbeddedLinkRecord {
        EmbeddedLinkRecord(
            tokenHash: try row.value("token_hash"), contractID: try row.value("contract_id"),
            role: PartyRole(rawValue: try row.value("role", as: String.self)), createdAt: try row.requiredDate("created_at"),
            expiresAt: try row.requiredDate("expires_at"), usedAt: try row.date("used_at"),
            frameAncestors: SQLiteSignerAccessRepository.origins(try row.value("frame_ancestors")))
    }
}
