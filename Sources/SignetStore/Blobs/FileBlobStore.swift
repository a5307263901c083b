import FoundationEssentials
import Glibc
import SignetCrypto
public import SignetService

/// Content-addressed blobs in a directory (`data/blobs`): a blob's path is its SHA-256,
/// `ab/cd/abcd…` (two levels of 256 directories keep each small). A put is durable before it
/// returns: temporary file in the final directory, fsync, rename, fsync of the directory
/// (and of each parent of a directory it created), so a database commit that references the
/// digest never points at nothing after a crash. Files are 0640, directories 0750.
///
/// Concurrent puts of the same bytes are safe: each writes its own temporary file and the
/// renames replace one identical file with another.
public struct FileBlobStore: BlobStore {
    /// The directory holding the blobs.
    public let directory: String

    /// A store in `directory` (created, durably, on the first put).
    public init(directory: String) {
        self.directory = directory
    }

    /// Stores `bytes` under their SHA-256, durably, before returning (`pageCount` is left nil).
    public func put(_ bytes: [UInt8]) async throws -> StoredDocument {
        let sha256 = DigestAlgorithm.sha256.hash(bytes).hexString
        let (folder, path) = location(of: sha256)
        try await BlockingIO.run {
            try Self.storeErrors {
                if access(path, F_OK) == 0 {
                    // Stored already (maybe by a concurrent put that has not yet synced the
                    // directory): make its name durable before the caller commits, and
                    // renew its age so the orphan collector leaves it to this put's commit.
                    Self.renew(path)
                    try SecureFile.syncDirectory(folder)
                    return
                }
                try SecureFile.makeDirectories(folder, mode: 0o750)
                try SecureFile.write(bytes, to: path, mode: 0o640, overwrite: true)
                try SecureFile.syncDirectory(folder)
            }
        }
        return StoredDocument(sha256: sha256, size: bytes.count)
    }

    /// The bytes stored under `sha256`: `StoreError.missing` when absent (or not a digest),
    /// `StoreError.corrupt` when the file no longer hashes to its name.
    public func get(_ sha256: String) async throws -> [UInt8] {
        guard Self.isDigest(sha256) else { throw StoreError.missing("blob") }
        let path = location(of: sha256).path
        let bytes: [UInt8] = try await BlockingIO.run {
            guard access(path, F_OK) == 0 else { throw StoreError.missing("blob") }
            do {
                return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            } catch {
                throw StoreError.unavailable("blob store: a blob cannot be read")
            }
        }
        guard DigestAlgorithm.sha256.hash(bytes).hexString == sha256 else {
            throw StoreError.corrupt("blob \(sha256) does not hash to its name")
        }
        return bytes
    }

    /// Whether a blob with this digest exists.
    public func contains(_ sha256: String) async throws -> Bool {
        guard Self.isDigest(sha256) else { return false }
        let path = location(of: sha256).path
        return try await BlockingIO.run { access(path, F_OK) == 0 }
    }

    /// The folder and path of a digest's blob.
    func location(of sha256: String) -> (folder: String, path: String) {
        let characters = Array(sha256)
        let folder = "\(directory)/\(String(characters[0..<2]))/\(String(characters[2..<4]))"
        return (folder, "\(folder)/\(sha256)")
    }

    /// Whether `text` is a SHA-256 in lower-case hex (anything else names no blob, and never
    /// a path outside the directory).
    static func isDigest(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// File system failures as `StoreError.unavailable` (the reason, not the path).
    private static func storeErrors(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch CryptoError.io(_, let reason) {
            throw StoreError.unavailable("blob store: \(reason)")
        }
    }
}
