public import FoundationEssentials

/// What the invariant checker (`ConsistencyChecker`, `signet check`) reads beside the
/// repositories: rows as stored (even those the repositories would refuse to decode), every
/// outbox event's subject, and the blob store's inventory, each page by page; and the one
/// write it may make, deleting an orphaned blob. Implemented by SignetStore on both backends.
public protocol StoreInventory: Sendable {
    /// Contracts in storage order (oldest first): id and state exactly as stored, after the
    /// ordering key `after`, at most `limit` (1…1000).
    func contractRows(after: Int64?, limit: Int) async throws -> Page<StoredContractRow>
    /// Paper documents of every merchant in storage order (oldest first).
    func documents(after: Int64?, limit: Int) async throws -> Page<PaperDocument>
    /// The outbox's unsealed events in storage order (oldest first): type and the id of the
    /// resource the event's `data` is (a contract's or a document's).
    func outboxEntries(after: Int64?, limit: Int) async throws -> Page<OutboxEntry>
    /// Stored blobs in digest order, those whose digest sorts after `after`, at most `limit`.
    func blobs(after: String?, limit: Int) async throws -> [StoredBlob]
    /// Deletes the blob `sha256` if it was stored (or last stored again) before
    /// `storedBefore` and no contract, document or audit event names it: checked in the
    /// store, against the rows as they are when it deletes. Returns whether it deleted.
    func deleteOrphanedBlob(_ sha256: String, storedBefore: Date) async throws -> Bool
}

/// A contract row as stored: its state is text, which may name no `ContractState`.
public struct StoredContractRow: Sendable, Hashable {
    /// The ordering key (`Contract.sequence`).
    public var sequence: Int64
    /// `ctr_…`.
    public var id: String
    /// The `state` column.
    public var state: String

    /// A row with the given members.
    public init(sequence: Int64, id: String, state: String) {
        self.sequence = sequence
        self.id = id
        self.state = state
    }
}

/// One outbox event, reduced to what the checker matches against the audit trails.
public struct OutboxEntry: Sendable, Hashable {
    /// `contract.completed`, `document.certified`, …
    public var type: String
    /// The payload's `data.id` (nil when the payload has none).
    public var subjectID: String?

    /// An entry with the given members.
    public init(type: String, subjectID: String?) {
        self.type = type
        self.subjectID = subjectID
    }
}

/// A blob as the blob store holds it.
public struct StoredBlob: Sendable, Hashable {
    /// Its address (SHA-256, lower-case hex).
    public var sha256: String
    /// Its size in bytes.
    public var size: Int
    /// When it was stored, or last stored again (a put of bytes already there renews it).
    public var storedAt: Date

    /// A blob record with the given members.
    public init(sha256: String, size: Int, storedAt: Date) {
        self.sha256 = sha256
        self.size = size
        self.storedAt = storedAt
    }
}
