public import FoundationEssentials

/// Exports: the contracts an export selects, paged by key (never all in memory), and the
/// export jobs. Implemented by SignetStore.
public protocol ExportRepository: Sendable {
    /// The directory the jobs' archive files go to (`<data>/exports`).
    var archiveDirectory: String { get }
    /// Contracts matching `query` in commit order (`Contract.sequence` ascending), at most
    /// `limit` after the one whose sequence is `after`; `next` is the key of the next page.
    func contracts(_ query: ExportQuery, after: Int64?, limit: Int) async throws -> Page<Contract>
    /// How many contracts match `query`.
    func count(_ query: ExportQuery) async throws -> Int
    /// Inserts a new (queued) job.
    func insert(_ job: ExportJob) async throws
    /// The job with `id`.
    func job(id: String) async throws -> ExportJob?
    /// Takes the oldest queued job: `running` from `now`; nil when none is queued.
    func claimNext(now: Date) async throws -> ExportJob?
    /// Jobs left `running` by a process that stopped go back to `queued` (their archive was
    /// never renamed into place); returns how many. Called when the worker starts.
    func requeueInterrupted(now: Date) async throws -> Int
    /// Records a running job's progress.
    func updateProgress(id: String, progress: ExportJob.Progress, at date: Date) async throws
    /// Stores a job's outcome (`succeeded` or `failed`) and appends its webhook event to the
    /// outbox, in one transaction.
    func finish(_ job: ExportJob, event: WebhookEvent) async throws
}
