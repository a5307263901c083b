import FoundationEssentials
import Glibc
import NIOCore
import PostgresNIO
import SignetArchive
import SignetCrypto
import SignetService

/// `ExportRepository` on PostgreSQL: `export_jobs` and the `contracts` it selects from, with
/// the semantics of `SQLiteExportRepository`, for several instances at once:
/// - workers on any instance claim a queued job with `FOR UPDATE SKIP LOCKED` (one job, one
///   worker) and hold it under a lease their progress renews; only a job whose lease passed
///   goes back to the queue;
/// - the archive is a large object (`export_jobs.archive_oid`), not a file on one instance's
///   disk: written in chunks with `lo_put` in one transaction (all or nothing), read in
///   chunks with `lo_get`, so no instance ever holds a whole archive (which can exceed
///   `bytea`'s 1 GiB) in memory.
struct PostgresExportRepository: ExportRepository {
    let database: PostgresPool

    /// The chunk `storeArchive` writes per `lo_put`.
    static let uploadChunk = 1 << 20

    /// The system's temporary directory: the archive is written there, then stored.
    var stagingDirectory: String { FileManager.default.temporaryDirectory.appendingPathComponent("signet-exports").path }

    /// The WHERE clause of `query` (after `state = $1`) and its bindings.
    static func condition(_ query: ExportQuery) throws -> (sql: String, bindings: PostgresBindings) {
        var bindings = PostgresBindings()
        bindings.append(query.state.rawValue)
        var conditions = ["state = $1"]
        if let merchantID = query.merchantID {
            bindings.append(merchantID)
            conditions.append("merchant_id = $\(bindings.count)")
        }
        if let from = query.completedFrom {
            bindings.append(ColumnCoding.milliseconds(from))
            conditions.append("completed_at >= $\(bindings.count)")
        }
        if let before = query.completedBefore {
            bindings.append(ColumnCoding.milliseconds(before))
            conditions.append("completed_at < $\(bindings.count)")
        }
        return (conditions.joined(separator: " AND "), bindings)
    }

    func contracts(_ query: ExportQuery, after: Int64?, limit: Int) async throws -> Page<Contract> {
        let (condition, initial) = try Self.condition(query)
        var bindings = initial
        let limit = min(max(limit, 1), 500)
        bindings.append(after ?? 0)
        bindings.append(Int64(limit + 1))
        let sql = "SELECT id, seq FROM contracts WHERE \(condition) AND seq > $\(bindings.count - 1) ORDER BY seq LIMIT $\(bindings.count)"
        let keys = try await database.read { session in
            try await session.rows(PostgresQuery(unsafeSQL: sql, binds: bindings)).map {
                (id: try $0.value("id", as: String.self), seq: try $0.value("seq", as: Int64.self))
            }
        }
        let kept = keys.prefix(limit)
        let contracts = PostgresContractRepository(database: database)
        var items: [Contract] = []
        for key in kept {
            guard let contract = try await contracts.contract(id: key.id) else { throw StoreError.corrupt("contract \(key.id) vanished") }
            items.append(contract)
        }
        return Page(items: items, next: keys.count > limit ? kept.last?.seq : nil)
    }

    func count(_ query: ExportQuery) async throws -> Int {
        let (condition, bindings) = try Self.condition(query)
        return try await database.read { session in
            try await session.row(PostgresQuery(unsafeSQL: "SELECT COUNT(*) AS count FROM contracts WHERE \(condition)", binds: bindings))?
                .value("count", as: Int.self) ?? 0
        }
    }

    func insert(_ job: ExportJob, claim: IdempotencyKey?) async throws {
        let filter = try ColumnCoding.json(encoding: job.filter)
        try await database.write { session in
            try await PostgresIdempotencyClaim.record(job.id, under: claim, session)
            try await session.execute("""
                INSERT INTO export_jobs (id, state, filter, progress_done, progress_total, created_at, updated_at)
                VALUES (\(job.id), \(job.state.rawValue), \(filter), \(job.progress.done), \(job.progress.total),
                        \(ColumnCoding.milliseconds(job.createdAt)), \(ColumnCoding.milliseconds(job.updatedAt)))
                """)
        }
    }

    func job(id: String) async throws -> ExportJob? {
        try await database.read { session in
            try await session.row(PostgresQuery(unsafeSQL: "SELECT \(Self.columns) FROM export_jobs WHERE id = $1", binds: try Self.bindings(id)))
                .map(Self.job)
        }
    }

    /// The oldest queued job that no other worker is claiming right now (`SKIP LOCKED`): two
    /// instances claiming at once take two different jobs, or one takes it and the other none.
    func claimNext(now: Date, leaseUntil: Date) async throws -> ExportJob? {
        let bindings = try Self.bindings(ColumnCoding.milliseconds(now), ColumnCoding.milliseconds(leaseUntil))
        return try await database.write { session in
            try await session.row(PostgresQuery(unsafeSQL: """
                UPDATE export_jobs SET state = 'running', updated_at = $1, leased_until = $2
                WHERE id = (SELECT id FROM export_jobs WHERE state = 'queued' ORDER BY seq LIMIT 1 FOR UPDATE SKIP LOCKED)
                    AND state = 'queued'
                RETURNING \(Self.columns)
                """, binds: bindings)).map(Self.job)
        }
    }

    func requeueInterrupted(now: Date) async throws -> Int {
        let now = ColumnCoding.milliseconds(now)
        return try await database.write { session in
            try await session.execute("""
                UPDATE export_jobs SET state = 'queued', progress_done = 0, updated_at = \(now), leased_until = NULL
                WHERE state = 'running' AND (leased_until IS NULL OR leased_until < \(now))
                """)
        }
    }

    func updateProgress(id: String, progress: ExportJob.Progress, at date: Date, leaseUntil: Date) async throws {
        _ = try await database.write { session in
            try await session.execute("""
                UPDATE export_jobs SET progress_done = \(progress.done), progress_total = \(progress.total),
                    updated_at = \(ColumnCoding.milliseconds(date)), leased_until = \(ColumnCoding.milliseconds(leaseUntil))
                WHERE id = \(id) AND state = 'running'
                """)
        }
    }

    /// Copies the file into a new large object, 1 MiB per `lo_put`, checking on the way that
    /// the bytes are `size` long and hash to `sha256`, and records its oid on the (still
    /// running) job, all in one transaction: a failure leaves no large object behind. A large
    /// object of an earlier, interrupted run of the job is unlinked. The file is removed.
    func storeArchive(jobID: String, file: String, size: Int, sha256: String) async throws -> ExportJob.Archive {
        defer { ArchiveFile.remove(file) }
        let fd = open(file, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw StoreError.unavailable("export archive: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let oid = try await database.write { session in
            guard let job = try await session.row("SELECT archive_oid::bigint AS oid FROM export_jobs WHERE id = \(jobID) AND state = 'running' FOR UPDATE") else {
                throw StoreError.missing("running export job")
            }
            if let earlier = try job.value("oid", as: Int64?.self) {
                try await session.execute("SELECT lo_unlink(\(earlier)::oid)")
            }
            let created = try await session.row("SELECT lo_create(0)::bigint AS oid")
            let oid = try required(try created?.value("oid", as: Int64.self), "large object")
            var hash = SignetCrypto.Hasher(.sha256)
            var offset = 0
            while true {
                let at = offset
                let chunk = try await BlockingIO.run { try ArchiveFile.read(fd, offset: at, length: Self.uploadChunk) }
                if chunk.isEmpty { break }
                hash.update(chunk)
                try await session.execute("SELECT lo_put(\(oid)::oid, \(Int64(offset)), \(ByteBuffer(bytes: chunk)))")
                offset += chunk.count
            }
            guard offset == size, hash.finalize().hexString == sha256 else {
                throw StoreError.corrupt("export archive of \(jobID) changed before it was stored")
            }
            try await session.execute("UPDATE export_jobs SET archive_oid = \(oid)::oid WHERE id = \(jobID)")
            return oid
        }
        return ExportJob.Archive(location: String(oid), size: size, sha256: sha256)
    }

    func readArchive(_ archive: ExportJob.Archive, offset: Int, length: Int) async throws -> [UInt8] {
        guard let oid = Int64(archive.location) else { throw StoreError.missing("export archive") }
        return try await database.read { session in
            let exists = try await session.row("SELECT EXISTS (SELECT 1 FROM pg_largeobject_metadata WHERE oid = \(oid)::oid) AS found")
            guard try exists?.value("found", as: Bool.self) == true else { throw StoreError.missing("export archive") }
            guard let row = try await session.row("SELECT lo_get(\(oid)::oid, \(Int64(offset)), \(Int32(clamping: length))) AS bytes"),
                  var buffer = try row.value("bytes", as: ByteBuffer?.self) else {
                throw StoreError.missing("export archive")
            }
            return buffer.readBytes(length: buffer.readableBytes) ?? []
        }
    }

    /// The outcome and its webhook event in one transaction; a job no longer running (finished
    /// already) changes nothing and adds no event. A large object left by an earlier,
    /// interrupted run that this outcome does not name is unlinked.
    func finish(_ job: ExportJob, event: WebhookEvent) async throws {
        let oid = job.archive.flatMap { Int64($0.location) }
        try await database.write { session in
            guard let current = try await session.row("""
                SELECT archive_oid::bigint AS oid FROM export_jobs WHERE id = \(job.id) AND state = 'running' FOR UPDATE
                """) else { return }
            if let earlier = try current.value("oid", as: Int64?.self), earlier != oid {
                try await session.execute("SELECT lo_unlink(\(earlier)::oid)")
            }
            let updated = try await session.execute("""
                UPDATE export_jobs SET state = \(job.state.rawValue), progress_done = \(job.progress.done), progress_total = \(job.progress.total),
                    archive_oid = \(oid)::oid, archive_size = \(job.archive.map { Int64($0.size) }), archive_sha256 = \(job.archive?.sha256),
                    error_code = \(job.error?.code), error_message = \(job.error?.message), updated_at = \(ColumnCoding.milliseconds(job.updatedAt)),
                    finished_at = \(ColumnCoding.milliseconds(job.finishedAt)), leased_until = NULL
                WHERE id = \(job.id) AND state = 'running'
                """)
            guard updated == 1 else { return }
            try await PostgresOutbox.insert([event], session)
        }
    }

    /// The columns a job is read from: the row, and the archive's oid as a bigint
    /// (`archive_location`; PostgresNIO decodes no `oid`).
    static let columns = "*, archive_oid::bigint AS archive_location"

    /// Bindings of `values`, for a query with dynamic text.
    static func bindings(_ values: any PostgresEncodable...) throws -> PostgresBindings {
        var bindings = PostgresBindings()
        for value in values { try bindings.append(value) }
        return bindings
    }

    /// A job from its row (`columns`; the archive once the job succeeded: its large object).
    static func job(_ row: PostgresRandomAccessRow) throws -> ExportJob {
        guard let state = ExportJob.State(rawValue: try row.value("state", as: String.self)) else {
            throw StoreError.corrupt("export job state")
        }
        let sha256 = try row.value("archive_sha256", as: String?.self)
        let oid = try row.value("archive_location", as: Int64?.self)
        let code = try row.value("error_code", as: String?.self)
        return ExportJob(
            id: try row.value("id"), state: state,
            filter: try ColumnCoding.decode(ExportFilter.self, try row.value("filter")),
            progress: .init(done: try row.value("progress_done"), total: try row.value("progress_total")),
            archive: try sha256.flatMap { sha256 in
                try oid.map { .init(location: String($0), size: Int(try row.value("archive_size", as: Int64.self)), sha256: sha256) }
            },
            error: try code.map { .init(code: $0, message: try row.value("error_message")) },
            createdAt: try row.requiredDate("created_at"), updatedAt: try row.requiredDate("updated_at"),
            finishedAt: try row.date("finished_at"))
    }
}
