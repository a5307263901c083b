import FoundationEssentials
public import Logging
public import SignetService

/// An opened storage backend: SQLite in a data directory (`SQLiteStorage`, one machine) or a
/// PostgreSQL database (`PostgresStorage`, any number of instances).
public protocol ServiceStore: Sendable {
    /// The repositories and the blob store, for the service.
    var storage: ServiceStorage { get }
    /// Rows as stored and the blob inventory, for the invariant checker (`signet check`).
    var inventory: any StoreInventory { get }
    /// The identifiers of the migrations applied, in order (the same list on both backends).
    func appliedMigrations() async throws -> [String]
    /// Releases the connections (after the service stopped using the repositories).
    func close() async throws
}

/// Where the service keeps its data: the `--database` option of `signet serve` (or
/// `SIGNET_DATABASE_URL`): a `postgres://` or `postgresql://` URL, or else the SQLite data
/// directory.
public enum StorageLocation: Sendable, CustomStringConvertible {
    /// SQLite and blob files in this directory.
    case sqlite(directory: String)
    /// A PostgreSQL database.
    case postgres(PostgresLocation)

    /// A PostgreSQL URL when `database` is one; otherwise SQLite in `dataDirectory`.
    public static func resolve(database: String?, dataDirectory: String) throws -> StorageLocation {
        guard let database, !database.isEmpty else { return .sqlite(directory: dataDirectory) }
        return .postgres(try PostgresLocation(url: database))
    }

    /// Opens the storage (creating and migrating it as needed).
    public func open(logger: Logger = Logger(label: "signet.store")) async throws -> any ServiceStore {
        switch self {
        case .sqlite(let directory): try await SQLiteStorage.open(directory: directory)
        case .postgres(let location): try await PostgresStorage.open(location, logger: logger)
        }
    }

    /// "sqlite:DIR" or the PostgreSQL URL without its password.
    public var description: String {
        switch self {
        case .sqlite(let directory): "sqlite:\(directory)"
        case .postgres(let location): location.description
        }
    }
}
