public import FoundationEssentials
public import SignetArchive
public import SignetPKI

/// Merchants. Implemented by SignetStore (SQLite through GRDB; PostgreSQL later).
public protocol MerchantRepository: Sendable {
    /// Inserts a new merchant. Throws `StoreError.duplicate("merchant.external_id")` when the
    /// external id is taken. With a `claim`, records it as the key's resource in the same
    /// transaction (`StoreError.duplicate("idempotency.resource_id")` when the key names one
    /// already), as `ContractRepository.insert` does.
    func insert(_ merchant: Merchant, claim: IdempotencyKey?) async throws
    /// The merchant with `id`.
    func merchant(id: String) async throws -> Merchant?
    /// The merchant with the integrator's `externalID`.
    func merchant(externalID: String) async throws -> Merchant?
    /// Merchants, newest first (the console's list).
    func merchants(page: PageRequest) async throws -> Page<Merchant>
}

/// Contracts with their signers and audit trails.
public protocol ContractRepository: Sendable {
    /// The next number of `year`'s contract sequence (1, 2, 3…), reserved for good: a
    /// contract whose render fails leaves a gap, never a duplicate.
    func reserveContractNumber(year: Int) async throws -> Int
    /// Inserts a new contract and appends `events` (its first audit events) in one
    /// transaction. Returns it as stored (with `sequence` assigned, version 1).
    ///
    /// With `claim`, the same transaction records the contract as the resource of that
    /// idempotency record (`IdempotencyRepository.resourceID(for:)`), if the record names no
    /// resource yet; when it already names one (another request under the key created it
    /// first), nothing is written and `StoreError.duplicate("idempotency.resource_id")` is thrown.
    func insert(_ contract: Contract, events: [AuditEventDraft], claim: IdempotencyKey?) async throws -> Contract
    /// The contract with `id`.
    func contract(id: String) async throws -> Contract?
    /// The contract one of whose signers holds the link with this token hash (issue 15).
    func contract(linkTokenHash: String) async throws -> Contract?
    /// Contracts matching `query`, newest first.
    func contracts(_ query: ContractQuery) async throws -> Page<Contract>
    /// Commits `change` if the stored version is still the expected one (see `ContractChange`).
    func apply(_ change: ContractChange) async throws -> ContractChangeOutcome
    /// A contract's audit events in sequence order.
    func auditTrail(contractID: String) async throws -> [AuditEvent]
    /// Every audit event of a merchant's contracts, oldest first (by commit order).
    func timeline(merchantID: String, page: PageRequest) async throws -> Page<AuditEvent>
    /// Contracts in `draft`, `sent` or `viewed` whose `expiresAt` is before `date`.
    func contractsExpired(before date: Date, limit: Int) async throws -> [Contract]
    /// Contracts in state `signed` (their countersignature is due), oldest first.
    func contractsAwaitingCountersignature(limit: Int) async throws -> [Contract]
    /// How many contracts are in each state (for metrics).
    func countByState() async throws -> [ContractState: Int]
    /// Completed contracts without an evidence report yet, oldest first.
    func contractsAwaitingEvidence(limit: Int) async throws -> [Contract]
    /// `completed` contracts whose newest timestamp expires (`timestampExpiresAt`) at or
    /// before `date`, soonest first: the ones long-term renewal is due for.
    func contractsDueForRenewal(expiringBy date: Date, limit: Int) async throws -> [Contract]
    /// `completed` contracts with a signed PDF whose `timestampExpiresAt` is not known yet
    /// (completed before it was recorded), oldest first.
    func contractsWithoutTimestampExpiry(limit: Int) async throws -> [Contract]
    /// Records `expiresAt` as the contract's `timestampExpiresAt` if its signed PDF is still
    /// `signedSHA256` (derived data: no version change, no audit event). False when it changed.
    func recordTimestampExpiry(contractID: String, signedSHA256: String, expiresAt: Date) async throws -> Bool
}

extension ContractRepository {
    /// Inserts a new contract with no idempotency claim.
    public func insert(_ contract: Contract, events: [AuditEventDraft]) async throws -> Contract {
        try await insert(contract, events: events, claim: nil)
    }
}

/// Certified copies of paper contracts.
public protocol DocumentRepository: Sendable {
    /// Inserts a document; with a `claim`, records it as the key's resource in the same
    /// transaction (`StoreError.duplicate("idempotency.resource_id")` when the key names one
    /// already), as `ContractRepository.insert` does.
    func insert(_ document: PaperDocument, claim: IdempotencyKey?) async throws -> PaperDocument
    /// The document with `id`.
    func document(id: String) async throws -> PaperDocument?
    /// A merchant's documents, newest first.
    func documents(merchantID: String, page: PageRequest) async throws -> Page<PaperDocument>
}

extension MerchantRepository {
    /// Inserts a new merchant with no idempotency claim.
    public func insert(_ merchant: Merchant) async throws {
        try await insert(merchant, claim: nil)
    }
}

extension DocumentRepository {
    /// Inserts a document with no idempotency claim.
    public func insert(_ document: PaperDocument) async throws -> PaperDocument {
        try await insert(document, claim: nil)
    }
}

/// API keys, stored as SHA-256 hashes.
public protocol APIKeyRepository: Sendable {
    /// Inserts a key record.
    func insert(_ key: APIKeyRecord) async throws
    /// The key whose secret hashes to `hash` (revoked or not).
    func key(hash: String) async throws -> APIKeyRecord?
    /// Every key, newest first.
    func keys() async throws -> [APIKeyRecord]
    /// Marks a key revoked; false when there is no such key or it was revoked already.
    func revoke(id: String, at date: Date) async throws -> Bool
}

/// Idempotency records (draft-ietf-httpapi-idempotency-key-header).
public protocol IdempotencyRepository: Sendable {
    /// Starts a request under `key`: a new record (locked until `lockedUntil`), or what is
    /// stored for it. A record whose lock lapsed without a response (a crashed request) is
    /// taken over.
    func begin(_ key: IdempotencyKey, requestHash: String, now: Date, lockedUntil: Date) async throws -> IdempotencyStart
    /// Stores the response of a started request.
    func complete(_ key: IdempotencyKey, response: StoredResponse, at date: Date) async throws
    /// Forgets a started request that produced no response to replay (e.g. a 5xx). A record
    /// that names a resource (`resourceID(for:)`: the request committed it before failing) is
    /// kept, with its lock lifted, so a retry takes it over and finds the resource.
    func release(_ key: IdempotencyKey) async throws
    /// The resource a request under `key` created (recorded with it by the creating
    /// transaction), or nil.
    func resourceID(for key: IdempotencyKey) async throws -> String?
    /// Deletes records created before `date`; returns how many.
    func purge(createdBefore date: Date) async throws -> Int
}

/// Content-addressed storage of PDFs (and other blobs): the SHA-256 is the address.
public protocol BlobStore: Sendable {
    /// Stores `bytes` durably before returning (temp file, fsync, rename, fsync directory),
    /// so a commit that references the returned digest never points at nothing.
    func put(_ bytes: [UInt8]) async throws -> StoredDocument
    /// The bytes stored under `sha256`; `StoreError.missing` when absent,
    /// `StoreError.corrupt` when they no longer hash to it.
    func get(_ sha256: String) async throws -> [UInt8]
    /// Whether a blob with this digest exists.
    func contains(_ sha256: String) async throws -> Bool
}

/// Everything the service stores, as one value to hand to `SignetService`.
public struct ServiceStorage: Sendable {
    /// Merchants.
    public var merchants: any MerchantRepository
    /// Contracts, signers, audit trails.
    public var contracts: any ContractRepository
    /// Paper documents.
    public var documents: any DocumentRepository
    /// API keys.
    public var apiKeys: any APIKeyRepository
    /// Idempotency records.
    public var idempotency: any IdempotencyRepository
    /// PDFs.
    public var blobs: any BlobStore
    /// Throws when the database cannot answer (readiness).
    public var checkHealth: @Sendable () async throws -> Void
    /// Signer authentication: challenges, sessions, rate limits, embedded links.
    public var signerAccess: any SignerAccessRepository
    /// Webhook endpoints, outbox and deliveries.
    public var webhooks: any WebhookRepository
    /// The operator console: sessions and aggregates.
    public var console: any ConsoleRepository
    /// Export jobs and the contracts they select.
    public var exports: any ExportRepository
    /// The issuing CAs' records of issued and revoked certificates, and CRL numbers.
    public var certificateRegistries: any CertificateRegistryStore
    /// The built-in TSA's serial numbers (blocks shared by every instance).
    public var timeStampSerials: any TimeStampSerialSource

    /// A storage bundle.
    public init(merchants: any MerchantRepository, contracts: any ContractRepository, documents: any DocumentRepository,
                apiKeys: any APIKeyRepository, idempotency: any IdempotencyRepository, blobs: any BlobStore,
                checkHealth: @escaping @Sendable () async throws -> Void, signerAccess: any SignerAccessRepository,
                webhooks: any WebhookRepository, console: any ConsoleRepository, exports: any ExportRepository,
                certificateRegistries: any CertificateRegistryStore, timeStampSerials: any TimeStampSerialSource) {
        self.merchants = merchants
        self.contracts = contracts
        self.documents = documents
        self.apiKeys = apiKeys
        self.idempotency = idempotency
        self.blobs = blobs
        self.checkHealth = checkHealth
        self.signerAccess = signerAccess
        self.webhooks = webhooks
        self.console = console
        self.exports = exports
        self.certificateRegistries = certificateRegistries
        self.timeStampSerials = timeStampSerials
    }
}
