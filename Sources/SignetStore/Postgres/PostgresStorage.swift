import FoundationEssentials
public import Logging
import NIOCore
import PostgresNIO
public import SignetService

/// The service's storage on a PostgreSQL server: every repository, the blobs and the PKI's
/// changing state in one database, so that several `signet serve` instances share it and
/// none keeps state on its own disk (docs/deployment.md).
///
/// ```swift
/// let store = try await PostgresStorage.open(url: "postgres://signet@db.internal/signet")
/// let service = SignetService(storage: store.storage, …)
/// ```
///
/// Opening starts the connection pool and runs the migrations the database has not had
/// (under an advisory lock); `close()` stops the pool.
public struct PostgresStorage: ServiceStore {
    /// Where the database is (its password never printed: `PostgresLocation.description`).
    public let location: PostgresLocation
    /// The pool, for the store's own tests and tools (`package`: no SQL outside SignetStore).
    package let pool: PostgresPool

    /// The repositories and the blob store, for the service.
    public var storage: ServiceStorage {
        let pool = pool
        return ServiceStorage(
            merchants: PostgresMerchantRepository(database: pool),
            contracts: PostgresContractRepository(database: pool),
            documents: PostgresDocumentRepository(database: pool),
            apiKeys: PostgresAPIKeyRepository(database: pool),
            idempotency: PostgresIdempotencyRepository(database: pool),
            blobs: PostgresBlobStore(database: pool),
            checkHealth: { _ = try await pool.read { session in try await session.execute("SELECT 1") } },
            signerAccess: PostgresSignerAccessRepository(database: pool),
            webhooks: PostgresWebhookRepository(database: pool),
            console: PostgresConsoleRepository(database: pool),
            exports: PostgresExportRepository(database: pool),
            certificateRegistries: PostgresCertificateRegistries(database: pool),
            timeStampSerials: PostgresTimeStampSerials(database: pool))
    }

    /// Rows as stored and the `blobs` table's inventory, for the invariant checker.
    public var inventory: any StoreInventory { PostgresStoreInventory(database: pool) }

    /// Connects to the database at `location` and runs the migrations it has not had yet.
    /// Fails with `StoreError.unavailable` when the server cannot be reached or refuses.
    public static func open(_ location: PostgresLocation, logger: Logger = Logger(label: "signet.postgres")) async throws -> PostgresStorage {
        let storage = PostgresStorage(location: location, logger: logger)
        do {
            try await storage.migrate()
        } catch {
            await storage.close()
            throw error
        }
        return storage
    }

    private init(location: PostgresLocation, logger: Logger) {
        self.location = location
        let client = PostgresClient(configuration: location.clientConfiguration, backgroundLogger: logger)
        pool = PostgresPool(client: client, logger: logger)
    }

    /// Runs the migrations the database has not had yet (nothing when it is current).
    public func migrate() async throws {
        try await PostgresMigrator.migrate(pool)
    }

    /// The identifiers of the migrations applied to the database, in order.
    public func appliedMigrations() async throws -> [String] {
        try await PostgresMigrator.applied(pool)
    }

    /// Stops the pool (after the service stopped using the repositories).
    public func close() async {
        pool.shutDown()
    }
}
