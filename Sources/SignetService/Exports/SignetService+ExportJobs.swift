public import FoundationEssentials
import SignetArchive
import SignetCrypto

extension SignetService {
    /// Queues an export of the contracts `filter` selects (`POST /v1/exports`); the export
    /// worker (`runNextExportJob`) writes it. The filter is checked now
    /// (`exportFilterInvalid`, `notFound("merchant")`). With `idempotencyKey` (a started
    /// `beginIdempotent` request) the key queues at most one job, also across a crash
    /// (`createOnce`): a retry gets that job as it is now.
    public func createExportJob(_ filter: ExportFilter, idempotencyKey: IdempotencyKey? = nil) async throws -> ExportJob {
        try await createOnce(under: idempotencyKey, earlier: { try await exportJob(id: $0) }) { claim in
            _ = try await checkExportFilter(filter)
            let created = now
            let job = ExportJob(id: ResourceID.make(.export), state: .queued, filter: filter, progress: .init(done: 0, total: 0),
                                createdAt: created, updatedAt: created)
            try await storage.exports.insert(job, claim: claim)
            return job
        }
    }

    /// The export job with `id` (`notFound("export")`).
    public func exportJob(id: String) async throws -> ExportJob {
        guard ResourceID.isWellFormed(id, kind: .export), let job = try await storage.exports.job(id: id) else {
            throw ServiceError.notFound("export")
        }
        return job
    }

    /// How long a running export job's lease lasts: renewed with each contract written and
    /// before its archive is stored, so it passes only when its worker stopped.
    public static let exportLease: TimeInterval = 5 * 60

    /// A succeeded export's archive (read it with `exportArchiveChunk`): `exportNotReady`
    /// while queued or running, `exportFailed` for a failed job.
    public func exportArchiveFile(id: String) async throws -> (job: ExportJob, archive: ExportJob.Archive) {
        let job = try await exportJob(id: id)
        switch job.state {
        case .queued, .running: throw ServiceError.exportNotReady(state: job.state.rawValue)
        case .failed: throw ServiceError.exportFailed(code: job.error?.code ?? "internal_error")
        case .succeeded:
            guard let archive = job.archive else { throw ServiceError.internalFailure("export \(id) succeeded without an archive") }
            return (job, archive)
        }
    }

    /// Up to `length` bytes of a stored export archive from `offset` (fewer only at its end):
    /// a download reads the archive chunk by chunk from the store, never whole.
    public func exportArchiveChunk(_ archive: ExportJob.Archive, offset: Int, length: Int) async throws -> [UInt8] {
        try await storage.exports.readArchive(archive, offset: offset, length: length)
    }

    /// Jobs whose worker stopped (left `running`, their lease passed) go back to the queue;
    /// jobs another live instance is writing stay. The export worker calls it each round.
    public func requeueInterruptedExports() async throws -> Int {
        try await storage.exports.requeueInterrupted(now: now)
    }

    /// Runs the oldest queued export job to its end: the archive written to a staging file,
    /// progress recorded (and the lease renewed) after each contract, the archive handed to
    /// the store (`storeArchive`), and the outcome stored with its webhook event
    /// (`export.completed` or `export.failed`, the job as `data`) in one transaction. Returns
    /// the finished job; nil when none was queued.
    public func runNextExportJob() async throws -> ExportJob? {
        let claimed = now
        guard var job = try await storage.exports.claimNext(now: claimed, leaseUntil: claimed.addingTimeInterval(Self.exportLease)) else {
            return nil
        }
        let directory = storage.exports.stagingDirectory
        let path = "\(directory)/\(job.id).asice"
        let exports = storage.exports
        let clock = clock
        let id = job.id
        do {
            try await Offload.run { try SecureFile.makeDirectories(directory, mode: 0o750) }
            let result = try await exportArchive(filter: job.filter, to: URL(fileURLWithPath: path)) { progress in
                let now = AuditChain.millisecondPrecision(clock())
                try? await exports.updateProgress(id: id, progress: progress, at: now, leaseUntil: now.addingTimeInterval(Self.exportLease))
            }
            let stored = AuditChain.millisecondPrecision(clock())
            try await exports.updateProgress(id: id, progress: .init(done: result.contracts, total: result.contracts), at: stored,
                                             leaseUntil: stored.addingTimeInterval(Self.exportLease))
            job.state = .succeeded
            job.progress = .init(done: result.contracts, total: result.contracts)
            job.archive = try await exports.storeArchive(jobID: id, file: path, size: result.bytes, sha256: result.sha256)
        } catch {
            job.state = .failed
            if let stored = try await storage.exports.job(id: job.id) { job.progress = stored.progress }
            job.error = Self.exportFailure(error)
        }
        job.updatedAt = now
        job.finishedAt = job.updatedAt
        try await storage.exports.finish(job, event: try WebhookOutbox.exportFinished(job))
        return job
    }

    /// What a failed job records: the error's stable code and, for refusals and library
    /// errors, their sentence (an internal failure's detail stays in the server).
    static func exportFailure(_ error: any Error) -> ExportJob.Failure {
        if let error = error as? ServiceError {
            return .init(code: error.code, message: error.description)
        }
        if let code = ErrorCodes.code(of: error) {
            return .init(code: code, message: String(describing: error))
        }
        return .init(code: "internal_error", message: "internal error")
    }
}
