import GRDB
import SignetService

/// The connection pool the repositories share: every access goes through GRDB's async
/// `read`/`write` (the SQLite work runs on GRDB's own dispatch queues, never on the calling
/// task's thread or a NIO event loop) and every error comes out as a `StoreError`.
struct SQLiteDatabase: Sendable {
    /// The pool: one writer connection (writes are serialised), several readers (WAL).
    let pool: DatabasePool

    /// Runs `body` in a read-only snapshot.
    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.read(body)
        } catch {
            throw StoreErrorMapping.map(error)
        }
    }

    /// Runs `body` in one write transaction: committed when it returns, rolled back when it
    /// throws.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.write(body)
        } catch {
            throw StoreErrorMapping.map(error)
        }
    }
}
