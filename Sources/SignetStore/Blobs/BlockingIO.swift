import Dispatch

/// Runs blocking file work (open, write, fsync, rename, read) on a dispatch queue of its
/// own and awaits it, so a slow disk never holds one of the few threads of Swift's
/// cooperative pool (nor a NIO event loop): the SQLite equivalent is GRDB's own queues.
enum BlockingIO {
    private static let queue = DispatchQueue(label: "signet.store.blocking-io", attributes: .concurrent)

    /// The result of `body`, run on the blocking queue.
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body() }) }
        }
    }
}
