public import FoundationEssentials

/// `audit-trail.json` of an archived contract: every event in order, each with the hash of
/// the one before and its own (`AuditChain`), so a reader can recompute the chain with a few
/// lines of any language (docs/archives.md gives the canonical form).
public struct ArchivedAuditTrail: Sendable, Hashable, Codable {
    /// One event, as archived.
    public struct Event: Sendable, Hashable, Codable {
        /// 1, 2, 3, …
        public var sequence: Int
        /// What happened, e.g. `signer.signed`.
        public var type: String
        /// Who did it.
        public var actor: String
        /// When, to the millisecond.
        public var occurredAt: Date
        /// The client's address.
        public var ip: String?
        /// The client's user agent.
        public var userAgent: String?
        /// Details.
        public var data: [String: String]
        /// SHA-256 (hex) of the previous event (64 zeros for the first).
        public var previousHash: String
        /// SHA-256 (hex) of this event's canonical form.
        public var hash: String

        enum CodingKeys: String, CodingKey {
            case sequence, type, actor, occurredAt = "occurred_at", ip, userAgent = "user_agent", data
            case previousHash = "previous_hash", hash
        }
    }

    /// The file's format, `signet-audit-trail/1`.
    public var format: String
    /// `ctr_…`.
    public var contractID: String
    /// `mer_…`.
    public var merchantID: String
    /// The events in order.
    public var events: [Event]
    /// The chain's head: how many events and the newest one's hash.
    public var head: AuditChainHead

    /// The format this version writes.
    public static let currentFormat = "signet-audit-trail/1"

    /// The archived form of a contract's trail.
    public init(contractID: String, merchantID: String, events: [AuditEvent]) {
        format = Self.currentFormat
        self.contractID = contractID
        self.merchantID = merchantID
        self.events = events.map {
            Event(sequence: $0.sequence, type: $0.type, actor: $0.actor, occurredAt: $0.occurredAt, ip: $0.ip,
                  userAgent: $0.userAgent, data: $0.data, previousHash: $0.previousHash, hash: $0.hash)
        }
        head = AuditChainHead(count: events.count, hash: events.last?.hash ?? AuditChain.genesisHash)
    }

    /// The events as `AuditChain` checks them.
    public var auditEvents: [AuditEvent] {
        events.map {
            AuditEvent(contractID: contractID, merchantID: merchantID, sequence: $0.sequence, type: $0.type, actor: $0.actor,
                       occurredAt: $0.occurredAt, ip: $0.ip, userAgent: $0.userAgent, data: $0.data,
                       previousHash: $0.previousHash, hash: $0.hash)
        }
    }

    /// The first break of the chain, or nil when every event and the head hold.
    public var chainBreak: AuditChain.Break? { AuditChain.verify(auditEvents, head: head) }

    enum CodingKeys: String, CodingKey {
        case format, contractID = "contract_id", merchantID = "merchant_id", events, head
    }
}
