import NIOPosix

/// Runs blocking work (OpenSSL signing, file locks and fsync in the CA database and the TSA's
/// serial counter) on NIO's thread pool, off the event loops and the cooperative threads.
enum BlockingWork {
    /// Runs synchronous `body` on the pool.
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await NIOThreadPool.singleton.runIfActive(body)
    }

    /// Runs asynchronous `body` with the pool as its preferred executor: its nonisolated
    /// synchronous stretches (the TSA's signing behind an `async` key API) run on pool threads.
    static func run<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withTaskExecutorPreference(ThreadPoolTaskExecutor.shared) {
            try await body()
        }
    }
}

/// A `TaskExecutor` over `NIOThreadPool.singleton`.
final class ThreadPoolTaskExecutor: TaskExecutor {
    static let shared = ThreadPoolTaskExecutor(pool: .singleton)

    private let pool: NIOThreadPool

    init(pool: NIOThreadPool) {
        self.pool = pool
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        pool.submit { _ in
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}
