import FoundationEssentials
import Glibc
import SignetCrypto
import ZIPFoundation

/// Reads an archive defensively for the verifier: the `mimetype` local header at offset 0,
/// the entry list (refusing nothing itself: problems are reported, never trusted), and
/// entries one at a time with a size limit.
struct ArchiveReader {
    /// Why an archive cannot be read at all.
    struct Unreadable: Error {
        let check: ArchiveCheck
    }

    /// No entry may claim or inflate to more than this.
    static let maximumEntrySize: UInt64 = 1 << 31

    private let archive: Archive
    /// Regular-file entries with a safe name, by path (the first of duplicates).
    let files: [String: Entry]
    /// Every entry's path in central directory order.
    let paths: [String]
    /// Problems with the entry list: unsafe or duplicate names, links, directories, sizes.
    let problems: [String]

    /// Checks that `url` is a ZIP whose first local header is `mimetype`, stored, with the
    /// ASiC-E media type, and reads its central directory.
    init(url: URL) throws(Unreadable) {
        let header = try Self.readPrefix(url.path, count: 30 + 8 + ArchiveLayout.mimeType.utf8.count)
        guard header.starts(with: [0x50, 0x4B, 0x03, 0x04]) else {
            throw Unreadable(check: ArchiveCheck(name: "zip", passed: false, detail: "not a ZIP file (no local file header at offset 0)"))
        }
        let archive: Archive
        do {
            archive = try Archive(url: url, accessMode: .read, pathEncoding: nil)
        } catch {
            throw Unreadable(check: ArchiveCheck(name: "zip", passed: false, detail: "not a readable ZIP file: \(error)"))
        }
        try Self.checkMimetype(header)
        var files: [String: Entry] = [:]
        var paths: [String] = []
        var problems: [String] = []
        for entry in archive {
            let path = entry.path
            paths.append(path)
            guard ArchiveLayout.isSafePath(path) else {
                problems.append("unsafe entry name \(path.debugDescription) (absolute, '..', or characters outside letters, digits, . _ - @ +)")
                continue
            }
            guard entry.type == .file else {
                problems.append("\(path): a \(entry.type == .directory ? "directory" : "symbolic link") entry")
                continue
            }
            guard entry.uncompressedSize <= Self.maximumEntrySize else {
                problems.append("\(path): claims \(entry.uncompressedSize) bytes (limit \(Self.maximumEntrySize))")
                continue
            }
            guard files[path] == nil else {
                problems.append("\(path): the name occurs twice")
                continue
            }
            files[path] = entry
        }
        if paths.first != ArchiveLayout.mimetypePath { problems.append("the first central directory entry is not mimetype") }
        self.archive = archive
        self.files = files
        self.paths = paths
        self.problems = problems
    }

    /// The bytes of `path`, at most `limit`; checks the CRC and the declared size.
    func read(_ path: String, limit: UInt64 = maximumEntrySize) throws -> [UInt8] {
        guard let entry = files[path] else { throw ReadError("\(path) is not in the archive") }
        guard entry.uncompressedSize <= limit else { throw ReadError("\(path) claims \(entry.uncompressedSize) bytes (limit \(limit))") }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(entry.uncompressedSize))
        let checksum: CRC32
        do {
            checksum = try archive.extract(entry, skipCRC32: false) { chunk in
                guard UInt64(bytes.count + chunk.count) <= entry.uncompressedSize else { throw ReadError("\(path) inflates beyond its declared size") }
                bytes += chunk
            }
        } catch let error as ReadError {
            throw error
        } catch {
            throw ReadError("\(path) cannot be read: \(error)")
        }
        guard UInt64(bytes.count) == entry.uncompressedSize else { throw ReadError("\(path) is shorter than its declared size") }
        guard checksum == entry.checksum else { throw ReadError("\(path): CRC-32 mismatch (damaged)") }
        return bytes
    }

    struct ReadError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    private static func checkMimetype(_ header: [UInt8]) throws(Unreadable) {
        func fail(_ detail: String) -> Unreadable {
            Unreadable(check: ArchiveCheck(name: "mimetype", passed: false, detail: "not an ASiC-E container: \(detail)"))
        }
        guard header.count >= 30 else { throw fail("the file is too short") }
        func u16(_ offset: Int) -> Int { Int(header[offset]) | Int(header[offset + 1]) << 8 }
        let nameLength = u16(26), extraLength = u16(28)
        guard nameLength == 8, header.count >= 38, Array(header[30..<38]) == Array("mimetype".utf8) else {
            throw fail("the first entry is not mimetype")
        }
        guard u16(8) == 0 else { throw fail("mimetype is compressed (it must be stored)") }
        guard extraLength == 0 else { throw fail("mimetype has an extra field (the media type must start at byte 38)") }
        let expected = Array(ArchiveLayout.mimeType.utf8)
        guard Array(header[38...]) == expected, u16(18) == expected.count, u16(22) == expected.count else {
            throw fail("mimetype does not hold exactly \(ArchiveLayout.mimeType)")
        }
    }

    private static func readPrefix(_ path: String, count: Int) throws(Unreadable) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw Unreadable(check: ArchiveCheck(name: "zip", passed: false, detail: "cannot open \(path): \(String(cString: strerror(errno)))"))
        }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let got = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + filled, count - filled) }
            if got < 0 && errno == EINTR { continue }
            guard got > 0 else { break }
            filled += got
        }
        return Array(buffer[..<filled])
    }
}
