import FoundationEssentials
import GRDB
import SignetService

/// `ExportRepository` on the `export_jobs` table and the `contracts` it selects from; the
/// archives are files in the data directory (`exports/<id>.asice`), written in
/// `exports/staging` and renamed into place.
struct SQLiteExportRepository: ExportRepository {
    let database: SQLiteDatabase
    /// `<data>/exports`.
    let archiveDirectory: String

    var stagingDirectory: String { "\(archiveDirectory)/staging" }

    /// The WHERE clause and arguments of `query`.
    static func condition(_ query: ExportQuery) -> (sql: String, arguments: [(any DatabaseValueConvertible)?]) {
        var conditions = ["state = ?"]
        var arguments: [(any DatabaseValueConvertible)?] = [query.state.rawValue]
        if let merchantID = query.merchantID {
            conditions.append("merchant_id = ?")
            arguments.append(merchantID)
        }
        if let from = query.completedFrom {
            conditions.append("completed_at >= ?")
            arguments.append(ColumnCoding.milliseconds(from) as Int64)
        }
        if let before = query.completedBefore {
            conditions.append("completed_at < ?")
            arguments.append(ColumnCoding.milliseconds(before) as Int64)
        }
        return (conditions.joined(separator: " AND "), arguments)
    }

    func contracts(_ query: ExportQuery, after: Int64?, limit: Int) async throws -> Page<Contract> {
        let (condition, arguments) = Self.condition(query)
        let limit = min(max(limit, 1), 500)
        let statement = StatementArguments(arguments + [after ?? 0, limit + 1])
        return try await database.read { db in
            try Page.from(try Row.fetchAll(db, sql: "SELECT * FROM contracts WHERE \(condition) AND seq > ? ORDER BY seq LIMIT ?",
                                           arguments: statement),
                          limit: limit, orderingKey: "seq") { try ContractRows.contracts($0, db) }
        }
    }

    func count(_ query: ExportQuery) async throws -> Int {
        let (condition, arguments) = Self.condition(query)
        let statement = StatementArguments(arguments)
        return try await database.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM contracts WHERE \(condition)", arguments: statement) ?? 0
        }
    }

    func insert(_ job: ExportJob, claim: IdempotencyKey?) async throws {
        let filter = try ColumnCoding.json(encoding: job.filter)
        try await database.write { db in
            try IdempotencyClaimRows.record(job.id, under: claim, db)
            try db.execute(
                sql: """
                    INSERT INTO export_jobs (id, state, filter, progress_done, progress_total, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [job.id, job.state.rawValue, filter, job.progress.done, job.progress.total,
                            ColumnCoding.milliseconds(job.createdAt), ColumnCoding.milliseconds(job.updatedAt)])
        }
    }

    func job(id: String) async throws -> ExportJob? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM export_jobs WHERE id = ?", arguments: [id]).map(Self.job)
        }
    }

    func claimNext(now: Date, leaseUntil: Date) async throws -> ExportJob? {
        try await database.write { db in
            guard let id = try String.fetchOne(db, sql: "SELECT id FROM export_jobs WHERE state = 'queued' ORDER BY seq LIMIT 1") else {
                return nil
            }
            try db.execute(sql: "UPDATE export_jobs SET state = 'running', updated_at = ?, leased_until = ? WHERE id = ?",
                           arguments: [ColumnCoding.milliseconds(now), ColumnCoding.milliseconds(leaseUntil), id])
            return try Row.fetchOne(db, sql: "SELECT * FROM export_jobs WHERE id = ?", arguments: [id]).map(Self.job)
        }
    }

    func requeueInterrupted(now: Date) async throws -> Int {
        try await database.write { db in
            let now = ColumnCoding.milliseconds(now)
            try db.execute(sql: """
                UPDATE export_jobs SET state = 'queued', progress_done = 0, updated_at = ?, leased_until = NULL
                WHERE state = 'running' AND (leased_until IS NULL OR leased_until < ?)
                """, arguments: [now, now])
            return db.changesCount
        }
    }

    func updateProgress(id: String, progress: ExportJob.Progress, at date: Date, leaseUntil: Date) async throws {
        try await database.write { db in
            try db.execute(
                sql: """
                    UPDATE export_jobs SET progress_done = ?, progress_total = ?, updated_at = ?, leased_until = ?
                    WHERE id = ? AND state = 'running'
                    """,
                arguments: [progress.done, progress.total, ColumnCoding.milliseconds(date), ColumnCoding.milliseconds(leaseUntil), id])
        }
    }

    /// Renames the file to `<data>/exports/<id>.asice` (the same file system) and syncs the
    /// directory, so the archive is in place before `finish` records it.
    func storeArchive(jobID: String, file: String, size: Int, sha256: String) async throws -> ExportJob.Archive {
        let destination = "\(archiveDirectory)/\(jobID).asice"
        try await BlockingIO.run { try ArchiveFile.move(file, to: destination) }
        return ExportJob.Archive(location: destination, size: size, sha256: sha256)
    }

    func readArchive(_ archive: ExportJob.Archive, offset: Int, length: Int) async throws -> [UInt8] {
        try await BlockingIO.run { try ArchiveFile.read(archive.location, offset: offset, length: length) }
    }

    func finish(_ job: ExportJob, event: WebhookEvent) async throws {
        try await database.write { db in
            try db.execute(
                sql: """
                    UPDATE export_jobs SET state = ?, progress_done = ?, progress_total = ?, archive_path = ?, archive_size = ?,
                        archive_sha256 = ?, error_code = ?, error_message = ?, updated_at = ?, finished_at = ?
                    WHERE id = ? AND state = 'running'
                    """,
                arguments: [job.state.rawValue, job.progress.done, job.progress.total, job.archive?.location, job.archive?.size,
                            job.archive?.sha256, job.error?.code, job.error?.message, ColumnCoding.milliseconds(job.updatedAt),
                            ColumnCoding.milliseconds(job.finishedAt), job.id])
            // A job no longer running was finished already: its event is in the outbox.
            guard db.changesCount == 1 else { return }
            try WebhookRows.insert([event], db)
        }
    }

    /// A job from its row.
    static func job(_ row: Row) throws -> ExportJob {
        let path: String? = row["archive_path"]
        let code: String? = row["error_code"]
        guard let state = ExportJob.State(rawValue: try row.decode(forColumn: "state")) else {
            throw StoreError.corrupt("export job state")
        }
        return ExportJob(
            id: try row.decode(forColumn: "id"), state: state,
            filter: try ColumnCoding.decode(ExportFilter.self, try row.decode(forColumn: "filter")),
            progress: .init(done: try row.decode(forColumn: "progress_done"), total: try row.decode(forColumn: "progress_total")),
            archive: try path.map { .init(location: $0, size: try row.decode(forColumn: "archive_size"), sha256: try row.decode(forColumn: "archive_sha256")) },
            error: try code.map { .init(code: $0, message: try row.decode(forColumn: "error_message")) },
            createdAt: try row.requiredDate("created_at"), updatedAt: try row.requiredDate("updated_at"),
            finishedAt: try row.date("finished_at"))
    }
}
