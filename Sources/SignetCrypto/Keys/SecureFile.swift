import FoundationEssentials
package import Glibc

/// Writing files that must not leak or be half-written: private keys, serial counters.
package enum SecureFile {
    /// Writes `bytes` to `path` atomically (temporary file in the same directory, fsync,
    /// rename) with permissions `mode` from the moment the file exists. Refuses to replace
    /// an existing file unless `overwrite`.
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
        if failure == nil && rename(temporary, path) != 0 {
            failure = .io(path: path, reason: String(cString: strerror(errno)))
        }
        if let failure {
            unlink(temporary)
            throw failure
        }
    }
}
