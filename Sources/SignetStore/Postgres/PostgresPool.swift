package import FoundationEssentials
import Logging
import NIOCore
package import PostgresNIO
import SignetService

/// The PostgreSQL connection pool the repositories share (PostgresNIO's `PostgresClient`,
/// which runs on NIO's event loops: no thread blocks on a query). Every access goes through
/// `read` (one pooled connection, autocommit) or `write` (one transaction: committed when the
/// body returns, rolled back when it throws), and every error comes out as a `StoreError`.
///
/// Transactions run at READ COMMITTED, PostgreSQL's default. The guard of every state change
/// is a single `UPDATE … WHERE version = $n`: a second writer waits for the first to commit,
/// re-reads the row and finds the version moved, so it changes nothing (exactly one winner).
package struct PostgresPool: Sendable {
    /// The pool.
    package let client: PostgresClient
    /// Where PostgresNIO logs queries (at trace level only; never bound values).
    package let logger: Logger
    /// Runs the client while any repository holding this pool exists.
    let lifetime: Lifetime

    /// Starts `client` (its `run()` in a task) for as long as the pool is referenced.
    init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
        // Started at once (not on a later turn of the executor), so the pool is running before
        // the first lease: PostgresNIO warns about a lease before `run()`.
        lifetime = Lifetime(running: Task.immediate { await client.run() })
    }

    /// Stops the client (its connections close); queries after this fail.
    func shutDown() { lifetime.running.cancel() }

    /// The task running the client, cancelled when the last copy of the pool goes away.
    final class Lifetime: Sendable {
        let running: Task<Void, Never>
        init(running: Task<Void, Never>) { self.running = running }
        deinit { running.cancel() }
    }

    /// Runs `body` on a pooled connection, each statement in its own implicit transaction.
    package func read<T: Sendable>(_ body: (PostgresSession) async throws -> T) async throws -> T {
        do {
            return try await client.withConnection { connection in
                try await body(PostgresSession(connection: connection, logger: logger))
            }
        } catch {
            throw PostgresErrorMapping.map(error)
        }
    }

    /// Runs `body` in one transaction (`BEGIN` … `COMMIT`, `ROLLBACK` when it throws).
    package func write<T: Sendable>(_ body: (PostgresSession) async throws -> T) async throws -> T {
        do {
            return try await client.withTransaction(logger: logger) { connection in
                try await body(PostgresSession(connection: connection, logger: logger))
            }
        } catch let error as PostgresTransactionError {
            throw PostgresErrorMapping.map(error.closureError ?? error.beginError ?? error.commitError ?? error)
        } catch {
            throw PostgresErrorMapping.map(error)
        }
    }
}

/// One connection lent to a repository's `read` or `write` body.
package struct PostgresSession {
    /// The connection (do not keep it past the body).
    package let connection: PostgresConnection
    let logger: Logger

    /// Every row of `query`, collected.
    package func rows(_ query: PostgresQuery) async throws -> [PostgresRandomAccessRow] {
        try await connection.query(query, logger: logger).collect().map(PostgresRandomAccessRow.init)
    }

    /// The first row of `query`, nil when there is none.
    package func row(_ query: PostgresQuery) async throws -> PostgresRandomAccessRow? {
        try await rows(query).first
    }

    /// Runs a statement; returns how many rows it inserted, updated or deleted.
    @discardableResult
    package func execute(_ query: PostgresQuery) async throws -> Int {
        let result: EventLoopFuture<PostgresQueryResult> = connection.query(query, logger: logger)
        return try await result.get().metadata.rows ?? 0
    }
}

extension PostgresRandomAccessRow {
    /// The value of column `name` (NULL decodes as nil for optional types).
    package func value<T: PostgresDecodable>(_ name: String, as type: T.Type = T.self) throws -> T {
        do {
            return try self[name].decode(T.self)
        } catch {
            throw StoreError.corrupt("column \(name) does not decode")
        }
    }

    /// The date of a Unix-milliseconds column.
    package func date(_ name: String) throws -> Date? {
        try value(name, as: Int64?.self).map(ColumnCoding.date)
    }

    /// The date of a non-NULL Unix-milliseconds column.
    package func requiredDate(_ name: String) throws -> Date {
        guard let date = try date(name) else { throw StoreError.corrupt("column \(name) is NULL") }
        return date
    }
}

/// Turns what PostgresNIO throws into `StoreError` (or passes `CancellationError` through).
/// Only the SQLSTATE and the constraint's name are kept: no SQL, bound value or server
/// message reaches a `StoreError`, so nothing of the schema or the data can reach an API
/// response through an error's description.
enum PostgresErrorMapping {
    /// The unique constraints the service names, by PostgreSQL's constraint (or index) name.
    static let uniqueConstraints: [String: String] = [
        "merchants_id_key": "merchant.id",
        "merchants_external_id_key": "merchant.external_id",
        "contracts_id_key": "contract.id",
        "contracts_number_key": "contract.number",
        "signers_link_token_hash": "signer.link_token_hash",
        "documents_id_key": "document.id",
        "api_keys_id_key": "api_key.id",
        "api_keys_hash_key": "api_key.hash",
        "audit_events_contract_sequence": "audit_event.sequence",
    ]

    /// `error` as a `StoreError` (or `CancellationError`).
    static func map(_ error: any Error) -> any Error {
        switch error {
        case is StoreError, is CancellationError:
            return error
        case let error as PSQLError:
            return map(error)
        default:
            return StoreError.unavailable("database access failed (\(type(of: error)))")
        }
    }

    private static func map(_ error: PSQLError) -> StoreError {
        guard error.code == .server, let state = error.serverInfo?[.sqlState] else {
            return .unavailable("PostgreSQL connection: \(error.code)")
        }
        switch state {
        case "23505":
            let constraint = error.serverInfo?[.constraintName] ?? ""
            return .duplicate(uniqueConstraints[constraint] ?? "unique value")
        case "23503":
            return .missing("referenced row")
        default:
            return .unavailable("PostgreSQL SQLSTATE \(state)")
        }
    }
}
