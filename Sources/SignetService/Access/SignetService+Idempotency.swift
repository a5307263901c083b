public import FoundationEssentials
import SignetCrypto

extension SignetService {
    /// How long idempotency records are kept (at least 24 h, as the draft asks).
    public static let idempotencyRetention: TimeInterval = 24 * 3600
    /// How long a running request holds its key before a retry may take over (a crashed request).
    public static let idempotencyLock: TimeInterval = 120

    /// Starts a POST under an `Idempotency-Key`: `started` (run it, then `finishIdempotent` or
    /// `abandonIdempotent`), or the stored response to replay. A different request under the
    /// same key → `idempotencyKeyReused`; the first still running → `idempotencyKeyInUse`.
    /// The request hash covers method, path and body.
    public func beginIdempotent(_ key: IdempotencyKey, method: String, path: String, body: [UInt8]) async throws -> StoredResponse? {
        let hash = DigestAlgorithm.sha256.hash(Array("\(method) \(path)\n".utf8) + body).hexString
        let now = self.now
        switch try await storage.idempotency.begin(key, requestHash: hash, now: now, lockedUntil: now.addingTimeInterval(Self.idempotencyLock)) {
        case .started: return nil
        case .replay(let response): return response
        case .inProgress: throw ServiceError.idempotencyKeyInUse
        case .mismatch: throw ServiceError.idempotencyKeyReused
        }
    }

    /// Stores the response of a started request for replay.
    public func finishIdempotent(_ key: IdempotencyKey, response: StoredResponse) async throws {
        try await storage.idempotency.complete(key, response: response, at: now)
    }

    /// Forgets a started request that ended in a server error, so a retry runs it again.
    public func abandonIdempotent(_ key: IdempotencyKey) async {
        try? await storage.idempotency.release(key)
    }

    /// Deletes idempotency records older than the retention; returns how many.
    @discardableResult
    public func purgeIdempotencyRecords() async throws -> Int {
        try await storage.idempotency.purge(createdBefore: now.addingTimeInterval(-Self.idempotencyRetention))
    }
}
