public import FoundationEssentials
public import SignetTemplates

/// Everything an evidence report (出证报告, certificate of completion) prints, derived from a
/// completed contract's archived data by `EvidenceReport.record(contract:auditTrail:signedPDF:)`.
/// The record alone decides the report's bytes (`EvidenceReport.render`).
public struct EvidenceRecord: Sendable, Codable, Hashable {
    /// A signer and how they were authenticated, from its `signer.signed` event.
    public struct Signer: Sendable, Codable, Hashable {
        /// `merchant`, `platform`, …
        public var role: String
        /// The party's name on the contract.
        public var name: String
        /// `link`, `platform`, …
        public var method: String
        /// How the signer was authenticated (`sms_code`, `platform_seal`, …).
        public var authentication: String
        /// Who the audit trail names as the actor.
        public var actor: String
        /// When the signature was recorded.
        public var signedAt: Date
        /// The client's address, when a request caused it.
        public var ip: String?
        /// The client's user agent, when a request caused it.
        public var userAgent: String?
        /// The signing certificate's subject as the event records it.
        public var certificateSubject: String?
        /// The event certificate's serial (hex), for link signers.
        public var certificateSerial: String?
        /// `PAdES-B-T`, `PAdES-B-LTA`.
        public var signatureLevel: String?
        /// The consent the signer gave, when recorded.
        public var consent: String?
        /// The SHA-256 of the document the signer was shown, when recorded.
        public var documentSHA256Shown: String?
    }

    /// One audit event up to `contract.completed`.
    public struct Event: Sendable, Codable, Hashable {
        /// 1, 2, 3, …
        public var sequence: Int
        /// When.
        public var occurredAt: Date
        /// What happened.
        public var type: String
        /// Who did it.
        public var actor: String
        /// The client's address.
        public var ip: String?
        /// The client's user agent.
        public var userAgent: String?
        /// The event's hash in the chain.
        public var hash: String
    }

    /// One signature (or document timestamp) of the signed PDF the contract completed with.
    public struct Signature: Sendable, Codable, Hashable {
        /// 1-based, in the order of the revisions they sign.
        public var index: Int
        /// `signature` or `document-timestamp`.
        public var kind: String
        /// The signature field's name.
        public var fieldName: String?
        /// The signing certificate's subject.
        public var subject: String
        /// Its serial number (upper-case hex).
        public var serialNumber: String
        /// SHA-256 of its DER (lower-case hex).
        public var sha256: String
        /// Its issuer.
        public var issuer: String
        /// The time of the signature's timestamp (or of the document timestamp).
        public var timestampTime: Date?
        /// The subject of the TSA certificate that made that timestamp.
        public var timestampAuthority: String?
    }

    /// The record's format, `signet-evidence/1`.
    public var format: String
    /// `ctr_…`.
    public var contractID: String
    /// `mer_…`.
    public var merchantID: String
    /// The contract number.
    public var number: String
    /// The contract's title.
    public var title: String
    /// The contract's locale (`zh-CN`, `en`, `zh-CN+en`): the report's language.
    public var locale: String
    /// The template version and its digest.
    public var template: ArchivedContractRecord.Template
    /// The contract's issue time.
    public var issuedAt: Date
    /// When the contract completed (the `contract.completed` event): the report's issue time.
    public var completedAt: Date
    /// The clock (seconds east of UTC) times are printed in.
    public var utcOffsetSeconds: Int
    /// SHA-256 of the original render.
    public var originalSHA256: String
    /// SHA-256 of the signed PDF the contract completed with.
    public var signedSHA256: String
    /// The signers, in the order they signed.
    public var signers: [Signer]
    /// The signatures of that signed PDF.
    public var signatures: [Signature]
    /// Every audit event up to and including `contract.completed`.
    public var events: [Event]
    /// The chain's head at `contract.completed`: the number of events and the last hash.
    public var auditHead: AuditChainHead

    /// The format this version writes.
    public static let currentFormat = "signet-evidence/1"

    /// The metadata the report is rendered with: the contract number with `-EV`, issued at
    /// completion (to the second) in the contract's clock.
    public var reportMetadata: ContractMetadata {
        ContractMetadata(number: number + "-EV",
                         issuedAt: Date(timeIntervalSince1970: completedAt.timeIntervalSince1970.rounded(.down)),
                         utcOffsetSeconds: utcOffsetSeconds)
    }
}
