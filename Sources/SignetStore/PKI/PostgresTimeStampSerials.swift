import PostgresNIO
import SignetPKI
import SignetService

/// The TSA's serial blocks on PostgreSQL's single-row `tsa_serial_blocks` table: each
/// reservation is one `UPDATE … SET last = last + n RETURNING last` (an upsert for the
/// first), which the row lock serialises, so instances sharing the database never hand out
/// the same serial.
struct PostgresTimeStampSerials: TimeStampSerialSource {
    let database: PostgresPool

    func reserve(_ count: Int) async throws -> ClosedRange<UInt64> {
        guard count >= 1 else { throw StoreError.unavailable("a serial reservation takes at least one serial") }
        let size = Int64(count)
        let row = try await database.write { session in
            try await session.row("""
                INSERT INTO tsa_serial_blocks (id, last) VALUES (1, \(size))
                ON CONFLICT (id) DO UPDATE SET last = tsa_serial_blocks.last + excluded.last RETURNING last
                """)
        }
        guard let last = try row?.value("last", as: Int64.self), last >= size else {
            throw StoreError.corrupt("the TSA serial block does not decode")
        }
        return UInt64(last - size + 1)...UInt64(last)
    }

    func advance(past serial: UInt64) async throws {
        let value = try CertificateRegistryRows.int64(serial)
        _ = try await database.write { session in
            try await session.execute("""
                INSERT INTO tsa_serial_blocks (id, last) VALUES (1, \(value))
                ON CONFLICT (id) DO UPDATE SET last = GREATEST(tsa_serial_blocks.last, excluded.last)
                """)
        }
    }
}
