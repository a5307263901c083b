public import FoundationEssentials

/// Exports: the contracts an export selects, paged by key (never all in memory), the export
/// jobs, and their archives, which the store keeps (so that any instance can serve a download,
/// whichever wrote it). Implemented by SignetStore.
///
/// A running job is leased: `claimNext` and `updateProgress` set `leasedUntil`, and only a
/// job whose lease has passed (its worker stopped) goes back to the queue, so an instance that
/// starts never takes a job another live instance is writing.
public protocol ExportRepository: Sendable {
    /// Where the service writes a job's archive before handing it to `storeArchive`: beside
    /// its final place on SQLite (so storing it is a rename), a temporary directory otherwise.
    var stagingDirectory: String { get }
    /// Contracts matching `query` in commit order (`Contract.sequence` ascending), at most
    /// `limit` after the one whose sequence is `after`; `next` is the key of the next page.
    func contracts(_ query: ExportQuery, after: Int64?, limit: Int) async throws -> Page<Contract>
    /// How many contracts match `query`.
    func count(_ query: ExportQuery) async throws -> Int
    /// Inserts a new (queued) job; with a `claim`, records it as the key's resource in the
    /// same transaction (`StoreError.duplicate("idempotency.resource_id")` when the key names
    /// one already).
    func insert(_ job: ExportJob, claim: IdempotencyKey?) async throws
    /// The job with `id`.
    func job(id: String) async throws -> ExportJob?
    /// Takes the oldest queued job: `running` from `now`, leased until `leaseUntil`; nil when
    /// none is queued. Of workers claiming at once (on any instance), each job goes to one.
    func claimNext(now: Date, leaseUntil: Date) async throws -> ExportJob?
    /// Jobs left `running` whose lease passed before `now` (their worker stopped before
    /// finishing) go back to `queued`; returns how many. Jobs under a live lease stay.
    func requeueInterrupted(now: Date) async throws -> Int
    /// Records a running job's progress and renews its lease until `leaseUntil`.
    func updateProgress(id: String, progress: ExportJob.Progress, at date: Date, leaseUntil: Date) async throws
    /// Takes a running job's finished archive file (`size` bytes hashing to `sha256`, under
    /// `stagingDirectory`) into the store, durably, and returns where it is now. The file is
    /// gone afterwards (moved or copied and removed), whether this succeeds or throws.
    func storeArchive(jobID: String, file: String, size: Int, sha256: String) async throws -> ExportJob.Archive
    /// Up to `length` bytes of a stored archive from `offset` (fewer only at its end):
    /// downloads read it in chunks, never whole. `StoreError.missing` when it is gone.
    func readArchive(_ archive: ExportJob.Archive, offset: Int, length: Int) async throws -> [UInt8]
    /// Stores a running job's outcome (`succeeded` or `failed`) and appends its webhook event
    /// to the outbox, in one transaction.
    func finish(_ job: ExportJob, event: WebhookEvent) async throws
}

extension ExportRepository {
    /// Inserts a new (queued) job with no idempotency claim.
    public func insert(_ job: ExportJob) async throws {
        try await insert(job, claim: nil)
    }
}
