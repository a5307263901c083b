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

    /// Creates a resource at most once under `key` (a started `beginIdempotent` request).
    /// `create(claim)` must record the new resource as the claim's in the transaction that
    /// creates it (the repositories' `insert(_:claim:)`), so a retry that takes the key over
    /// after a crash (the first request committed, its response was never stored) or after a
    /// 5xx that followed the commit gets `earlier(id)`, the resource the key created, instead
    /// of a second one. Without a key: `create(nil)`. When two requests under one key race (a
    /// lapsed lock taken over while the first still runs), the loser's blobs stay orphans for
    /// `signet check --gc-orphans`.
    func createOnce<Resource>(under key: IdempotencyKey?, earlier: (String) async throws -> Resource,
                              create: (IdempotencyKey?) async throws -> Resource) async throws -> Resource {
        guard let key else { return try await create(nil) }
        if let id = try await storage.idempotency.resourceID(for: key) { return try await earlier(id) }
        do {
            return try await create(key)
        } catch StoreError.duplicate("idempotency.resource_id") {
            guard let id = try await storage.idempotency.resourceID(for: key) else { throw ServiceError.idempotencyKeyInUse }
            return try await earlier(id)
        }
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
