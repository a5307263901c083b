import FoundationEssentials
import Glibc
import SignetCrypto
import SignetService

/// The file work of export archives (blocking: run it through `BlockingIO`): reading a chunk
/// at an offset, moving a finished archive into place durably, removing one. Failures come
/// out as `StoreError` with the reason, never the path.
enum ArchiveFile {
    /// Up to `length` bytes of the file at `path` from `offset` (fewer only at its end);
    /// `StoreError.missing` when there is no such file.
    static func read(_ path: String, offset: Int, length: Int) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { throw StoreError.missing("export archive") }
            throw StoreError.unavailable("export archive: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        return try read(fd, offset: offset, length: length)
    }

    /// Up to `length` bytes of the open file `fd` from `offset` (fewer only at its end).
    static func read(_ fd: Int32, offset: Int, length: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: max(length, 0))
        var filled = 0
        while filled < bytes.count {
            let count = bytes.withUnsafeMutableBytes { buffer in
                pread(fd, buffer.baseAddress! + filled, buffer.count - filled, off_t(offset + filled))
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw StoreError.unavailable("export archive: \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            filled += count
        }
        return Array(bytes.prefix(filled))
    }

    /// Moves `file` to `destination` (same file system: a rename), then makes the new name
    /// durable; `file` is removed when the move fails.
    static func move(_ file: String, to destination: String) throws {
        let folder = String(destination[..<(destination.lastIndex(of: "/") ?? destination.startIndex)])
        do {
            try SecureFile.makeDirectories(folder, mode: 0o750)
            guard rename(file, destination) == 0 else {
                throw StoreError.unavailable("export archive: \(String(cString: strerror(errno)))")
            }
            try SecureFile.syncDirectory(folder)
        } catch CryptoError.io(_, let reason) {
            remove(file)
            throw StoreError.unavailable("export archive: \(reason)")
        } catch {
            remove(file)
            throw error
        }
    }

    /// Removes `file` if it exists.
    static func remove(_ file: String) {
        unlink(file)
    }
}
