public import FoundationEssentials
import SignetCrypto
public import SignetArchive

/// A new API key: the secret, shown once, and its stored record.
public struct NewAPIKey: Sendable {
    /// `sk_` + 43 base64url characters (256 random bits). Never stored.
    public var secret: String
    /// What is stored.
    public var record: APIKeyRecord
}

extension SignetService {
    /// API keys of this service's storage.
    public var apiKeyRegistry: APIKeyRegistry { APIKeyRegistry(repository: storage.apiKeys, clock: clock) }

    /// Creates an API key named `name`; the secret is in the result only.
    public func createAPIKey(name: String) async throws -> NewAPIKey { try await apiKeyRegistry.create(name: name) }

    /// The valid key whose secret is `presented`, or nil (`APIKeyRegistry.authenticate`).
    public func authenticate(apiKey presented: String) async throws -> APIKeyRecord? {
        try await apiKeyRegistry.authenticate(presented)
    }
}

/// Creating, checking, listing and revoking API keys (also used by `signet apikeys`, which
/// needs no PKI): keys are `sk_` + 256 random bits, stored as SHA-256.
public struct APIKeyRegistry: Sendable {
    /// Where the hashes are.
    public let repository: any APIKeyRepository
    /// The clock.
    public let clock: @Sendable () -> Date

    /// A registry over `repository`.
    public init(repository: any APIKeyRepository, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.repository = repository
        self.clock = clock
    }

    private var now: Date { AuditChain.millisecondPrecision(clock()) }

    /// Creates an API key named `name`; the secret is in the result only.
    public func create(name: String) async throws -> NewAPIKey {
        let name = name.trimmingWhitespace()
        let issues = TextRule(field: "name", length: 1...80).check(name)
        guard issues.isEmpty else { throw ServiceError.validationFailed(issues) }
        let secret = "sk_" + Base32.base64URL(SecureRandom.bytes(32))
        let record = APIKeyRecord(id: ResourceID.make(.apiKey), name: name, prefix: String(secret.prefix(7)),
                                  hash: Self.apiKeyHash(secret), createdAt: now)
        try await repository.insert(record)
        return NewAPIKey(secret: secret, record: record)
    }

    /// The valid (unrevoked) key whose secret is `presented`, or nil. The lookup is by
    /// SHA-256 of the secret (an index, no timing signal about the secret), then the stored
    /// hash is compared in constant time.
    public func authenticate(_ presented: String) async throws -> APIKeyRecord? {
        guard presented.hasPrefix("sk_"), presented.utf8.count <= 128 else { return nil }
        let hash = Self.apiKeyHash(presented)
        guard let record = try await repository.key(hash: hash), record.revokedAt == nil,
              ConstantTime.equal(Array(record.hash.utf8), Array(hash.utf8)) else { return nil }
        return record
    }

    /// Every key, newest first.
    public func list() async throws -> [APIKeyRecord] { try await repository.keys() }

    /// Revokes a key; false when no unrevoked key has this id.
    public func revoke(id: String) async throws -> Bool { try await repository.revoke(id: id, at: now) }

    /// The stored form of an API key.
    static func apiKeyHash(_ secret: String) -> String { DigestAlgorithm.sha256.hash(Array(secret.utf8)).hexString }
}

/// Comparison whose time does not depend on where two byte strings differ.
public enum ConstantTime {
    /// Whether `a == b`, looking at every byte.
    public static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
