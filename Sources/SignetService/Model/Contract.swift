public import FoundationEssentials
public import SignetTemplates
public import SignetArchive

/// A contract: a filled template, rendered once, signed by its signers in order.
public struct Contract: Sendable, Hashable, Codable {
    /// `ctr_…`.
    public var id: String
    /// The readable number printed in the PDF, e.g. `SN-2026-000123` (unique).
    public var number: String
    /// The merchant it is with.
    public var merchantID: String
    /// Lifecycle state.
    public var state: ContractState
    /// The template it was made from.
    public var template: TemplateReference
    /// The template's title in its language.
    public var title: String
    /// The template's locale (`zh-CN`, `en`).
    public var locale: String
    /// The filled fields, as validated: canonical values (`CNY 50000.00`, `0.6`), which the
    /// PDF may print otherwise (`0.60%`, a phone number with its spaces), so they are not
    /// enough to render the original again; `fill` is.
    public var fields: [String: String]
    /// The values the original was rendered from, as the request gave them (after the
    /// merchant's record filled its party fields): with the template version, `number` and
    /// `issuedAt`, the render input that gives the original's bytes again (page images are
    /// drawn from it). Nil for contracts stored before the `v4-render-fill` migration.
    public var fill: [String: JSONValue]?
    /// The integrator's own key/value pairs.
    public var metadata: [String: String]
    /// The signers, in signing order.
    public var signers: [Signer]
    /// Where each role signs in `original` (page and rectangle), from the render.
    public var signatureBoxes: [SignatureBox]
    /// The rendered, unsigned PDF.
    public var original: StoredDocument
    /// The newest signed PDF (after the merchant's signature B-T, then the platform's B-LTA).
    public var signed: StoredDocument?
    /// The sealed evidence report (出证报告), made after completion (`v5-evidence`).
    public var evidence: StoredDocument?
    /// The issue time printed in the contract (render input).
    public var issuedAt: Date
    /// When links stop working and an unsigned contract expires.
    public var expiresAt: Date
    /// When it was created.
    public var createdAt: Date
    /// When it last changed.
    public var updatedAt: Date
    /// When it was sent.
    public var sentAt: Date?
    /// When it was countersigned.
    public var completedAt: Date?
    /// When the newest timestamp in `signed` stops proving anything: its TSA certificate's
    /// end. Long-term renewal (`renewDueContracts`) extends the PDF well before then. Set at
    /// completion and after each renewal; nil before completion, or while not yet known (a
    /// contract completed before the `v5-renewal` migration, filled in by the next renewal round).
    public var timestampExpiresAt: Date?
    /// When it was voided, and why.
    public var voidedAt: Date?
    /// The integrator's reason for voiding.
    public var voidReason: String?
    /// When a signer declined, and why (issue 15's page).
    public var declinedAt: Date?
    /// The signer's reason for declining.
    public var declineReason: String?
    /// How many audit events the contract has and the newest one's hash, as the store recorded
    /// them with the last commit (so deleting the newest events is detectable too). Kept by
    /// the store, never written by the service.
    public var auditHead: AuditChainHead
    /// Optimistic-concurrency version: every committed change increments it, and a change
    /// commits only against the version it was computed from.
    public var version: Int
    /// Ordering key for lists (assigned by the store on insert; 0 before).
    public var sequence: Int64

    /// The signer playing `role`.
    public func signer(_ role: PartyRole) -> Signer? { signers.first { $0.role == role } }

    /// The index of the signer playing `role`.
    public func signerIndex(_ role: PartyRole) -> Int? { signers.firstIndex { $0.role == role } }

    /// A contract with every member given.
    public init(id: String, number: String, merchantID: String, state: ContractState, template: TemplateReference,
                title: String, locale: String, fields: [String: String], metadata: [String: String], signers: [Signer],
                signatureBoxes: [SignatureBox] = [], original: StoredDocument, signed: StoredDocument? = nil, evidence: StoredDocument? = nil, issuedAt: Date, expiresAt: Date, createdAt: Date,
                updatedAt: Date, sentAt: Date? = nil, completedAt: Date? = nil, voidedAt: Date? = nil, voidReason: String? = nil,
                declinedAt: Date? = nil, declineReason: String? = nil, auditHead: AuditChainHead = AuditChainHead(),
                version: Int = 1, sequence: Int64 = 0, fill: [String: JSONValue]? = nil, timestampExpiresAt: Date? = nil) {
        self.id = id
        self.number = number
        self.merchantID = merchantID
        self.state = state
        self.template = template
        self.title = title
        self.locale = locale
        self.fields = fields
        self.fill = fill
        self.metadata = metadata
        self.signers = signers
        self.signatureBoxes = signatureBoxes
        self.original = original
        self.signed = signed
        self.evidence = evidence
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.sentAt = sentAt
        self.completedAt = completedAt
        self.timestampExpiresAt = timestampExpiresAt
        self.voidedAt = voidedAt
        self.voidReason = voidReason
        self.declinedAt = declinedAt
        self.declineReason = declineReason
        self.auditHead = auditHead
        self.version = version
        self.sequence = sequence
    }
}

/// Which template, exactly, a contract was made from.
public struct TemplateReference: Sendable, Hashable, Codable {
    /// The template id, e.g. `merchant-service-agreement`.
    public var id: String
    /// Its version, e.g. `1.0.0`.
    public var version: String
    /// SHA-256 (hex) of the template's files.
    public var digest: String

    /// A reference with the given members.
    public init(id: String, version: String, digest: String) {
        self.id = id
        self.version = version
        self.digest = digest
    }
}

/// A PDF in the blob store: its SHA-256 is its address.
public struct StoredDocument: Sendable, Hashable, Codable {
    /// SHA-256 (lower-case hex) of the bytes.
    public var sha256: String
    /// Size in bytes.
    public var size: Int
    /// Pages, when known.
    public var pageCount: Int?

    /// A document record with the given members.
    public init(sha256: String, size: Int, pageCount: Int? = nil) {
        self.sha256 = sha256
        self.size = size
        self.pageCount = pageCount
    }
}

/// One signer of a contract.
public struct Signer: Sendable, Hashable, Codable {
    /// The template role (`merchant`, `platform`, …).
    public var role: PartyRole
    /// Link signers sign through a link; the platform signs automatically.
    public var method: SigningMethod
    /// The person (or, for the platform, the company).
    public var name: String
    /// Where one-time codes go (issue 15).
    public var phone: String?
    /// The signer's e-mail address.
    public var email: String?
    /// Where the signer is.
    public var state: SignerState
    /// SHA-256 (hex) of the current signing link's token; the token itself is never stored.
    public var linkTokenHash: String?
    /// When the current link was issued.
    public var linkIssuedAt: Date?
    /// When it was signed.
    public var signedAt: Date?
    /// The serial number (hex) of the certificate that signed.
    public var certificateSerial: String?
    /// A signing in progress: who holds it and until when (a lease: a crashed signer's claim
    /// lapses and the signing can be tried again).
    public var claim: SigningClaim?

    /// A signer with the given members.
    public init(role: PartyRole, method: SigningMethod, name: String, phone: String? = nil, email: String? = nil,
                state: SignerState = .pending, linkTokenHash: String? = nil, linkIssuedAt: Date? = nil,
                signedAt: Date? = nil, certificateSerial: String? = nil, claim: SigningClaim? = nil) {
        self.role = role
        self.method = method
        self.name = name
        self.phone = phone
        self.email = email
        self.state = state
        self.linkTokenHash = linkTokenHash
        self.linkIssuedAt = linkIssuedAt
        self.signedAt = signedAt
        self.certificateSerial = certificateSerial
        self.claim = claim
    }
}

/// A lease on a signer's signature while the slow work (certificate, CMS, timestamps) runs
/// outside any transaction.
public struct SigningClaim: Sendable, Hashable, Codable {
    /// `sig_…`: the attempt holding the lease.
    public var id: String
    /// When the lease lapses.
    public var expiresAt: Date

    /// A claim with the given members.
    public init(id: String, expiresAt: Date) {
        self.id = id
        self.expiresAt = expiresAt
    }

    /// Whether the lease still holds at `date`.
    public func isActive(at date: Date) -> Bool { expiresAt > date }
}
