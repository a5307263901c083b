import FoundationEssentials
import PostgresNIO
import SignetArchive
import SignetService

/// `ExportRepository` on PostgreSQL.
struct PostgresExportRepository: ExportRepository {
    let database: PostgresPool

    var archiveDirectory: String { "" }

    func contracts(_ query: ExportQuery, after: Int64?, limit: Int) async throws -> Page<Contract> {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func count(_ query: ExportQuery) async throws -> Int {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func insert(_ job: ExportJob) async throws {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func job(id: String) async throws -> ExportJob? {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func claimNext(now: Date) async throws -> ExportJob? {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func requeueInterrupted(now: Date) async throws -> Int {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func updateProgress(id: String, progress: ExportJob.Progress, at date: Date) async throws {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func finish(_ job: ExportJob, event: WebhookEvent) async throws {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }
}
