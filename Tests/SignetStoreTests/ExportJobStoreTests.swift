import Foundation
import SignetCrypto
import SignetService
import SignetStore
import SignetServiceTestSupport
import Testing

/// Export jobs in the store when instances share it: one claim per job, leases that keep a
/// live worker's job, archives kept by the store and read back in chunks by any instance.
@Suite("Export jobs and archives in the store, across instances")
struct ExportJobStoreTests {
    static func queued(_ store: TestStore, at date: Date = Fixtures.time(0)) async throws -> ExportJob {
        let job = ExportJob(id: ResourceID.make(.export), state: .queued, filter: ExportFilter(merchantID: ResourceID.make(.merchant)),
                            progress: .init(done: 0, total: 0), createdAt: date, updatedAt: date)
        try await store.storage.exports.insert(job)
        return job
    }

    @Test("two instances claiming at once: each of 3 jobs is claimed exactly once, in queue order per claim")
    func claimRace() async throws {
        let store = try await TestStore()
        let other = try await store.secondInstance()
        var jobs: [ExportJob] = []
        for _ in 0..<3 { jobs.append(try await Self.queued(store)) }
        let instances = [store.storage.exports, other.storage.exports]
        let now = Fixtures.time(1)
        let claimed = try await withThrowingTaskGroup(of: ExportJob?.self) { group in
            for index in 0..<16 {
                group.addTask { try await instances[index % 2].claimNext(now: now, leaseUntil: now.addingTimeInterval(60)) }
            }
            return try await group.reduce(into: [ExportJob]()) { if let job = $1 { $0.append(job) } }
        }
        #expect(claimed.map(\.id).sorted() == jobs.map(\.id).sorted(), "every job once, none twice")
        #expect(claimed.allSatisfy { $0.state == .running && $0.updatedAt == now })
        #expect(try await store.storage.exports.claimNext(now: now, leaseUntil: now.addingTimeInterval(60)) == nil)
        try await other.close()
    }

    @Test("requeue leaves a job under a live lease (renewed by progress) and requeues it once the lease passed")
    func requeueRespectsLease() async throws {
        let store = try await TestStore()
        let other = try await store.secondInstance()
        let job = try await Self.queued(store)
        let start = Fixtures.time(10)
        _ = try #require(try await store.storage.exports.claimNext(now: start, leaseUntil: start.addingTimeInterval(60)))
        #expect(try await other.storage.exports.requeueInterrupted(now: start.addingTimeInterval(30)) == 0, "a live lease is kept")
        try await store.storage.exports.updateProgress(id: job.id, progress: .init(done: 2, total: 5), at: start.addingTimeInterval(50),
                                                       leaseUntil: start.addingTimeInterval(120))
        #expect(try await other.storage.exports.requeueInterrupted(now: start.addingTimeInterval(90)) == 0, "progress renewed the lease")
        #expect(try await other.storage.exports.job(id: job.id)?.state == .running)
        #expect(try await other.storage.exports.requeueInterrupted(now: start.addingTimeInterval(121)) == 1, "the worker is gone")
        let requeued = try #require(try await store.storage.exports.job(id: job.id))
        #expect(requeued.state == .queued && requeued.progress.done == 0)
        #expect(try await other.storage.exports.claimNext(now: start.addingTimeInterval(122), leaseUntil: start.addingTimeInterval(200))?.id == job.id)
        try await other.close()
    }

    @Test("an archive stored by one instance is read back in chunks by another: same bytes, same SHA-256; the staging file is gone")
    func archiveRoundTrip() async throws {
        let store = try await TestStore()
        let other = try await store.secondInstance()
        var job = try await Self.queued(store)
        let start = Fixtures.time(20)
        _ = try #require(try await store.storage.exports.claimNext(now: start, leaseUntil: start.addingTimeInterval(60)))

        let bytes = (0..<(2 * 1_048_576 + 12_345)).map { UInt8(truncatingIfNeeded: ($0 &* 2_654_435_761) >> 13) }
        let sha256 = DigestAlgorithm.sha256.hash(bytes).hexString
        let staging = store.storage.exports.stagingDirectory
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        let file = "\(staging)/\(job.id).asice"
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        let archive = try await store.storage.exports.storeArchive(jobID: job.id, file: file, size: bytes.count, sha256: sha256)
        #expect(!FileManager.default.fileExists(atPath: file), "the staging file is taken")
        #expect(archive.size == bytes.count && archive.sha256 == sha256)

        job.state = .succeeded
        job.progress = .init(done: 1, total: 1)
        job.archive = archive
        job.updatedAt = start.addingTimeInterval(5)
        job.finishedAt = job.updatedAt
        try await store.storage.exports.finish(job, event: try WebhookOutbox.exportFinished(job))
        let stored = try #require(try await other.storage.exports.job(id: job.id))
        #expect(stored == job)

        var read: [UInt8] = []
        let chunk = 700_000
        while read.count < archive.size {
            let part = try await other.storage.exports.readArchive(try #require(stored.archive), offset: read.count, length: chunk)
            #expect(part.count == min(chunk, archive.size - read.count))
            read += part
        }
        #expect(DigestAlgorithm.sha256.hash(read).hexString == sha256 && read == bytes)
        #expect(try await other.storage.exports.readArchive(archive, offset: archive.size, length: chunk).isEmpty, "nothing past the end")

        // Finishing again (a stale worker) changes nothing and adds no second event.
        try await other.storage.exports.finish(job, event: try WebhookOutbox.exportFinished(job))
        #expect(try await store.storage.webhooks.events(type: "export.completed", limit: 10).count == 1)
        try await other.close()
    }

    @Test("PostgreSQL: an archive whose file does not match its size and digest is refused; nothing is stored, the file is removed",
          .enabled(if: TestStorage.isPostgres))
    func mismatchedArchiveRefused() async throws {
        let store = try await TestStore()
        let job = try await Self.queued(store)
        let start = Fixtures.time(30)
        _ = try #require(try await store.storage.exports.claimNext(now: start, leaseUntil: start.addingTimeInterval(60)))
        let staging = store.storage.exports.stagingDirectory
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        let file = "\(staging)/\(job.id).asice"
        try Data(Array("not the archive".utf8)).write(to: URL(fileURLWithPath: file))
        await #expect(throws: StoreError.self) {
            _ = try await store.storage.exports.storeArchive(jobID: job.id, file: file, size: 15, sha256: String(repeating: "0", count: 64))
        }
        #expect(!FileManager.default.fileExists(atPath: file))
        #expect(try await store.storage.exports.job(id: job.id)?.archive == nil)
    }
}
