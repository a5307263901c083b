public import FoundationEssentials
public import SignetTemplates

/// `fields.json` of an archived contract: what it was rendered from (template, exact fill,
/// number, issue time and clock offset: enough to re-render the original byte for byte) and
/// what became of it (signers, digests, state, audit chain head).
public struct ArchivedContractRecord: Sendable, Hashable, Codable {
    /// The template version a contract was rendered from.
    public struct Template: Sendable, Hashable, Codable {
        /// Template id, e.g. `merchant-service-agreement`.
        public var id: String
        /// Template version, e.g. `1.0.0`.
        public var version: String
        /// SHA-256 of the version's files (`TemplateDigest`).
        public var digest: String

        /// A template reference.
        public init(id: String, version: String, digest: String) {
            self.id = id
            self.version = version
            self.digest = digest
        }
    }

    /// One party's signature as the service recorded it.
    public struct Signer: Sendable, Hashable, Codable {
        /// `merchant`, `platform`.
        public var role: String
        /// `link`, `platform`, `paper`, …
        public var method: String
        /// The party's name as given when the contract was created.
        public var name: String
        /// `pending`, `signed`, `declined`, …
        public var state: String
        /// When the signature was made.
        public var signedAt: Date?
        /// Serial (hex) of the one-time event certificate, for link signers.
        public var certificateSerial: String?

        /// A signer record.
        public init(role: String, method: String, name: String, state: String, signedAt: Date?, certificateSerial: String?) {
            self.role = role
            self.method = method
            self.name = name
            self.state = state
            self.signedAt = signedAt
            self.certificateSerial = certificateSerial
        }

        enum CodingKeys: String, CodingKey {
            case role, method, name, state, signedAt = "signed_at", certificateSerial = "certificate_serial"
        }
    }

    /// The file's format, `signet-contract/1`.
    public var format: String
    /// `ctr_…`.
    public var contractID: String
    /// `mer_…`.
    public var merchantID: String
    /// The contract number printed on every page.
    public var number: String
    /// The document title.
    public var title: String
    /// The contract's locale (`zh-CN`, `en`, `zh-CN+en`).
    public var locale: String
    /// The template version.
    public var template: Template
    /// The issue time printed on the contract.
    public var issuedAt: Date
    /// The clock (seconds east of UTC) the issue time was printed in.
    public var utcOffsetSeconds: Int
    /// The exact values the original was rendered from (`FieldValues`).
    public var fill: [String: JSONValue]
    /// The canonical values (as the API shows them).
    public var fields: [String: String]
    /// SHA-256 of the original render (`original.pdf`).
    public var originalSHA256: String
    /// SHA-256 of the signed PDF as archived (`signed.pdf`; a later extension of the one
    /// the contract completed with).
    public var signedSHA256: String?
    /// `completed`, …
    public var state: String
    /// When the contract completed.
    public var completedAt: Date?
    /// The signers in signing order.
    public var signers: [Signer]
    /// The number of audit events and the newest one's hash when the record was made.
    public var auditHead: AuditChainHead

    /// The record's members.
    public init(contractID: String, merchantID: String, number: String, title: String, locale: String, template: Template,
                issuedAt: Date, utcOffsetSeconds: Int, fill: [String: JSONValue], fields: [String: String],
                originalSHA256: String, signedSHA256: String?, state: String, completedAt: Date?, signers: [Signer],
                auditHead: AuditChainHead) {
        format = Self.currentFormat
        self.contractID = contractID
        self.merchantID = merchantID
        self.number = number
        self.title = title
        self.locale = locale
        self.template = template
        self.issuedAt = issuedAt
        self.utcOffsetSeconds = utcOffsetSeconds
        self.fill = fill
        self.fields = fields
        self.originalSHA256 = originalSHA256
        self.signedSHA256 = signedSHA256
        self.state = state
        self.completedAt = completedAt
        self.signers = signers
        self.auditHead = auditHead
    }

    /// The format this version writes.
    public static let currentFormat = "signet-contract/1"

    /// The metadata the original was rendered with.
    public var metadata: ContractMetadata {
        ContractMetadata(number: number, issuedAt: issuedAt, utcOffsetSeconds: utcOffsetSeconds)
    }

    enum CodingKeys: String, CodingKey {
        case format, contractID = "contract_id", merchantID = "merchant_id", number, title, locale, template
        case issuedAt = "issued_at", utcOffsetSeconds = "utc_offset_seconds", fill, fields
        case originalSHA256 = "original_sha256", signedSHA256 = "signed_sha256", state, completedAt = "completed_at"
        case signers, auditHead = "audit_head"
    }
}
