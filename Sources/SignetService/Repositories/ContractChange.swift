/// A change to a contract, committed atomically by `ContractRepository.apply`: the new
/// value of the contract (with its signers) replaces the stored one only if the stored
/// version is still `expectedVersion` (compare-and-swap, the guard of every state change),
/// and the audit events are appended to its chain in the same transaction.
public struct ContractChange: Sendable {
    /// The contract as it must be after the change (its `version` is ignored: the store
    /// writes `expectedVersion + 1`).
    public var contract: Contract
    /// The version the change was computed from.
    public var expectedVersion: Int
    /// Events recording the change, in order.
    public var events: [AuditEventDraft]

    /// A change from `expectedVersion` to `contract`, recorded by `events`.
    public init(contract: Contract, expectedVersion: Int, events: [AuditEventDraft]) {
        self.contract = contract
        self.expectedVersion = expectedVersion
        self.events = events
    }
}

/// What `apply` did.
public enum ContractChangeOutcome: Sendable {
    /// Committed; the contract as stored now (version incremented).
    case committed(Contract)
    /// Not committed: the stored version is no longer the expected one (someone else
    /// changed it first), or the contract is gone (nil). Nothing was written.
    case stale(current: Contract?)
}
