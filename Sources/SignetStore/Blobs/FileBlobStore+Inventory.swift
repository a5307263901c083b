import FoundationEssentials
import Glibc
import SignetCrypto
import SignetService

/// The blob directory's inventory for the invariant checker: its blobs in digest order (the
/// `ab/cd/abcd…` layout sorts the same way), with size and modification time, and the
/// removal of one.
extension FileBlobStore {
    /// The blobs whose digest sorts after `after`, in digest order, at most `limit`. Files
    /// that are not named by a digest (a temporary file of a put in flight) are skipped.
    func inventory(after: String?, limit: Int) async throws -> [StoredBlob] {
        let directory = directory
        return try await BlockingIO.run {
            var found: [StoredBlob] = []
            let start = after ?? ""
            for first in Self.sortedEntries(of: directory) where first.count == 2 && first >= String(start.prefix(2)) {
                for second in Self.sortedEntries(of: "\(directory)/\(first)") where second.count == 2 && first + second >= String(start.prefix(4)) {
                    let folder = "\(directory)/\(first)/\(second)"
                    for name in Self.sortedEntries(of: folder) where Self.isDigest(name) && name > start && name.hasPrefix(first + second) {
                        guard let blob = Self.statBlob(name, path: "\(folder)/\(name)") else { continue }
                        found.append(blob)
                        if found.count >= limit { return found }
                    }
                }
            }
            return found
        }
    }

    /// Removes the blob `sha256` if its file was last modified before `storedBefore` and
    /// `unreferenced()` (run after the age check, just before the removal) says nothing names
    /// it; the directory is synced after. Returns whether it removed the file.
    func remove(_ sha256: String, storedBefore: Date, unreferenced: () throws -> Bool) throws -> Bool {
        guard Self.isDigest(sha256) else { return false }
        let (folder, path) = location(of: sha256)
        guard let blob = Self.statBlob(sha256, path: path), blob.storedAt < storedBefore, try unreferenced() else { return false }
        guard unlink(path) == 0 else {
            if errno == ENOENT { return false }
            throw StoreError.unavailable("blob store: cannot remove a blob (errno \(errno))")
        }
        do {
            try SecureFile.syncDirectory(folder)
        } catch CryptoError.io(_, let reason) {
            throw StoreError.unavailable("blob store: \(reason)")
        }
        return true
    }

    /// Marks an existing blob as stored now (a put of bytes already there), so the orphan
    /// collector's minimum age counts from the newest put of it.
    static func renew(_ path: String) {
        _ = utimensat(AT_FDCWD, path, nil, 0)
    }

    /// The names in `directory`, sorted (none when it is missing).
    private static func sortedEntries(of directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
    }

    /// A blob file's size and modification time (nil when it is gone or not a regular file).
    private static func statBlob(_ sha256: String, path: String) -> StoredBlob? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              attributes[.type] as? FileAttributeType == .typeRegular,
              let size = (attributes[.size] as? Int) ?? (attributes[.size] as? UInt64).map(Int.init),
              let modified = attributes[.modificationDate] as? Date else { return nil }
        return StoredBlob(sha256: sha256, size: size, storedAt: modified)
    }
}
