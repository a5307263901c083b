package import SignetCrypto
import Synchronization

/// A TSA that answers `answers` times (by default once: the merchant's signature
/// timestamp), then is down.
package final class FailingAfterFirstTSA: TimeStampProvider, Sendable {
    let real: any TimeStampProvider
    let answers: Int
    let calls = Synchronization.Mutex(0)
    package init(real: any TimeStampProvider, answers: Int = 1) {
        self.real = real
        self.answers = answers
    }

    package func timestamp(digest: [UInt8], algorithm: DigestAlgorithm) async throws -> TimeStampToken {
        let call = calls.withLock { $0 += 1; return $0 }
        guard call <= answers else { throw FixtureError("TSA unavailable") }
        return try await real.timestamp(digest: digest, algorithm: algorithm)
    }

    package func estimatedTokenSize(algorithm: DigestAlgorithm) async throws -> Int {
        try await real.estimatedTokenSize(algorithm: algorithm)
    }
}
