package import Foundation
package import SignetService
package import SignetCrypto
import SignetStore
import SignetPKI

/// Breaking a fixture's store behind the service's back, on either backend, for the
/// invariant checker's tests: raw SQL (`executeForTests`) and blob files or rows.
extension ServiceFixture {
    /// Runs one SQL statement on the fixture's database; returns how many rows it changed.
    @discardableResult
    package func executeSQL(_ sql: String) async throws -> Int {
        switch storage {
        case let sqlite as SQLiteStorage: try await sqlite.executeForTests(sql)
        case let postgres as PostgresStorage: try await postgres.executeForTests(sql)
        default: throw FixtureError("unknown backend \(type(of: storage))")
        }
    }

    /// SQL that is true for a `webhook_events` row whose payload contains `text`.
    package func outboxPayloadContains(_ text: String) -> String {
        storage is PostgresStorage ? "position(\(Self.quoted(text))::bytea in payload) > 0" : "instr(CAST(payload AS TEXT), \(Self.quoted(text))) > 0"
    }

    /// Deletes the blob `sha256` from the blob store.
    package func removeBlob(_ sha256: String) async throws {
        if storage is PostgresStorage {
            let removed = try await executeSQL("DELETE FROM blobs WHERE sha256 = \(Self.quoted(sha256))")
            guard removed == 1 else { throw FixtureError("no blob \(sha256)") }
        } else {
            try FileManager.default.removeItem(at: blobFile(sha256))
        }
    }

    /// Flips one byte of the blob `sha256` in place (same size).
    package func corruptBlob(_ sha256: String, at offset: Int = 100) async throws {
        if storage is PostgresStorage {
            try await executeSQL("""
                UPDATE blobs SET bytes = set_byte(bytes, \(offset), (get_byte(bytes, \(offset)) # 1)) WHERE sha256 = \(Self.quoted(sha256))
                """)
        } else {
            let file = blobFile(sha256)
            var bytes = [UInt8](try Data(contentsOf: file))
            bytes[offset] ^= 1
            try Data(bytes).write(to: file)
        }
    }

    /// Makes the blob `sha256` look stored `seconds` ago (file time or `created_at`).
    package func ageBlob(_ sha256: String, by seconds: TimeInterval) async throws {
        let then = Date().addingTimeInterval(-seconds)
        if storage is PostgresStorage {
            try await executeSQL("UPDATE blobs SET created_at = \(Int64(then.timeIntervalSince1970 * 1000)) WHERE sha256 = \(Self.quoted(sha256))")
        } else {
            try FileManager.default.setAttributes([.modificationDate: then], ofItemAtPath: blobFile(sha256).path)
        }
    }

    /// The file of a blob on SQLite (`data/blobs/ab/cd/abcd…`).
    private func blobFile(_ sha256: String) -> URL {
        guard case .sqlite(let directory) = location else { return URL(fileURLWithPath: "/nonexistent") }
        let characters = Array(sha256)
        return URL(fileURLWithPath: "\(directory)/blobs/\(String(characters[0..<2]))/\(String(characters[2..<4]))/\(sha256)")
    }

    /// `text` as an SQL string literal.
    package static func quoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }

    /// The invariant checker over this fixture's store, trusting the fixture's root.
    package func consistencyReport(verified: Set<String> = [], deleteOrphans: Bool = false, orphanMinimumAge: TimeInterval = 3600,
                                   trust: [Certificate]? = nil) async throws -> ConsistencyReport {
        let options = ConsistencyChecker.Options(trustAnchors: trust ?? [keys.root], verifiedDigests: verified, deleteOrphans: deleteOrphans,
                                                 orphanMinimumAge: orphanMinimumAge, pageSize: 3)
        return try await ConsistencyChecker(storage: storage.storage, inventory: storage.inventory, options: options).run()
    }
}
