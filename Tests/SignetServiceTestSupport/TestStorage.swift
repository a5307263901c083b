package import Foundation
package import SignetStore
import SignetTestSupport

/// The storage backend the service suites run on: SQLite in the test's directory, or — with
/// `SIGNET_TEST_BACKEND=postgres` (what `make test`'s second pass sets) — a fresh database on
/// the tests' PostgreSQL server (`PostgresTestServer`). One suite, two backends: every test
/// that opens its storage here runs on both.
package enum TestStorage {
    /// Whether this process runs the suites on PostgreSQL.
    package static var isPostgres: Bool { PostgresTestServer.backendIsPostgres }

    /// Where a new test's data goes: `directory` for SQLite, else a new PostgreSQL database.
    package static func location(in directory: URL) throws -> StorageLocation {
        guard isPostgres else { return .sqlite(directory: directory.path) }
        return try postgresLocation()
    }

    /// A new, empty PostgreSQL database on the tests' server (whatever the backend setting):
    /// for the tests that need PostgreSQL itself.
    package static func postgresLocation(poolSize: Int = 6) throws -> StorageLocation {
        .postgres(try PostgresLocation(url: try PostgresTestServer.shared().createDatabase(poolSize: poolSize)))
    }

    /// Opens (creating and migrating) the storage at `location`.
    package static func open(_ location: StorageLocation) async throws -> any ServiceStore {
        try await location.open()
    }

    /// The `signet serve`/`signet apikeys` arguments naming `location`: `--data DIR` or `--database URL`.
    package static func arguments(for location: StorageLocation) -> [String] {
        switch location {
        case .sqlite(let directory): ["--data", directory]
        case .postgres(let postgres): ["--database", postgres.connectionURL]
        }
    }
}
