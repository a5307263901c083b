import Foundation

/// Monotonic serial numbers for the built-in TSA that survive restarts.
///
/// The counter file holds the highest serial number handed out (or reserved), in decimal.
/// A serial is never issued before the file says it is taken: the new value is written to
/// a temporary file, fsynced, renamed over the old one and the directory fsynced. Within a
/// process a lock serialises callers; between processes sharing the file an exclusive
/// `flock` on `<path>.lock` does.
///
/// With `reservation` > 1, each write takes a block of serials that are then issued from
/// memory: fewer fsyncs, and after a restart the numbers continue above the block (gaps
/// are allowed by RFC 3161; uniqueness and order are kept).
public final class TimeStampSerialCounter: @unchecked Sendable {
    // Unchecked Sendable: all mutable state is guarded by `lock`.
    private let path: String?
    private let reservation: UInt64
    private let lock = NSLock()
    private var nextSerial: UInt64 = 0
    private var reservedThrough: UInt64 = 0  // serials up to this value may be issued from memory

    /// A counter persisted at `path` (created when absent, starting at 1).
    public init(path: String, reservation: Int = 1) throws(TimeStampError) {
        guard reservation >= 1 else { throw .configuration("the serial reservation must be at least 1") }
        self.path = path
        self.reservation = UInt64(reservation)
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty && !FileManager.default.fileExists(atPath: directory) {
            throw .serialNumber("the directory \(directory) does not exist")
        }
        _ = try Self.read(path)  // fail early on a corrupt counter
    }

    /// A counter kept only in memory, starting after `start` (for tests and throwaway TSAs).
    public init(inMemoryStartingAfter start: UInt64 = 0) {
        path = nil
        reservation = 1
        nextSerial = start + 1
        reservedThrough = UInt64.max
    }

    /// The next serial number.
    public func next() throws(TimeStampError) -> UInt64 {
        lock.lock()
        defer { lock.unlock() }
        if nextSerial == 0 || nextSerial > reservedThrough {
            guard let path else { throw .serialNumber("the in-memory counter is exhausted") }
            let (first, last) = try Self.reserve(path, count: reservation)
            nextSerial = first
            reservedThrough = last
        }
        let serial = nextSerial
        nextSerial += 1
        return serial
    }

    /// Takes `count` serials from the file under an exclusive lock; returns the first and last.
    private static func reserve(_ path: String, count: UInt64) throws(TimeStampError) -> (UInt64, UInt64) {
        let lockPath = path + ".lock"
        let lockDescriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard lockDescriptor >= 0 else { throw .serialNumber("\(lockPath): \(String(cString: strerror(errno)))") }
        defer { close(lockDescriptor) }
        while flock(lockDescriptor, LOCK_EX) != 0 {
            if errno != EINTR { throw .serialNumber("\(lockPath): flock: \(String(cString: strerror(errno)))") }
        }
        defer { flock(lockDescriptor, LOCK_UN) }
        let current = try read(path)
        guard current <= UInt64.max - count else { throw .serialNumber("the counter is exhausted") }
        let last = current + count
        try write(last, to: path)
        return (current + 1, last)
    }

    /// The stored value; 0 when the file does not exist.
    private static func read(_ path: String) throws(TimeStampError) -> UInt64 {
        guard FileManager.default.fileExists(atPath: path) else { return 0 }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .serialNumber("\(path): cannot read the counter")
        }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let value = UInt64(text) else {
            throw .serialNumber("\(path): corrupt counter \"\(text.prefix(40))\"; refusing to reuse serial numbers")
        }
        return value
    }

    /// Atomic, durable replacement: temporary file, fsync, rename, fsync of the directory.
    private static func write(_ value: UInt64, to path: String) throws(TimeStampError) {
        let bytes = Array("\(value)\n".utf8)
        let temporary = path + ".tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .serialNumber("\(temporary): \(String(cString: strerror(errno)))") }
        var failure: String?
        let written = bytes.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
        if written != bytes.count { failure = "short write: \(String(cString: strerror(errno)))" }
        if failure == nil && fsync(descriptor) != 0 { failure = "fsync: \(String(cString: strerror(errno)))" }
        close(descriptor)
        if failure == nil && rename(temporary, path) != 0 { failure = "rename: \(String(cString: strerror(errno)))" }
        if let failure {
            unlink(temporary)
            throw .serialNumber("\(path): \(failure)")
        }
        let directory = (path as NSString).deletingLastPathComponent
        let directoryDescriptor = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryDescriptor >= 0 {
            _ = fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
    }
}
