public import FoundationEssentials
public import SignetArchive

/// An event to append: the store gives it its sequence and hashes inside the transaction
/// that commits the state change it records (`AuditChain.append`).
public struct AuditEventDraft: Sendable, Hashable {
    /// What happened.
    public var type: String
    /// Who did it.
    public var actor: String
    /// When.
    public var occurredAt: Date
    /// Details.
    public var data: [String: String]
    /// Where the request came from.
    public var origin: RequestOrigin?

    /// A draft event.
    public init(type: String, actor: String, occurredAt: Date, data: [String: String] = [:], origin: RequestOrigin? = nil) {
        self.type = type
        self.actor = actor
        self.occurredAt = AuditChain.millisecondPrecision(occurredAt)
        self.data = data
        self.origin = origin
    }
}

/// Who asked for a change and from where: the audit trail's "who, from where".
public struct RequestOrigin: Sendable, Hashable {
    /// `api_key:key_…`, `signer:merchant`, `system`, `operator`.
    public var actor: String
    /// Client address.
    public var ip: String?
    /// Client user agent.
    public var userAgent: String?

    /// An origin with the given members.
    public init(actor: String, ip: String? = nil, userAgent: String? = nil) {
        self.actor = actor
        self.ip = ip
        self.userAgent = userAgent
    }

    /// Background work of the service itself.
    public static let system = RequestOrigin(actor: "system")
}

extension AuditChain {
    /// `draft` as the event after `previous` (nil: the first) of `contractID`.
    public static func append(_ draft: AuditEventDraft, contractID: String, merchantID: String, after previous: AuditEvent?) -> AuditEvent {
        var event = AuditEvent(
            contractID: contractID, merchantID: merchantID, sequence: (previous?.sequence ?? 0) + 1, type: draft.type,
            actor: draft.origin?.actor ?? draft.actor, occurredAt: draft.occurredAt, ip: draft.origin?.ip,
            userAgent: draft.origin?.userAgent, data: draft.data, previousHash: previous?.hash ?? genesisHash, hash: "")
        event.hash = hash(of: event)
        return event
    }
}
