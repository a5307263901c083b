/// Why an archive could not be written (or a manifest read).
public enum ArchiveError: Error, Sendable, CustomStringConvertible {
    /// A file could not be created, written, synced or renamed.
    case io(path: String, reason: String)
    /// A ZIP entry could not be made (deflate failed, a name too long) or a JSON file encoded.
    case zip(String)
    /// A contract id or template file name that is not a safe path component.
    case unsafeName(String)
    /// The same contract twice.
    case duplicateContract(String)
    /// `add` or `finish` after `finish` or `abandon`.
    case closed
    /// Signing or timestamping the manifest failed.
    case sealing(String)
    /// An `ASiCManifest.xml` not in the form Signet writes.
    case invalidManifest(String)

    /// A plain sentence.
    public var description: String {
        switch self {
        case .io(let path, let reason): "cannot write \(path): \(reason)"
        case .zip(let reason): "ZIP: \(reason)"
        case .unsafeName(let name): "\(name.debugDescription) is not a safe archive name (letters, digits, . _ - @ +)"
        case .duplicateContract(let id): "contract \(id) is already in the archive"
        case .closed: "the archive is already finished or abandoned"
        case .sealing(let reason): "cannot seal the archive: \(reason)"
        case .invalidManifest(let reason): "invalid ASiCManifest.xml: \(reason)"
        }
    }
}

/// What `ArchiveWriter.finish` wrote.
public struct ArchiveSummary: Sendable, Hashable {
    /// How many contracts.
    public var contracts: Int
    /// The archive's size in bytes.
    public var bytes: Int
    /// The archive's SHA-256 (hex).
    public var sha256: String

    /// A summary.
    public init(contracts: Int, bytes: Int, sha256: String) {
        self.contracts = contracts
        self.bytes = bytes
        self.sha256 = sha256
    }
}
