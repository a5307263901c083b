import FoundationEssentials
import SignetService
import SignetArchive

/// The journey's database and blob time: the service's storage with every repository call
/// the journey makes timed (wall clock, from the call to its return: SQL, GRDB's queue and
/// the WAL fsync of `synchronous=FULL` commits) under `database`, and every blob store call
/// (temp file, fsync, rename, fsync directory; reads) under `blobs`. The documents and
/// idempotency repositories, which the journey does not use, are passed through.
enum TimedStorage {
    static func wrap(_ storage: ServiceStorage, into times: OperationTimes) -> ServiceStorage {
        let database = Timer(times: times, name: "database")
        var timed = storage
        timed.merchants = TimedMerchants(base: storage.merchants, timer: database)
        timed.contracts = TimedContracts(base: storage.contracts, timer: database)
        timed.apiKeys = TimedAPIKeys(base: storage.apiKeys, timer: database)
        timed.blobs = TimedBlobs(base: storage.blobs, timer: Timer(times: times, name: "blobs"))
        return timed
    }

    /// Times a call under one name.
    struct Timer: Sendable {
        let times: OperationTimes
        let name: String

        func run<T>(_ body: () async throws -> T) async rethrows -> T {
            let start = ContinuousClock.now
            defer { times.record(name, since: start) }
            return try await body()
        }
    }
}

private struct TimedMerchants: MerchantRepository {
    let base: any MerchantRepository
    let timer: TimedStorage.Timer

    func insert(_ merchant: Merchant, claim: IdempotencyKey?) async throws { try await timer.run { try await base.insert(merchant, claim: claim) } }
    func merchant(id: String) async throws -> Merchant? { try await timer.run { try await base.merchant(id: id) } }
    func merchant(externalID: String) async throws -> Merchant? { try await timer.run { try await base.merchant(externalID: externalID) } }
    func merchants(page: PageRequest) async throws -> Page<Merchant> { try await timer.run { try await base.merchants(page: page) } }
}

private struct TimedContracts: ContractRepository {
    let base: any ContractRepository
    let timer: TimedStorage.Timer

    func reserveContractNumber(year: Int) async throws -> Int {
        try await timer.run { try await base.reserveContractNumber(year: year) }
    }
    func insert(_ contract: Contract, events: [AuditEventDraft], claim: IdempotencyKey?) async throws -> Contract {
        try await timer.run { try await base.insert(contract, events: events, claim: claim) }
    }
    func contract(id: String) async throws -> Contract? { try await timer.run { try await base.contract(id: id) } }
    func contract(linkTokenHash: String) async throws -> Contract? {
        try await timer.run { try await base.contract(linkTokenHash: linkTokenHash) }
    }
    func contracts(_ query: ContractQuery) async throws -> Page<Contract> { try await timer.run { try await base.contracts(query) } }
    func apply(_ change: ContractChange) async throws -> ContractChangeOutcome { try await timer.run { try await base.apply(change) } }
    func auditTrail(contractID: String) async throws -> [AuditEvent] {
        try await timer.run { try await base.auditTrail(contractID: contractID) }
    }
    func timeline(merchantID: String, page: PageRequest) async throws -> Page<AuditEvent> {
        try await timer.run { try await base.timeline(merchantID: merchantID, page: page) }
    }
    func contractsExpired(before date: Date, limit: Int) async throws -> [Contract] {
        try await timer.run { try await base.contractsExpired(before: date, limit: limit) }
    }
    func contractsAwaitingCountersignature(limit: Int) async throws -> [Contract] {
        try await timer.run { try await base.contractsAwaitingCountersignature(limit: limit) }
    }
    func countByState() async throws -> [ContractState: Int] { try await timer.run { try await base.countByState() } }
    func contractsAwaitingEvidence(limit: Int) async throws -> [Contract] {
        try await timer.run { try await base.contractsAwaitingEvidence(limit: limit) }
    }
    func contractsDueForRenewal(expiringBy date: Date, limit: Int) async throws -> [Contract] {
        try await timer.run { try await base.contractsDueForRenewal(expiringBy: date, limit: limit) }
    }
    func contractsWithoutTimestampExpiry(limit: Int) async throws -> [Contract] {
        try await timer.run { try await base.contractsWithoutTimestampExpiry(limit: limit) }
    }
    func recordTimestampExpiry(contractID: String, signedSHA256: String, expiresAt: Date) async throws -> Bool {
        try await timer.run { try await base.recordTimestampExpiry(contractID: contractID, signedSHA256: signedSHA256, expiresAt: expiresAt) }
    }
}

private struct TimedAPIKeys: APIKeyRepository {
    let base: any APIKeyRepository
    let timer: TimedStorage.Timer

    func insert(_ key: APIKeyRecord) async throws { try await timer.run { try await base.insert(key) } }
    func key(hash: String) async throws -> APIKeyRecord? { try await timer.run { try await base.key(hash: hash) } }
    func keys() async throws -> [APIKeyRecord] { try await timer.run { try await base.keys() } }
    func revoke(id: String, at date: Date) async throws -> Bool { try await timer.run { try await base.revoke(id: id, at: date) } }
}

private struct TimedBlobs: BlobStore {
    let base: any BlobStore
    let timer: TimedStorage.Timer

    func put(_ bytes: [UInt8]) async throws -> StoredDocument { try await timer.run { try await base.put(bytes) } }
    func get(_ sha256: String) async throws -> [UInt8] { try await timer.run { try await base.get(sha256) } }
    func contains(_ sha256: String) async throws -> Bool { try await timer.run { try await base.contains(sha256) } }
}
