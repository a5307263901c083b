import ArgumentParser
import FoundationEssentials
import Glibc
import SignetArchive
import ZIPFoundation

/// `signet-bench zip`: writes `--entries` small entries (an export's shape: twelve files per
/// contract folder, JSON-like text of a few hundred bytes, deflated) with `--writer`: `stream`,
/// SignetArchive's `ZIPStreamWriter` (what exports use), or `zipfoundation`, ZIPFoundation's
/// `Archive.addEntry`; prints the seconds and the archive's size. ZIPFoundation re-reads and
/// re-writes the whole central directory on every entry, so its time grows with the square of
/// the count (docs/archives.md, "Writing the ZIP").
struct ZipBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zip",
        abstract: "Writing many small ZIP entries (ZIPStreamWriter or ZIPFoundation's Archive.addEntry)."
    )

    @Option(help: "How many entries.") var entries = 5_000
    @Option(help: "stream (ZIPStreamWriter) or zipfoundation (Archive.addEntry).") var writer = "stream"
    @Option(help: "Directory for the archive (removed afterwards).") var directory = "/tmp"

    func run() throws {
        guard entries > 0 else { throw BenchError("--entries must be positive") }
        let path = "\(directory)/signet-bench-zip-\(getpid()).zip"
        defer { unlink(path) }
        let date = Date(timeIntervalSince1970: 1_767_225_600)
        let clock = ContinuousClock()
        let start = clock.now
        switch writer {
        case "stream":
            let zip = try ZIPStreamWriter(path: path, modificationDate: date)
            for index in 0..<entries {
                let (name, bytes) = Self.entry(index)
                try zip.add(name, bytes, method: .deflated)
            }
            try zip.finish()
        case "zipfoundation":
            let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create, pathEncoding: nil)
            for index in 0..<entries {
                let (name, bytes) = Self.entry(index)
                try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(bytes.count), modificationDate: date,
                                     permissions: 0o644, compressionMethod: .deflate) { position, size in
                    Data(bytes[Int(position)..<Int(position) + size])
                }
            }
        default:
            throw BenchError("--writer is stream or zipfoundation")
        }
        let elapsed = (clock.now - start).seconds
        // The size by lseek: `stat` is ambiguous here (Glibc's and CoreFoundation's, which
        // ZIPFoundation brings into the build).
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        let size = descriptor >= 0 ? Int(lseek(descriptor, 0, SEEK_END)) : -1
        if descriptor >= 0 { close(descriptor) }
        print("zip \(writer): \(entries) entries in \(BenchRate.fixed(elapsed, places: 2)) s, \(size) bytes")
    }

    /// Entry `index`: `contracts/ctr_<index / 12>/file<index % 12>.json`, a few hundred bytes.
    static func entry(_ index: Int) -> (name: String, bytes: [UInt8]) {
        let folder = index / 12, file = index % 12
        let text = (0..<8).map { "{\"contract\":\(folder),\"file\":\(file),\"line\":\($0),\"value\":\"\(index &* 2_654_435_761 % 1_000_003)\"}" }
            .joined(separator: "\n")
        return ("contracts/ctr_\(folder)/file\(file).json", Array(text.utf8))
    }
}
