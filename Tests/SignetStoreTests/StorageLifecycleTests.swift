import Foundation
import GRDB
import SignetService
import SignetStore
import SignetTestSupport
import SignetServiceTestSupport
import Testing
import SignetArchive

@Suite("SQLite storage: open, settings, migrations, reopen")
struct StorageLifecycleTests {
    @Test("the database is WAL with foreign keys on and synchronous FULL on every connection; health answers",
          .enabled(if: !TestStorage.isPostgres, "PRAGMAs and the database file are SQLite's own (PostgreSQL: PostgresStorageTests)"))
    func settings() async throws {
        let store = try await TestStore()
        let (journal, foreignKeys, synchronous) = try await store.sqlite().pool.read { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA foreign_keys"),
             try Int.fetchOne(db, sql: "PRAGMA synchronous"))
        }
        #expect(journal == "wal")
        #expect(foreignKeys == 1)
        #expect(synchronous == 2)  // FULL
        let writerSynchronous = try await store.sqlite().pool.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
        #expect(writerSynchronous == 2)
        try await store.storage.checkHealth()
        #expect(FileManager.default.fileExists(atPath: store.directory.file("data/signet.sqlite").path))
    }

    @Test("close and reopen the same directory: everything is there; the migrations run again as a no-op")
    func reopen() async throws {
        let directory = try TemporaryDirectory("signet-store")
        let data = directory.file("data")
        let first = try await SQLiteStorage.open(directory: data)
        #expect(try await first.appliedMigrations() == ["v1", "v2-signature-boxes", "v3-audit-head", "v4-render-fill", "v4-signer-access", "v4-webhooks", "v4-console", "v4-embedded-framing", "v5-evidence", "v5-renewal", "v5-exports", "v6-blobs", "v6-pki-state", "v7-idempotent-resources"])
        let merchant = Fixtures.merchant(externalID: "m-reopen")
        try await first.storage.merchants.insert(merchant)
        let contract = try await first.storage.contracts.insert(Fixtures.contract(merchantID: merchant.id),
                                                                events: [Fixtures.event("contract.created")])
        let blob = try await first.storage.blobs.put(Array("kept".utf8))
        try await first.migrate()  // a second run: nothing to do, nothing lost
        #expect(try await first.appliedMigrations() == ["v1", "v2-signature-boxes", "v3-audit-head", "v4-render-fill", "v4-signer-access", "v4-webhooks", "v4-console", "v4-embedded-framing", "v5-evidence", "v5-renewal", "v5-exports", "v6-blobs", "v6-pki-state", "v7-idempotent-resources"])
        try await first.close()
        await #expect(throws: StoreError.self) { try await first.storage.checkHealth() }

        let second = try await SQLiteStorage.open(directory: data)
        #expect(try await second.appliedMigrations() == ["v1", "v2-signature-boxes", "v3-audit-head", "v4-render-fill", "v4-signer-access", "v4-webhooks", "v4-console", "v4-embedded-framing", "v5-evidence", "v5-renewal", "v5-exports", "v6-blobs", "v6-pki-state", "v7-idempotent-resources"])
        #expect(try await second.storage.merchants.merchant(id: merchant.id) == merchant)
        #expect(try await second.storage.contracts.contract(id: contract.id) == contract)
        #expect(AuditChain.verify(try await second.storage.contracts.auditTrail(contractID: contract.id)) == nil)
        #expect(try await second.storage.blobs.get(blob.sha256) == Array("kept".utf8))
        #expect(try await second.storage.contracts.reserveContractNumber(year: 2026) == 1)
        try await second.close()
    }

    @Test("a directory that cannot be created is StoreError.unavailable")
    func unusableDirectory() async throws {
        let directory = try TemporaryDirectory("signet-store")
        try Data("a file".utf8).write(to: directory.file("file"))
        await #expect(throws: StoreError.self) {
            _ = try await SQLiteStorage.open(directory: directory.file("file/data"))
        }
    }
}
