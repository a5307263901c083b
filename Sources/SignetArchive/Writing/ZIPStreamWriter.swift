public import FoundationEssentials
import Glibc
import SignetCrypto
import SignetPDF

/// Writes a ZIP file front to back in one pass: each entry's bytes are in memory when added,
/// so its CRC-32 and sizes go into the local header (no data descriptor); `finish` appends the
/// central directory (kept in memory as it grows, ≈ 100 bytes per entry) and the end records,
/// with ZIP64 where a count, size or offset needs it. Every entry costs O(its size): unlike
/// ZIPFoundation 0.9's `addEntry`, nothing already written is read or rewritten.
///
/// Entries are regular files (Unix mode 0644), STORED or DEFLATEd (raw deflate, zlib's
/// default level), with UTF-8 names (general purpose bit 11) and one DOS time for all. No
/// extra field unless ZIP64 needs one, so a first entry `mimetype` added STORED has its
/// content at byte 38 as ASiC wants. Names are written as given: the caller checks them.
/// One task at a time (not Sendable).
package final class ZIPStreamWriter {
    /// How an entry's bytes are stored.
    package enum Method: UInt16, Sendable {
        /// As is (method 0).
        case stored = 0
        /// Raw deflate (method 8).
        case deflated = 8
    }

    /// The file being written.
    package let path: String
    private var descriptor: Int32
    private let time: DOSTime
    private var offset: UInt64 = 0
    private var pending: [UInt8] = []
    private var centralDirectory: [UInt8] = []
    private var count: UInt64 = 0
    private static let flushSize = 1 << 20

    /// Creates `path` (it must not exist: `O_EXCL`, mode 0644) for a ZIP whose entries all
    /// carry `modificationDate` as UTC civil time.
    package init(path: String, modificationDate: Date) throws(ArchiveError) {
        self.path = path
        time = DOSTime(CivilTime(modificationDate))
        descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .io(path: path, reason: String(cString: strerror(errno))) }
        pending.reserveCapacity(Self.flushSize + (1 << 16))
    }

    deinit { if descriptor >= 0 { close(descriptor) } }

    /// How many entries so far.
    package var entryCount: Int { Int(count) }

    /// Appends the entry `name` holding `bytes`.
    package func add(_ name: String, _ bytes: [UInt8], method: Method) throws(ArchiveError) {
        guard descriptor >= 0 else { throw .closed }
        let nameBytes = Array(name.utf8)
        guard !nameBytes.isEmpty, nameBytes.count <= 0xFFFF else { throw .zip("entry name of \(nameBytes.count) bytes") }
        let data: [UInt8]
        switch method {
        case .stored: data = bytes
        case .deflated:
            do { data = try Zlib.rawDeflate(bytes) } catch { throw .zip("cannot deflate \(name): \(error)") }
        }
        let entry = ZIPRecords.Entry(name: nameBytes, method: method.rawValue, crc32: Zlib.crc32(bytes[...]),
                                     compressedSize: UInt64(data.count), uncompressedSize: UInt64(bytes.count),
                                     localHeaderOffset: offset)
        try append(ZIPRecords.localHeader(entry, time: time))
        try append(data)
        centralDirectory.append(contentsOf: ZIPRecords.centralHeader(entry, time: time))
        count += 1
    }

    /// Appends the central directory and the end records, writes everything out and closes
    /// the file (not synced: the caller decides). Nothing can be added afterwards.
    package func finish() throws(ArchiveError) {
        guard descriptor >= 0 else { throw .closed }
        let directoryOffset = offset, directorySize = UInt64(centralDirectory.count)
        try append(centralDirectory)
        centralDirectory = []
        try append(ZIPRecords.end(count: count, size: directorySize, offset: directoryOffset))
        try flush()
        let status = close(descriptor)
        descriptor = -1
        guard status == 0 else { throw .io(path: path, reason: String(cString: strerror(errno))) }
    }

    /// Closes the file without finishing it (the caller removes it). A failed write does
    /// this too, so `add` and `finish` then throw `closed`.
    package func abandon() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
    }

    private func append(_ bytes: [UInt8]) throws(ArchiveError) {
        offset += UInt64(bytes.count)
        if pending.count + bytes.count <= Self.flushSize {
            pending.append(contentsOf: bytes)
            return
        }
        try flush()
        if bytes.count >= Self.flushSize {
            try writeAll(bytes)
        } else {
            pending.append(contentsOf: bytes)
        }
    }

    private func flush() throws(ArchiveError) {
        guard !pending.isEmpty else { return }
        try writeAll(pending)
        pending.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ bytes: [UInt8]) throws(ArchiveError) {
        var done = 0
        while done < bytes.count {
            let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + done, $0.count - done) }
            if written < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                abandon()  // the file is incomplete: nothing more goes into it
                throw .io(path: path, reason: reason)
            }
            done += written
        }
    }
}
