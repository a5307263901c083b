import FoundationEssentials
import NIOCore
import PostgresNIO
import SignetArchive
import SignetCrypto
import SignetService

/// `BlobStore` on PostgreSQL: the `blobs` table (`sha256` primary key, `size`, `bytes`
/// bytea), so every instance reads what any instance stored, and a blob is in the same backup
/// (`pg_dump`) and the same replication as the rows that name it. `bytea` rather than large
/// objects: a PDF is tens to hundreds of KiB, written and read whole in one statement.
struct PostgresBlobStore: BlobStore {
    let database: PostgresPool

    /// Stores `bytes` under their SHA-256, committed before returning (so a later commit that
    /// references the digest never points at nothing). Storing bytes already stored (by this
    /// or another instance, even concurrently) only renews `created_at`, so the orphan
    /// collector's minimum age counts from the newest put.
    func put(_ bytes: [UInt8]) async throws -> StoredDocument {
        let sha256 = DigestAlgorithm.sha256.hash(bytes).hexString
        let size = Int64(bytes.count)
        let buffer = ByteBuffer(bytes: bytes)
        _ = try await database.write { session in
            try await session.execute("""
                INSERT INTO blobs (sha256, size, bytes, created_at) VALUES (\(sha256), \(size), \(buffer), \(ColumnCoding.milliseconds(Date())))
                ON CONFLICT (sha256) DO UPDATE SET created_at = GREATEST(blobs.created_at, EXCLUDED.created_at)
                """)
        }
        return StoredDocument(sha256: sha256, size: bytes.count)
    }

    /// The bytes stored under `sha256`: `StoreError.missing` when absent (or not a digest),
    /// `StoreError.corrupt` when they no longer hash to it.
    func get(_ sha256: String) async throws -> [UInt8] {
        guard FileBlobStore.isDigest(sha256) else { throw StoreError.missing("blob") }
        let stored = try await database.read { session in
            try await session.row("SELECT bytes FROM blobs WHERE sha256 = \(sha256)")?.value("bytes", as: ByteBuffer.self)
        }
        guard var buffer = stored else { throw StoreError.missing("blob") }
        let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
        guard DigestAlgorithm.sha256.hash(bytes).hexString == sha256 else {
            throw StoreError.corrupt("blob \(sha256) does not hash to its name")
        }
        return bytes
    }

    /// Whether a blob with this digest exists.
    func contains(_ sha256: String) async throws -> Bool {
        guard FileBlobStore.isDigest(sha256) else { return false }
        return try await database.read { session in
            try await session.row("SELECT EXISTS (SELECT 1 FROM blobs WHERE sha256 = \(sha256)) AS found")?.value("found", as: Bool.self) ?? false
        }
    }
}
