public import FoundationEssentials
import SignetCrypto

extension SignetService {
    /// How long idempotency records are kept (at least 24 h, as the draft asks).
    public static let idempotencyRetention: TimeInterval = 24 * 3600

    /// Starts a POST under an `Idempotency-Key`: `started` (run it, then `finishIdempotent` or
    /// `abandonIdempotent`), or the stored response to replay. A different request under the
    /// same key → `idempotencyKeyReused`; the first still running → `idempotencyKeyInUse`.
    /// The request hash covers method, path and body.
    public func beginIdempotent(_ key: IdempotencyKey, method: String, path: String, body: [UInt8]) async throws -> StoredResponse? {
        let hash = DigestAlgorithm.sha256.hash(Array("\(method) \(path)\n".utf8) + body).hexString
        let now = self.now
        switch try await storage.idempotency.begin(key, requestHash: hash, now: now, lockedUntil: now.addingTimeInterval(configuration.idempotencyLock)) {
        case .started: return nil
        case .replay(var response):
            // Stored sealed (`finishIdempotent`): the key's scope and name are the associated data.
            do {
                response.body = try AESGCM.open(response.body, key: configuration.responseSealingKey, associatedData: Self.sealingContext(key))
            } catch {
                throw ServiceError.internalFailure("a stored idempotent response does not open (was the sealing key replaced?)")
            }
            return response
        case .inProgress: throw ServiceError.idempotencyKeyInUse
        case .mismatch: throw ServiceError.idempotencyKeyReused
        }
    }

    /// Stores the response of a started request for replay, its body sealed with AES-256-GCM
    /// (`ServiceConfiguration.responseSealingKey`): a response can hold a signing link, and
    /// link tokens are never stored in the clear.
    public func finishIdempotent(_ key: IdempotencyKey, response: StoredResponse) async throws {
        var sealed = response
        sealed.body = try AESGCM.seal(response.body, key: configuration.responseSealingKey, associatedData: Self.sealingContext(key))
        try await storage.idempotency.complete(key, response: sealed, at: now)
    }

    /// What a sealed response is bound to: its API key scope and idempotency key.
    static func sealingContext(_ key: IdempotencyKey) -> [UInt8] { Array("\(key.scope)\u{0}\(key.key)".utf8) }

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
