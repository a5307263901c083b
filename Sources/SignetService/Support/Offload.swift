import Dispatch

/// Runs blocking work (rendering, OpenSSL signing, file I/O) on a Dispatch queue, off the
/// caller's executor: never on a SwiftNIO event loop, and not holding a cooperative-pool
/// thread while Cairo or OpenSSL work.
enum Offload {
    private static let queue = DispatchQueue(label: "signet.service.blocking", attributes: .concurrent)

    /// The result of `body`, computed on the blocking queue.
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body() }) }
        }
    }
}
