import Foundation
import GRDB
import SignetService
import SignetStore
import SignetServiceTestSupport
import SignetTestSupport

extension TestStore {
    /// A second storage on the same database (another instance, as far as the store can tell),
    /// closed by the caller.
    func secondInstance() async throws -> any ServiceStore {
        try await TestStorage.open(location)
    }

    /// Runs `sql` on the test's database behind the store's back (what someone with access
    /// to the database could do): GRDB on SQLite, `psql` on PostgreSQL.
    func rawSQL(_ sql: String) async throws {
        switch location {
        case .sqlite:
            try await sqlite().pool.write { try $0.execute(sql: sql) }
        case .postgres(let postgres):
            try PostgresTestServer.shared().psql(sql, database: postgres.database)
        }
    }
}
