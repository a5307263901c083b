import GRDB
import SignetPKI
import SignetService

/// The TSA's serial blocks on SQLite's single-row `tsa_serial_blocks` table: each
/// reservation moves `last` up in one statement (the single writer orders them), so two
/// processes on the same database never get the same serial.
struct SQLiteTimeStampSerials: TimeStampSerialSource {
    let database: SQLiteDatabase

    func reserve(_ count: Int) async throws -> ClosedRange<UInt64> {
        guard count >= 1 else { throw StoreError.unavailable("a serial reservation takes at least one serial") }
        let size = Int64(count)
        let last = try await database.write { db in
            try Int64.fetchOne(db, sql: """
                INSERT INTO tsa_serial_blocks (id, last) VALUES (1, ?)
                ON CONFLICT (id) DO UPDATE SET last = last + excluded.last RETURNING last
                """, arguments: [size])
        }
        guard let last, last >= size else { throw StoreError.corrupt("the TSA serial block does not decode") }
        return UInt64(last - size + 1)...UInt64(last)
    }

    func advance(past serial: UInt64) async throws {
        let value = try CertificateRegistryRows.int64(serial)
        try await database.write { db in
            try db.execute(sql: """
                INSERT INTO tsa_serial_blocks (id, last) VALUES (1, ?)
                ON CONFLICT (id) DO UPDATE SET last = MAX(last, excluded.last)
                """, arguments: [value])
        }
    }
}
