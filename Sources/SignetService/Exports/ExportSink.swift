import FoundationEssentials
import SignetArchive

/// The one place an export meets the archive writer (SignetArchive's `ArchiveWriter`,
/// ASiC-E): created on the destination with the seal, fed one `ArchivedContract` at a time,
/// finished (manifest, seal, sync, rename) or abandoned (temporary file removed).
///
/// `@unchecked Sendable`: the writer is not `Sendable`; one export task owns the sink and
/// awaits each call (run on the blocking queue) before making the next, so it is never used
/// from two threads at once.
final class ExportSink: @unchecked Sendable {
    private let writer: ArchiveWriter

    /// A writer on a temporary file beside `destination`.
    init(destination: URL, seal: ArchiveSeal) throws {
        writer = try ArchiveWriter(destination: destination, seal: seal, generator: "Signet")
    }

    /// Adds one contract's folder.
    func add(_ contract: ArchivedContract) throws {
        try writer.add(contract)
    }

    /// Writes the manifest and its seal and moves the archive into place.
    func finish(createdAt: Date) async throws -> SignetService.ExportResult {
        let summary = try await writer.finish(createdAt: createdAt)
        return SignetService.ExportResult(contracts: summary.contracts, bytes: summary.bytes, sha256: summary.sha256)
    }

    /// Removes the temporary file.
    func abandon() {
        writer.abandon()
    }
}
