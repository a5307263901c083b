public import FoundationEssentials
package import GRDB
import SignetCrypto
public import SignetService

/// The service's storage on one machine: SQLite at `<directory>/signet.sqlite` (WAL, through
/// a GRDB `DatabasePool`: one writer, concurrent readers) and the blobs under
/// `<directory>/blobs/`.
///
/// ```swift
/// let store = try await SQLiteStorage.open(directory: URL(fileURLWithPath: "data"))
/// let service = ContractService(storage: store.storage, …)
/// ```
///
/// Every connection runs with `foreign_keys=ON`, a 5 s busy timeout (another process, e.g.
/// `signet apikeys create` beside a running server, holding the write lock) and
/// `synchronous=FULL`: in WAL mode, NORMAL may lose the last commits on a power loss (they
/// are in the WAL but not yet synced), and a commit here can record a signature whose
/// event certificate and timestamp exist outside the database; it must not disappear after
/// the client was told it succeeded. The cost is one fsync of the WAL per commit (docs:
/// the `apply`/`insert` figures in the SignetStore report).
public struct SQLiteStorage: ServiceStore {
    /// The data directory.
    public let directory: String
    /// The database file.
    public var databasePath: String { "\(directory)/signet.sqlite" }
    /// The pool, for the store's own tests and tools (`package`: no SQL outside SignetStore).
    package let pool: DatabasePool

    /// The repositories and the blob store, for the service.
    public var storage: ServiceStorage {
        let database = SQLiteDatabase(pool: pool)
        return ServiceStorage(
            merchants: SQLiteMerchantRepository(database: database),
            contracts: SQLiteContractRepository(database: database),
            documents: SQLiteDocumentRepository(database: database),
            apiKeys: SQLiteAPIKeyRepository(database: database),
            idempotency: SQLiteIdempotencyRepository(database: database),
            blobs: FileBlobStore(directory: "\(directory)/blobs"),
            checkHealth: { _ = try await database.read { db in try Int.fetchOne(db, sql: "SELECT 1") } },
            signerAccess: SQLiteSignerAccessRepository(database: database),
            webhooks: SQLiteWebhookRepository(database: database),
            console: SQLiteConsoleRepository(database: database),
            exports: SQLiteExportRepository(database: database, archiveDirectory: "\(directory)/exports"),
            certificateRegistries: SQLiteCertificateRegistries(database: database),
            timeStampSerials: SQLiteTimeStampSerials(database: database))
    }

    /// Rows as stored and the blob directory's inventory, for the invariant checker.
    public var inventory: any StoreInventory {
        SQLiteStoreInventory(database: SQLiteDatabase(pool: pool), blobStore: FileBlobStore(directory: "\(directory)/blobs"))
    }

    /// Opens (creating when missing) the storage in `directory` and runs the migrations the
    /// database has not had yet.
    public static func open(directory: URL) async throws -> SQLiteStorage {
        try await open(directory: directory.path(percentEncoded: false))
    }

    /// Opens (creating when missing) the storage in the directory at `path` and runs the
    /// migrations the database has not had yet.
    public static func open(directory path: String) async throws -> SQLiteStorage {
        let directory = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        let pool = try await BlockingIO.run {
            do {
                try SecureFile.makeDirectories(directory, mode: 0o750)
                let pool = try DatabasePool(path: "\(directory)/signet.sqlite", configuration: configuration)
                // GRDB switches its writer connection to `synchronous=NORMAL` when it turns WAL
                // on, after `prepareDatabase`: set FULL again on the writer (the only
                // connection that commits; it lives as long as the pool).
                try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
                return pool
            } catch CryptoError.io(_, let reason) {
                throw StoreError.unavailable("data directory: \(reason)")
            } catch {
                throw StoreErrorMapping.map(error)
            }
        }
        let storage = SQLiteStorage(directory: directory, pool: pool)
        try await storage.migrate()
        return storage
    }

    /// The connection settings of the class comment.
    static var configuration: Configuration {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        return configuration
    }

    /// Runs the migrations the database has not had yet (nothing when it is current).
    public func migrate() async throws {
        let migrator = Migrations.migrator
        let pool = pool
        do {
            // GRDB's asynchronous migration runs on the writer's queue, like every write.
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                migrator.asyncMigrate(pool) { result in continuation.resume(with: result.map { _ in () }) }
            }
        } catch {
            throw StoreErrorMapping.map(error)
        }
    }

    /// The identifiers of the migrations applied to the database, in order.
    public func appliedMigrations() async throws -> [String] {
        let migrator = Migrations.migrator
        return try await SQLiteDatabase(pool: pool).read { db in try migrator.appliedMigrations(db) }
    }

    /// Closes the database connections (after the service stopped using the repositories).
    public func close() async throws {
        let pool = pool
        try await BlockingIO.run {
            do { try pool.close() } catch { throw StoreErrorMapping.map(error) }
        }
    }
}
