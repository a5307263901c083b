public import FoundationEssentials
import SignetCrypto

/// Which audit events become webhook events, and their bodies: the one mapping, called by the
/// stores inside the transaction that commits a contract change or insert
/// (`ContractRepository.insert`/`apply`) or a paper document (`DocumentRepository.insert`),
/// so an event exists if and only if its change does.
///
/// A body is `{"id","type","created_at","data":{…},"details":{…}}`: `data` is the resource as
/// the API's `GET` returns it after the change, `details` the audit event's data (a role, a
/// reason). `signer.otp_requested` is not mapped: a code goes out only through
/// `WebhookCodeNotifier`.
public enum WebhookOutbox {
    /// The audit event types that are also webhook events.
    public static let mappedAuditTypes: Set<String> = [
        "contract.created", "contract.sent", "contract.viewed", "signer.signed", "signer.declined", "signer.reminder_due",
        "contract.completed", "contract.voided", "contract.expired",
    ]

    /// Every webhook event type.
    public static let eventTypes: [String] = [
        "contract.created", "contract.sent", "contract.viewed", "signer.otp_requested", "signer.signed", "signer.declined",
        "signer.reminder_due", "contract.completed", "contract.voided", "contract.expired", "document.certified", "export.completed",
        "export.failed",
    ]

    /// The webhook events for `audit` events recording a change that leaves `contract` as given.
    public static func events(for audit: [AuditEventDraft], contract: Contract) throws -> [WebhookEvent] {
        try audit.filter { mappedAuditTypes.contains($0.type) }.map { draft in
            try event(type: draft.type, createdAt: draft.occurredAt, data: ContractJSON(contract: contract), details: draft.data)
        }
    }

    /// `document.certified` for a paper document just certified.
    public static func documentCertified(_ document: PaperDocument) throws -> WebhookEvent {
        try event(type: "document.certified", createdAt: document.createdAt, data: PaperDocumentJSON(document: document), details: [:])
    }

    /// `export.completed` or `export.failed` for an export job that just finished, with the
    /// job as `GET /v1/exports/{id}` returns it.
    public static func exportFinished(_ job: ExportJob) throws -> WebhookEvent {
        try event(type: job.state == .succeeded ? "export.completed" : "export.failed", createdAt: job.finishedAt ?? job.updatedAt,
                  data: ExportJobJSON(job: job), details: [:])
    }

    /// An event with a new id and its body.
    static func event(type: String, createdAt: Date, data: some Encodable & Sendable, details: [String: String]) throws -> WebhookEvent {
        let id = ResourceID.make(.webhookEvent)
        return WebhookEvent(id: id, type: type, createdAt: createdAt,
                            payload: try body(id: id, type: type, createdAt: createdAt, data: data, details: details))
    }

    /// The JSON body (sorted keys, unescaped slashes, like the API's responses).
    static func body(id: String, type: String, createdAt: Date, data: some Encodable & Sendable, details: [String: String]) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(Body(id: id, type: type, createdAt: TimeText.iso8601(createdAt, milliseconds: true), data: data, details: details)))
    }

    struct Body<Resource: Encodable & Sendable>: Encodable, Sendable {
        let id: String
        let type: String
        let createdAt: String
        let data: Resource
        let details: [String: String]

        enum CodingKeys: String, CodingKey { case id, type, createdAt = "created_at", data, details }
    }
}
