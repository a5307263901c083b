import FoundationEssentials
import PostgresNIO
import SignetCrypto
import SignetService

/// Runs `PostgresMigrations` on a database: under a session-level advisory lock (so that
/// several instances starting together run each migration once, the others waiting and then
/// finding nothing to do), each migration in its own transaction with its row in
/// `signet_migrations`, so a crash mid-way leaves either all of a migration or none of it.
enum PostgresMigrator {
    /// The advisory lock's key: "signet" as ASCII, in a 64-bit key no other application here uses.
    static let lockKey: Int64 = 0x7369_676E_6574

    /// Applies the migrations `database` has not had, in order; returns the identifiers applied now.
    @discardableResult
    static func migrate(_ database: PostgresPool) async throws -> [String] {
        do {
            return try await database.client.withConnection { connection in
                let session = PostgresSession(connection: connection, logger: database.logger)
                try await session.execute("SELECT pg_advisory_lock(\(lockKey))")
                do {
                    let applied = try await run(session)
                    try await session.execute("SELECT pg_advisory_unlock(\(lockKey))")
                    return applied
                } catch {
                    _ = try? await session.execute("SELECT pg_advisory_unlock(\(lockKey))")
                    throw error
                }
            }
        } catch {
            throw PostgresErrorMapping.map(error)
        }
    }

    /// The identifiers recorded in `signet_migrations`, in the order they were applied.
    static func applied(_ database: PostgresPool) async throws -> [String] {
        try await database.read { session in
            guard try await session.row("SELECT to_regclass('signet_migrations') IS NOT NULL AS present")?
                .value("present", as: Bool.self) == true else { return [] }
            return try await session.rows("SELECT id FROM signet_migrations ORDER BY position").map { try $0.value("id", as: String.self) }
        }
    }

    private static func run(_ session: PostgresSession) async throws -> [String] {
        try await session.execute("""
            CREATE TABLE IF NOT EXISTS signet_migrations (
                position integer PRIMARY KEY,
                id text NOT NULL UNIQUE,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """)
        let done = Set(try await session.rows("SELECT id FROM signet_migrations").map { try $0.value("id", as: String.self) })
        let known = Set(PostgresMigrations.all.map(\.id))
        if let unknown = done.subtracting(known).sorted().first {
            // A newer Signet migrated this database: refuse rather than run against a schema we do not know.
            throw StoreError.unavailable("the database has migration \(unknown), which this version of Signet does not know")
        }
        var applied: [String] = []
        for (position, migration) in PostgresMigrations.all.enumerated() where !done.contains(migration.id) {
            try await session.execute("BEGIN")
            do {
                for statement in statements(of: migration.sql) {
                    try await session.execute(PostgresQuery(unsafeSQL: statement))
                }
                try await session.execute("INSERT INTO signet_migrations (position, id) VALUES (\(position + 1), \(migration.id))")
                try await session.execute("COMMIT")
            } catch {
                _ = try? await session.execute("ROLLBACK")
                throw error
            }
            applied.append(migration.id)
        }
        return applied
    }

    /// The statements of a migration's SQL, split at top-level semicolons: not inside quotes
    /// ('…', "…") nor a dollar-quoted function body ($$…$$). The extended query protocol takes
    /// one statement at a time.
    static func statements(of sql: String) -> [String] {
        var statements: [String] = []
        var current = ""
        var quote: Character?
        var inDollarBody = false
        var previous: Character?
        for character in sql {
            current.append(character)
            if inDollarBody {
                if character == "$" && previous == "$" { inDollarBody = false; previous = nil; continue }
            } else if let open = quote {
                if character == open { quote = nil }
            } else if character == "'" || character == "\"" {
                quote = character
            } else if character == "$" && previous == "$" {
                inDollarBody = true
                previous = nil
                continue
            } else if character == ";" {
                let statement = String(current.dropLast()).trimmingWhitespace()
                if !statement.isEmpty { statements.append(statement) }
                current = ""
            }
            previous = character
        }
        let rest = current.trimmingWhitespace()
        if !rest.isEmpty { statements.append(rest) }
        return statements
    }
}
