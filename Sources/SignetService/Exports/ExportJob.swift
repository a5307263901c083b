public import FoundationEssentials

/// An export run by the service's export worker (`POST /v1/exports`): its filter, where it
/// stands, and, once it succeeded, the archive the store keeps (`ExportRepository.storeArchive`:
/// a file under SQLite's data directory, a large object in PostgreSQL).
public struct ExportJob: Sendable, Hashable {
    /// Where a job stands.
    public enum State: String, Sendable, Hashable, CaseIterable {
        /// Waiting for the worker.
        case queued
        /// Being written by a worker holding its lease (found so with the lease passed: its
        /// worker is gone, run again from the start).
        case running
        /// The archive is ready.
        case succeeded
        /// It failed; `error` says why.
        case failed
    }

    /// How far the export is: contracts written of those matching.
    public struct Progress: Sendable, Hashable {
        /// Contracts written.
        public var done: Int
        /// Contracts matching the filter (known once the job runs).
        public var total: Int

        /// A progress.
        public init(done: Int, total: Int) {
            self.done = done
            self.total = total
        }
    }

    /// The finished archive.
    public struct Archive: Sendable, Hashable {
        /// Where the store keeps it, in the store's terms: the file's path (SQLite), the large
        /// object's oid (PostgreSQL). Read it through `ExportRepository.readArchive`.
        public var location: String
        /// Its size in bytes.
        public var size: Int
        /// Its SHA-256 (hex).
        public var sha256: String

        /// An archive record.
        public init(location: String, size: Int, sha256: String) {
            self.location = location
            self.size = size
            self.sha256 = sha256
        }
    }

    /// Why a job failed.
    public struct Failure: Sendable, Hashable {
        /// A stable code (`ErrorCodes`), e.g. `export_empty`.
        public var code: String
        /// A sentence.
        public var message: String

        /// A failure.
        public init(code: String, message: String) {
            self.code = code
            self.message = message
        }
    }

    /// `exp_…`.
    public var id: String
    /// Where it stands.
    public var state: State
    /// Which contracts.
    public var filter: ExportFilter
    /// How far.
    public var progress: Progress
    /// The archive, once succeeded.
    public var archive: Archive?
    /// Why it failed.
    public var error: Failure?
    /// When it was asked for.
    public var createdAt: Date
    /// When it last changed.
    public var updatedAt: Date
    /// When it succeeded or failed.
    public var finishedAt: Date?

    /// A job with every member given.
    public init(id: String, state: State, filter: ExportFilter, progress: Progress, archive: Archive? = nil, error: Failure? = nil,
                createdAt: Date, updatedAt: Date, finishedAt: Date? = nil) {
        self.id = id
        self.state = state
        self.filter = filter
        self.progress = progress
        self.archive = archive
        self.error = error
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.finishedAt = finishedAt
    }
}
