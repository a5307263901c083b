/// Why an evidence report cannot be derived from a contract's archived data.
public enum EvidenceError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The audit trail belongs to another contract.
    case trailOfAnotherContract(trail: String, contract: String)
    /// The audit chain is broken.
    case brokenAuditChain(String)
    /// The trail has no `contract.completed` event.
    case notCompleted
    /// No prefix of the signed PDF (ending at a revision end) has the SHA-256 `contract.completed` records.
    case signedPDFMismatch(expected: String)
    /// The report cannot be rendered.
    case render(String)

    /// A plain sentence.
    public var description: String {
        switch self {
        case .trailOfAnotherContract(let trail, let contract):
            "the audit trail is that of contract \(trail), not of \(contract)"
        case .brokenAuditChain(let reason): "the audit chain is broken: \(reason)"
        case .notCompleted: "the audit trail has no contract.completed event"
        case .signedPDFMismatch(let expected):
            "the signed PDF does not begin with the document the contract completed with (SHA-256 \(expected))"
        case .render(let reason): "the evidence report cannot be rendered: \(reason)"
        }
    }
}
