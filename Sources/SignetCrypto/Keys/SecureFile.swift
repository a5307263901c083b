import FoundationEssentials
package import Glibc

/// Writing files that must not leak or be half-written: private keys, serial counters.
package enum SecureFile {
    /// Writes `bytes` to `path` atomically (temporary file in the same directory, fsync,
    /// rename) with permissions `mode` from the moment the file exists. Refuses to replace
    /// an existing file unless `overwrite`: then the file is put in place with link(2), which
    /// fails when the name exists, so of two processes creating the same file at once exactly
    /// one succeeds and the other gets "exists already" (never a silent replacement).
    package static func write(_ bytes: [UInt8], to path: String, mode: mode_t, overwrite: Bool = false) throws {
        if !overwrite && FileManager.default.fileExists(atPath: path) {
            throw CryptoError.io(path: path, reason: "exists already; refusing to overwrite")
        }
        let temporary = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw CryptoError.io(path: temporary, reason: String(cString: strerror(errno))) }
        var failure: CryptoError?
        if fchmod(fd, mode) != 0 { failure = .io(path: temporary, reason: String(cString: strerror(errno))) }
        var offset = 0
        while failure == nil && offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                failure = .io(path: temporary, reason: String(cString: strerror(errno)))
            } else {
                offset += written
            }
        }
        if failure == nil && fsync(fd) != 0 { failure = .io(path: temporary, reason: String(cString: strerror(errno))) }
        close(fd)
        if failure == nil {
            if overwrite {
                if rename(temporary, path) != 0 { failure = .io(path: path, reason: String(cString: strerror(errno))) }
            } else {
                if link(temporary, path) != 0 {
                    failure = .io(path: path, reason: errno == EEXIST ? "exists already; refusing to overwrite" : String(cString: strerror(errno)))
                }
                unlink(temporary)
            }
        }
        if let failure {
            unlink(temporary)
            throw failure
        }
    }

    /// Flushes `directory`'s entries (a rename or a new file in it) to disk: after `write`,
    /// what makes the new name itself survive a power loss.
    package static func syncDirectory(_ directory: String) throws {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw CryptoError.io(path: directory, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw CryptoError.io(path: directory, reason: String(cString: strerror(errno))) }
    }

    /// Creates `directory` and its missing parents with `mode`, durably: each directory
    /// created is followed by an fsync of its parent, so the path survives a power loss.
    package static func makeDirectories(_ directory: String, mode: mode_t) throws {
        var info = stat()
        if stat(directory, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFDIR else { throw CryptoError.io(path: directory, reason: "not a directory") }
            return
        }
        let parent = directory.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        if !parent.isEmpty { try makeDirectories(parent, mode: mode) }
        if mkdir(directory, mode) != 0 && errno != EEXIST {
            throw CryptoError.io(path: directory, reason: String(cString: strerror(errno)))
        }
        try syncDirectory(parent.isEmpty ? (directory.hasPrefix("/") ? "/" : ".") : parent)
    }
}
