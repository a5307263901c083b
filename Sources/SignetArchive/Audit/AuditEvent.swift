public import FoundationEssentials

/// One entry of a contract's audit trail: append-only, hash-chained (each event stores the
/// SHA-256 of the previous one, so a missing, reordered or edited event is detectable).
public struct AuditEvent: Sendable, Hashable, Codable {
    /// The contract the event belongs to.
    public var contractID: String
    /// The merchant of that contract (the merchant's timeline lists its contracts' events).
    public var merchantID: String
    /// 1, 2, 3, … within the contract.
    public var sequence: Int
    /// What happened, e.g. `contract.created`, `signer.signed`.
    public var type: String
    /// Who did it: `api_key:key_…`, `signer:merchant`, `system`.
    public var actor: String
    /// When, to the millisecond.
    public var occurredAt: Date
    /// The client's address, when a request caused it.
    public var ip: String?
    /// The client's user agent, when a request caused it.
    public var userAgent: String?
    /// Details (document digests before and after, reasons, certificate serials, …).
    public var data: [String: String]
    /// SHA-256 (hex) of the previous event; 64 zeros for the first.
    public var previousHash: String
    /// SHA-256 (hex) of this event's canonical form (`AuditChain.canonicalForm`).
    public var hash: String

    /// An event with every member given (stores read them back this way).
    public init(contractID: String, merchantID: String, sequence: Int, type: String, actor: String, occurredAt: Date,
                ip: String?, userAgent: String?, data: [String: String], previousHash: String, hash: String) {
        self.contractID = contractID
        self.merchantID = merchantID
        self.sequence = sequence
        self.type = type
        self.actor = actor
        self.occurredAt = occurredAt
        self.ip = ip
        self.userAgent = userAgent
        self.data = data
        self.previousHash = previousHash
        self.hash = hash
    }
}
