import FoundationEssentials
import Glibc
import Synchronization
public import SignetCrypto

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
public final class TimeStampSerialCounter: Sendable {
    private let path: String?
    private let reservation: UInt64
    private struct State {
        var nextSerial: UInt64 = 0
        var reservedThrough: UInt64 = 0  // serials up to this value may be issued from memory
    }
    private let state: Mutex<State>

    /// A counter persisted at `path` (created when absent, starting at 1).
    public init(path: String, reservation: Int = 1) throws(TimeStampError) {
        guard reservation >= 1 else { throw .configuration("the serial reservation must be at least 1") }
        self.path = path
        self.reservation = UInt64(reservation)
        state = Mutex(State())
        let directory = Self.directory(of: path)
        if !directory.isEmpty && !FileManager.default.fileExists(atPath: directory) {
            throw .serialNumber("the directory \(directory) does not exist")
        }
        _ = try Self.read(path)  // fail early on a corrupt counter
    }

    /// A counter kept only in memory, starting after `start` (for tests and throwaway TSAs).
    public init(inMemoryStartingAfter start: UInt64 = 0) {
        path = nil
        reservation = 1
        state = Mutex(State(nextSerial: start + 1, reservedThrough: UInt64.max))
    }

    /// The next serial number.
    public func next() throws(TimeStampError) -> UInt64 {
        try state.withLock { (state) throws(TimeStampError) -> UInt64 in
            if state.nextSerial == 0 || state.nextSerial > state.reservedThrough {
                guard let path else { throw .serialNumber("the in-memory counter is exhausted") }
                let (first, last) = try Self.reserve(path, count: reservation)
                state.nextSerial = first
                state.reservedThrough = last
            }
            let serial = state.nextSerial
            state.nextSerial += 1
            return serial
        }
    }

    /// Reserves `count` consecutive serials: from the block in memory when it holds enough,
    /// otherwise a new block of at least `count` (and at least the reservation) from the file.
    public func reserve(_ count: Int) throws(TimeStampError) -> ClosedRange<UInt64> {
        guard count >= 1 else { throw .serialNumber("a reservation takes at least one serial") }
        let wanted = UInt64(count)
        return try state.withLock { (state) throws(TimeStampError) -> ClosedRange<UInt64> in
            if state.nextSerial == 0 || state.reservedThrough < state.nextSerial || state.reservedThrough - state.nextSerial + 1 < wanted {
                guard let path else { throw .serialNumber("the in-memory counter is exhausted") }
                let (first, last) = try Self.reserve(path, count: max(wanted, reservation))
                state.nextSerial = first
                state.reservedThrough = last
            }
            let first = state.nextSerial
            let (last, overflow) = first.addingReportingOverflow(wanted - 1)
            guard !overflow else { throw .serialNumber("the counter is exhausted") }
            state.nextSerial = last &+ 1  // 0 after UInt64.max: exhausted
            return first...last
        }
    }

    /// Makes every later serial lie above `serial`: the file (under its lock) and the block in memory.
    public func advance(past serial: UInt64) throws(TimeStampError) {
        try state.withLock { (state) throws(TimeStampError) in
            if let path {
                try Self.raise(path, toAtLeast: serial)
                if state.nextSerial <= serial { state.reservedThrough = 0 }  // the block in memory lies below: drop it
            } else if state.nextSerial <= serial {
                state.nextSerial = serial + 1
            }
        }
    }

    /// The value stored at `path` (the last serial handed out or reserved; 0 when the file
    /// does not exist).
    public static func storedValue(at path: String) throws(TimeStampError) -> UInt64 {
        try read(path)
    }

    /// The directory part of `path` ("" for a bare file name), as `dirname` has it.
    private static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Takes `count` serials from the file under an exclusive lock; returns the first and last.
    private static func reserve(_ path: String, count: UInt64) throws(TimeStampError) -> (UInt64, UInt64) {
        try withFileLock(path) { () throws(TimeStampError) -> (UInt64, UInt64) in
            let current = try read(path)
            guard current <= UInt64.max - count else { throw .serialNumber("the counter is exhausted") }
            let last = current + count
            try write(last, to: path)
            return (current + 1, last)
        }
    }

    /// Stores `value` unless the file holds more already.
    private static func raise(_ path: String, toAtLeast value: UInt64) throws(TimeStampError) {
        try withFileLock(path) { () throws(TimeStampError) in
            if try read(path) < value { try write(value, to: path) }
        }
    }

    /// Runs `body` under an exclusive `flock` on `<path>.lock`.
    private static func withFileLock<R>(_ path: String, _ body: () throws(TimeStampError) -> R) throws(TimeStampError) -> R {
        let lockPath = path + ".lock"
        let lockDescriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard lockDescriptor >= 0 else { throw .serialNumber("\(lockPath): \(String(cString: strerror(errno)))") }
        defer { close(lockDescriptor) }
        while flock(lockDescriptor, LOCK_EX) != 0 {
            if errno != EINTR { throw .serialNumber("\(lockPath): flock: \(String(cString: strerror(errno)))") }
        }
        defer { flock(lockDescriptor, LOCK_UN) }
        return try body()
    }

    /// The stored value; 0 when the file does not exist.
    private static func read(_ path: String) throws(TimeStampError) -> UInt64 {
        guard FileManager.default.fileExists(atPath: path) else { return 0 }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .serialNumber("\(path): cannot read the counter")
        }
        let text = String(decoding: data, as: UTF8.self).trimmingWhitespace()
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
        let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        if written != bytes.count { failure = "short write: \(String(cString: strerror(errno)))" }
        if failure == nil && fsync(descriptor) != 0 { failure = "fsync: \(String(cString: strerror(errno)))" }
        close(descriptor)
        if failure == nil && rename(temporary, path) != 0 { failure = "rename: \(String(cString: strerror(errno)))" }
        if let failure {
            unlink(temporary)
            throw .serialNumber("\(path): \(failure)")
        }
        let directory = Self.directory(of: path)
        let directoryDescriptor = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryDescriptor >= 0 {
            _ = fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
    }
}

extension TimeStampSerialCounter: TimeStampSerialSource {}
