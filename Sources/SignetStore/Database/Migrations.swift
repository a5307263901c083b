import GRDB

/// The database schema, as versioned migrations run at every open (`SQLiteStorage.open`):
/// each runs once, in order, and is recorded in `grdb_migrations`; a new version is a new
/// migration appended here, never an edit of a shipped one.
enum Migrations {
    /// The migrator with every version.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1", migrate: v1)
        migrator.registerMigration("v2-signature-boxes", migrate: v2)
        migrator.registerMigration("v3-audit-head", migrate: v3)
        migrator.registerMigration("v4-render-fill", migrate: v4RenderFill)
        migrator.registerMigration("v4-signer-access", migrate: v4SignerAccess)
        migrator.registerMigration("v4-webhooks", migrate: v4Webhooks)
        migrator.registerMigration("v4-console", migrate: v4Console)
        migrator.registerMigration("v4-embedded-framing", migrate: v4EmbeddedFraming)
        migrator.registerMigration("v5-evidence", migrate: v5Evidence)
        migrator.registerMigration("v5-renewal", migrate: v5Renewal)
        migrator.registerMigration("v5-exports", migrate: v5Exports)
        migrator.registerMigration("v6-blobs", migrate: v6Blobs)
        migrator.registerMigration("v6-pki-state", migrate: v6PKIState)
        migrator.registerMigration("v7-idempotent-resources", migrate: v7IdempotentResources)
        return migrator
    }

    /// Version 1: every table of issue 14.
    ///
    /// Ordering keys (`seq`, `audit_events.id`) are `INTEGER PRIMARY KEY AUTOINCREMENT`, so
    /// they only grow and are never reused; the resource ids are `UNIQUE` text beside them.
    /// Times are Unix milliseconds; string maps are JSON text with sorted keys.
    @Sendable static func v1(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE merchants (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                id TEXT NOT NULL UNIQUE,
                external_id TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL,
                registration_kind TEXT NOT NULL CHECK (registration_kind IN ('credit_code', 'foreign')),
                registration_number TEXT NOT NULL,
                registration_country TEXT NOT NULL,
                legal_representative TEXT NOT NULL,
                contact_name TEXT NOT NULL,
                contact_phone TEXT,
                contact_email TEXT,
                created_at INTEGER NOT NULL
            );

            CREATE TABLE contracts (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                id TEXT NOT NULL UNIQUE,
                number TEXT NOT NULL UNIQUE,
                merchant_id TEXT NOT NULL REFERENCES merchants(id),
                state TEXT NOT NULL,
                template_id TEXT NOT NULL,
                template_version TEXT NOT NULL,
                template_digest TEXT NOT NULL,
                title TEXT NOT NULL,
                locale TEXT NOT NULL,
                fields TEXT NOT NULL,
                metadata TEXT NOT NULL,
                original_sha256 TEXT NOT NULL,
                original_size INTEGER NOT NULL,
                original_page_count INTEGER,
                signed_sha256 TEXT,
                signed_size INTEGER,
                signed_page_count INTEGER,
                issued_at INTEGER NOT NULL,
                expires_at INTEGER NOT NULL,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                sent_at INTEGER,
                completed_at INTEGER,
                voided_at INTEGER,
                void_reason TEXT,
                declined_at INTEGER,
                decline_reason TEXT,
                version INTEGER NOT NULL
            );
            CREATE INDEX contracts_merchant_seq ON contracts (merchant_id, seq);
            CREATE INDEX contracts_state_seq ON contracts (state, seq);
            CREATE INDEX contracts_expires_at ON contracts (expires_at);
            CREATE INDEX contracts_created_at ON contracts (created_at);

            CREATE TABLE signers (
                contract_id TEXT NOT NULL REFERENCES contracts(id) ON DELETE CASCADE,
                position INTEGER NOT NULL,
                role TEXT NOT NULL,
                method TEXT NOT NULL,
                name TEXT NOT NULL,
                phone TEXT,
                email TEXT,
                state TEXT NOT NULL,
                link_token_hash TEXT,
                link_issued_at INTEGER,
                signed_at INTEGER,
                certificate_serial TEXT,
                claim_id TEXT,
                claim_expires_at INTEGER,
                PRIMARY KEY (contract_id, position)
            );
            CREATE UNIQUE INDEX signers_link_token_hash ON signers (link_token_hash)
                WHERE link_token_hash IS NOT NULL;

            CREATE TABLE contract_numbers (
                year INTEGER PRIMARY KEY,
                last INTEGER NOT NULL
            );

            CREATE TABLE audit_events (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                contract_id TEXT NOT NULL REFERENCES contracts(id),
                sequence INTEGER NOT NULL,
                merchant_id TEXT NOT NULL,
                type TEXT NOT NULL,
                actor TEXT NOT NULL,
                occurred_at INTEGER NOT NULL,
                ip TEXT,
                user_agent TEXT,
                data TEXT NOT NULL,
                previous_hash TEXT NOT NULL,
                hash TEXT NOT NULL,
                UNIQUE (contract_id, sequence)
            );
            CREATE INDEX audit_events_merchant_id ON audit_events (merchant_id, id);

            CREATE TABLE documents (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                id TEXT NOT NULL UNIQUE,
                merchant_id TEXT NOT NULL REFERENCES merchants(id),
                title TEXT NOT NULL,
                original_sha256 TEXT NOT NULL,
                original_size INTEGER NOT NULL,
                original_page_count INTEGER,
                sealed_sha256 TEXT NOT NULL,
                sealed_size INTEGER NOT NULL,
                sealed_page_count INTEGER,
                created_at INTEGER NOT NULL
            );
            CREATE INDEX documents_merchant_seq ON documents (merchant_id, seq);

            CREATE TABLE api_keys (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                id TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL,
                prefix TEXT NOT NULL,
                hash TEXT NOT NULL UNIQUE,
                created_at INTEGER NOT NULL,
                revoked_at INTEGER
            );

            CREATE TABLE idempotency (
                scope TEXT NOT NULL,
                key TEXT NOT NULL,
                request_hash TEXT NOT NULL,
                state TEXT NOT NULL CHECK (state IN ('running', 'done')),
                locked_until INTEGER NOT NULL,
                response_status INTEGER,
                response_headers TEXT,
                response_body BLOB,
                created_at INTEGER NOT NULL,
                completed_at INTEGER,
                PRIMARY KEY (scope, key)
            );
            CREATE INDEX idempotency_created_at ON idempotency (created_at);
            """)
    }

    /// v2: where each role signs in the original (page and rectangle), kept from the render so
    /// a contract is signed without rendering it again.
    static func v2(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE contracts ADD COLUMN signature_boxes TEXT NOT NULL DEFAULT '[]'")
    }

    /// v3: the newest point of each contract's audit chain (count and hash), written with the
    /// events, so a trail cut short at its end is detectable.
    static func v3(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE contracts ADD COLUMN audit_count INTEGER NOT NULL DEFAULT 0")
        try db.execute(sql: "ALTER TABLE contracts ADD COLUMN audit_head TEXT")
    }

    /// v4: the values each contract was rendered from, as given (JSON object; NULL for older
    /// contracts), so the original can be rendered again byte for byte (page images).
    static func v4RenderFill(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE contracts ADD COLUMN fill TEXT")
    }

    /// v4-signer-access (issue 15): signer authentication. Hashes only (tokens, codes, session
    /// secrets). `retired_link_tokens` keeps the hash of every signing link that stopped
    /// working (filled by a trigger whenever a signer row with a link is replaced), so a dead
    /// link is told apart from one never issued (410 vs 404); `link_views` records each
    /// link's first open; `rate_limit_hits` holds the sliding windows.
    static func v4SignerAccess(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE retired_link_tokens (
                token_hash TEXT PRIMARY KEY,
                contract_id TEXT NOT NULL,
                role TEXT NOT NULL,
                retired_at INTEGER NOT NULL
            );
            CREATE TRIGGER signers_retire_link AFTER DELETE ON signers
            WHEN OLD.link_token_hash IS NOT NULL
            BEGIN
                INSERT OR IGNORE INTO retired_link_tokens (token_hash, contract_id, role, retired_at)
                VALUES (OLD.link_token_hash, OLD.contract_id, OLD.role, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
            END;

            CREATE TABLE link_views (
                token_hash TEXT PRIMARY KEY,
                contract_id TEXT NOT NULL,
                viewed_at INTEGER NOT NULL
            );

            CREATE TABLE code_challenges (
                id TEXT PRIMARY KEY,
                seq INTEGER NOT NULL UNIQUE,
                contract_id TEXT NOT NULL REFERENCES contracts(id) ON DELETE CASCADE,
                role TEXT NOT NULL,
                token_hash TEXT NOT NULL,
                code_hash TEXT NOT NULL,
                notifier TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                expires_at INTEGER NOT NULL,
                failed_attempts INTEGER NOT NULL DEFAULT 0,
                locked_at INTEGER,
                verified_at INTEGER
            );
            CREATE INDEX code_challenges_signer ON code_challenges (contract_id, role, seq);

            CREATE TABLE signer_sessions (
                id_hash TEXT PRIMARY KEY,
                contract_id TEXT NOT NULL REFERENCES contracts(id) ON DELETE CASCADE,
                role TEXT NOT NULL,
                token_hash TEXT NOT NULL,
                authentication TEXT NOT NULL CHECK (authentication IN ('otp', 'integrator')),
                notifier TEXT,
                created_at INTEGER NOT NULL,
                expires_at INTEGER NOT NULL
            );
            CREATE INDEX signer_sessions_expires_at ON signer_sessions (expires_at);

            CREATE TABLE rate_limit_hits (
                bucket TEXT NOT NULL,
                at INTEGER NOT NULL
            );
            CREATE INDEX rate_limit_hits_bucket ON rate_limit_hits (bucket, at);

            CREATE TABLE embedded_links (
                token_hash TEXT PRIMARY KEY,
                contract_id TEXT NOT NULL REFERENCES contracts(id) ON DELETE CASCADE,
                role TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                expires_at INTEGER NOT NULL,
                used_at INTEGER
            );
            """)
    }

    /// v4-webhooks: webhook endpoints (secrets sealed), the event outbox (written in the
    /// transactions of the changes it reports; payloads holding a code sealed), one delivery
    /// per event and endpoint, and every attempt.
    static func v4Webhooks(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE webhook_endpoints (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                id TEXT NOT NULL UNIQUE,
                url TEXT NOT NULL,
                event_types TEXT NOT NULL,
                description TEXT,
                sealed_secrets BLOB NOT NULL,
                created_at INTEGER NOT NULL,
                disabled_at INTEGER,
                disabled_reason TEXT,
                deleted_at INTEGER
            );

            CREATE TABLE webhook_events (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                id TEXT NOT NULL UNIQUE,
                type TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                payload BLOB NOT NULL,
                sealed INTEGER NOT NULL DEFAULT 0,
                dispatched INTEGER NOT NULL DEFAULT 0
            );
            CREATE INDEX webhook_events_undispatched ON webhook_events (seq) WHERE dispatched = 0;

            CREATE TABLE webhook_deliveries (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                id TEXT NOT NULL UNIQUE,
                endpoint_id TEXT NOT NULL REFERENCES webhook_endpoints(id),
                event_id TEXT NOT NULL REFERENCES webhook_events(id),
                state TEXT NOT NULL CHECK (state IN ('pending', 'succeeded', 'failed')),
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at INTEGER,
                last_status INTEGER,
                last_error TEXT,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                UNIQUE (event_id, endpoint_id)
            );
            CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at, seq) WHERE state = 'pending';
            CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, seq);

            CREATE TABLE webhook_attempts (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                delivery_id TEXT NOT NULL REFERENCES webhook_deliveries(id),
                number INTEGER NOT NULL,
                attempted_at INTEGER NOT NULL,
                status INTEGER,
                error TEXT
            );
            CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, id);
            """)
    }

    /// v4-console (issue 15): the operator console's sessions (SHA-256 of the secret only;
    /// gone with their API key's row) and an index for the journey statistics, which scan
    /// the audit events of one type in a period (`signer.signed`) and then each contract's
    /// own events (the `(contract_id, sequence)` index).
    static func v4Console(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE console_sessions (
                id_hash TEXT PRIMARY KEY,
                api_key_id TEXT NOT NULL REFERENCES api_keys(id) ON DELETE CASCADE,
                created_at INTEGER NOT NULL,
                idle_expires_at INTEGER NOT NULL,
                absolute_expires_at INTEGER NOT NULL
            );
            CREATE INDEX console_sessions_idle_expires_at ON console_sessions (idle_expires_at);
            CREATE INDEX audit_events_type_occurred_at ON audit_events (type, occurred_at);
            """)
    }

    /// v4-embedded-framing: the https origins an integrator lets frame the pages of an
    /// embedded link's session (space separated; empty: the server's default).
    static func v4EmbeddedFraming(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE embedded_links ADD COLUMN frame_ancestors TEXT NOT NULL DEFAULT '';
            ALTER TABLE signer_sessions ADD COLUMN frame_ancestors TEXT NOT NULL DEFAULT '';
            """)
    }

    /// v5-evidence (issue 16): the sealed evidence report of a completed contract, and an
    /// index for the job that makes the missing ones.
    static func v5Evidence(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE contracts ADD COLUMN evidence_sha256 TEXT;
            ALTER TABLE contracts ADD COLUMN evidence_size INTEGER;
            ALTER TABLE contracts ADD COLUMN evidence_page_count INTEGER;
            CREATE INDEX contracts_awaiting_evidence ON contracts (seq) WHERE state = 'completed' AND evidence_sha256 IS NULL;
            """)
    }

    /// Long-term renewal (issue 16): when each completed contract's newest timestamp stops
    /// proving anything (its TSA certificate's end), so the renewal job finds the due ones
    /// with an index instead of reading every PDF. Rows completed before this migration stay
    /// NULL until the renewal job reads their PDF once (`contractsWithoutTimestampExpiry`).
    static func v5Renewal(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE contracts ADD COLUMN timestamp_expires_at INTEGER;
            CREATE INDEX contracts_state_timestamp_expires_at ON contracts (state, timestamp_expires_at);
            """)
    }

    /// v5-exports (issue 16): export jobs (the archive itself is a file under
    /// `<data>/exports/`, only its path, size and digest are here), and an index for the
    /// exports' selection by completion time.
    static func v5Exports(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE export_jobs (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                id TEXT NOT NULL UNIQUE,
                state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed')),
                filter TEXT NOT NULL,
                progress_done INTEGER NOT NULL DEFAULT 0,
                progress_total INTEGER NOT NULL DEFAULT 0,
                archive_path TEXT,
                archive_size INTEGER,
                archive_sha256 TEXT,
                error_code TEXT,
                error_message TEXT,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                finished_at INTEGER
            );
            CREATE INDEX export_jobs_state_seq ON export_jobs (state, seq);
            CREATE INDEX contracts_state_completed_at ON contracts (state, completed_at);
            """)
    }

    /// v6-blobs (issue 17; PostgreSQL adds its blob table here): blobs stay files in the data
    /// directory on one machine. A running export job holds a lease (`leased_until`) that its
    /// worker renews with each progress report, so a starting instance re-queues only jobs
    /// whose worker is gone.
    static func v6Blobs(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE export_jobs ADD COLUMN leased_until INTEGER")
    }

    /// v6-pki-state (issue 17): the PKI's changing state in the database, as on PostgreSQL: the
    /// issuing CA's record of the certificates it issued and revoked (what OCSP and CRLs answer
    /// from), CRL numbers, and the TSA's serial blocks (one row: the last block reserved).
    static func v6PKIState(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE issued_certificates (
                issuer TEXT NOT NULL,
                serial TEXT NOT NULL,
                not_after INTEGER NOT NULL,
                subject TEXT NOT NULL,
                recorded_at INTEGER NOT NULL,
                revoked_at INTEGER,
                revocation_reason INTEGER,
                invalidity_date INTEGER,
                PRIMARY KEY (issuer, serial)
            );
            CREATE INDEX issued_certificates_revoked ON issued_certificates (issuer, revoked_at) WHERE revoked_at IS NOT NULL;

            CREATE TABLE crl_numbers (
                issuer TEXT PRIMARY KEY,
                last INTEGER NOT NULL
            );

            CREATE TABLE tsa_serial_blocks (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                last INTEGER NOT NULL
            );
            """)
    }

    /// v7-idempotent-resources (issue 18): the resource a keyed POST created, written in the
    /// transaction that creates it. A retry that takes over the key after a crash (the first
    /// request committed but never stored its response) finds the resource instead of creating
    /// a second one.
    static func v7IdempotentResources(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE idempotency ADD COLUMN resource_id TEXT")
    }
}
