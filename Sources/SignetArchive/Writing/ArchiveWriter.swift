public import FoundationEssentials
import Glibc
import SignetCrypto
import SignetTemplates

/// Writes an ASiC-E archive (docs/archives.md) one contract at a time: each `add` streams the
/// contract's files into the ZIP and keeps only their paths and digests; `finish` adds the
/// root, README, `SHA256SUMS`, the manifest and its signature. The ZIP is written front to
/// back by `ZIPStreamWriter` (O(size) per entry; ZIP64 when needed); ZIPFoundation only reads.
///
/// The ZIP is written to a temporary file next to `destination` and renamed over it only
/// after the signature is written and the file synced; `abandon`, a failure or deinit
/// without `finish` removes the temporary file, so no partial archive ever has the final name.
/// One task at a time (not Sendable).
public final class ArchiveWriter {
    /// Where the archive goes when finished.
    public let destination: URL
    private let temporary: URL
    private let seal: ArchiveSeal
    private let generator: String
    private let modificationDate: Date
    private var zip: ZIPStreamWriter?
    private var written: [(path: String, sha256: [UInt8])] = []
    private var contractIDs = Set<String>()

    /// Starts an archive for `destination` (its directory must exist): the temporary file
    /// with the `mimetype` entry, stored.
    public init(destination: URL, seal: ArchiveSeal, generator: String) throws(ArchiveError) {
        self.destination = destination
        self.seal = seal
        self.generator = generator
        modificationDate = Date()
        let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        temporary = destination.deletingLastPathComponent().appendingPathComponent(".\(destination.lastPathComponent).partial-\(suffix)")
        zip = try ZIPStreamWriter(path: temporary.path, modificationDate: modificationDate)
        do {
            try write(ArchiveLayout.mimetypePath, Array(ArchiveLayout.mimeType.utf8), compress: false, listed: false)
        } catch {
            abandon()
            throw error
        }
    }

    deinit { if zip != nil { abandon() } }

    /// Adds a contract's folder `contracts/<id>/`.
    public func add(_ contract: ArchivedContract) throws(ArchiveError) {
        guard zip != nil else { throw .closed }
        let id = contract.record.contractID
        guard ArchiveLayout.isSafeComponent(id) else { throw .unsafeName(id) }
        guard contractIDs.insert(id).inserted else { throw .duplicateContract(id) }
        for file in contract.templateFiles where !ArchiveLayout.isSafeComponent(file.name) { throw .unsafeName(file.name) }
        let folder = ArchiveLayout.contractFolder(id)
        let json: (fields: [UInt8], audit: [UInt8])
        do {
            json = (try ArchiveJSON.encode(contract.record), try ArchiveJSON.encode(contract.auditTrail))
        } catch {
            throw .zip("cannot encode the JSON files of \(id): \(error)")
        }
        typealias File = ArchiveLayout.ContractFile
        let files: [(File, [UInt8])] = [
            (.signed, contract.signedPDF), (.original, contract.originalPDF), (.fields, json.fields),
            (.auditTrail, json.audit), (.evidence, contract.evidencePDF), (.verification, contract.verificationJSON),
        ]
        for (file, bytes) in files {
            // PDFs are compressed already.
            try write(folder + file.rawValue, bytes, compress: !file.rawValue.hasSuffix(".pdf"))
        }
        for file in contract.templateFiles.sorted(by: { Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8)) }) {
            try write(folder + ArchiveLayout.templateFolder + file.name, Array(file.contents), compress: true)
        }
    }

    /// Adds the root, README, `SHA256SUMS`, the manifest and its signature, syncs the file and
    /// renames it to `destination` (replacing any file there).
    public func finish(createdAt: Date) async throws(ArchiveError) -> ArchiveSummary {
        guard let zip else { throw .closed }
        do {
            try write(ArchiveLayout.rootPath, Array(seal.root.pem.utf8), compress: true)
            try write(ArchiveLayout.readmePath, ArchiveReadme.text(contracts: contractIDs.count, createdAt: createdAt, generator: generator),
                      compress: true)
            try write(ArchiveLayout.sumsPath, SHA256Sums.text(written), compress: true)
            let manifest = ASiCManifest(references: written.map {
                ASiCManifest.Reference(uri: $0.path, mimeType: ArchiveLayout.mediaType(of: $0.path), sha256: $0.sha256)
            }).xml()
            try write(ArchiveLayout.manifestPath, manifest, compress: true)
            let signature = try await seal.signManifest(manifest)
            try write(ArchiveLayout.signaturePath, signature, compress: false, listed: false)
            try zip.finish()
            self.zip = nil
            let (bytes, sha256) = try Self.syncAndHash(temporary.path)
            guard rename(temporary.path, destination.path) == 0 else {
                throw ArchiveError.io(path: destination.path, reason: String(cString: strerror(errno)))
            }
            Self.syncDirectory(destination.deletingLastPathComponent().path)
            return ArchiveSummary(contracts: contractIDs.count, bytes: bytes, sha256: sha256)
        } catch let error as ArchiveError {
            abandon()
            throw error
        } catch {
            abandon()
            throw .io(path: temporary.path, reason: "\(error)")
        }
    }

    /// Stops writing and removes the temporary file; the destination is left as it was.
    public func abandon() {
        zip?.abandon()
        zip = nil
        unlink(temporary.path)
    }

    private func write(_ path: String, _ bytes: [UInt8], compress: Bool, listed: Bool = true) throws(ArchiveError) {
        guard let zip else { throw .closed }
        try zip.add(path, bytes, method: compress ? .deflated : .stored)
        if listed { written.append((path, DigestAlgorithm.sha256.hash(bytes))) }
    }

    /// fsyncs the file and returns its size and SHA-256 (hex), read in chunks.
    private static func syncAndHash(_ path: String) throws(ArchiveError) -> (Int, String) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .io(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw .io(path: path, reason: String(cString: strerror(errno))) }
        var hasher = Hasher(.sha256)
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var total = 0
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .io(path: path, reason: String(cString: strerror(errno)))
            }
            if count == 0 { break }
            hasher.update(buffer[..<count])
            total += count
        }
        return (total, hasher.finalize().hexString)
    }

    private static func syncDirectory(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }
}
