public import FoundationEssentials

/// What `ConsistencyChecker` found: the counts of what it read, every violated invariant,
/// and the orphaned blobs (`signet check --format json` prints it as is).
public struct ConsistencyReport: Sendable, Hashable, Codable {
    /// How much the checker read.
    public struct Counts: Sendable, Hashable, Codable {
        /// Contract rows.
        public var contracts = 0
        /// Signed PDFs verified in this run (PAdES validation against the trust anchors).
        public var signedPDFsVerified = 0
        /// Signed PDFs not verified again: their digest verified in an earlier run.
        public var signedPDFsCached = 0
        /// Audit events of every contract.
        public var auditEvents = 0
        /// Unsealed outbox events.
        public var webhookEvents = 0
        /// Paper documents.
        public var documents = 0
        /// Blobs in the blob store.
        public var blobs = 0
        /// Distinct digests some row names.
        public var referencedBlobs = 0

        /// No counts yet.
        public init() {}

        enum CodingKeys: String, CodingKey {
            case contracts, documents, blobs
            case signedPDFsVerified = "signed_pdfs_verified", signedPDFsCached = "signed_pdfs_cached"
            case auditEvents = "audit_events", webhookEvents = "webhook_events", referencedBlobs = "referenced_blobs"
        }
    }

    /// Blobs stored but named by no row: what a crash between a blob's write and the commit
    /// that would have named it leaves. Reported, not a violation; deleted only when asked.
    public struct Orphans: Sendable, Hashable, Codable {
        /// How many.
        public var found = 0
        /// Their total size.
        public var bytes = 0
        /// How many were deleted (old enough, still unreferenced when deleted).
        public var deleted = 0
        /// Their digests, in digest order.
        public var digests: [String] = []

        /// None yet.
        public init() {}
    }

    /// Whether every invariant holds (no violation).
    public var consistent: Bool { violations.isEmpty }
    /// What was read.
    public var counts = Counts()
    /// Every violated invariant, in the order found.
    public var violations: [ConsistencyViolation] = []
    /// Orphaned blobs.
    public var orphans = Orphans()
    /// Digests of signed PDFs that verified in this run (for the caller's cache of verified
    /// digests; not part of the JSON report).
    public var newlyVerified: [String] = []

    /// An empty report.
    public init() {}

    enum CodingKeys: String, CodingKey { case consistent, counts, violations, orphans }

    /// Decodes a report (`consistent` is derived from the violations).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        counts = try container.decode(Counts.self, forKey: .counts)
        violations = try container.decode([ConsistencyViolation].self, forKey: .violations)
        orphans = try container.decode(Orphans.self, forKey: .orphans)
    }

    /// Encodes `consistent`, `counts`, `violations` and `orphans`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(consistent, forKey: .consistent)
        try container.encode(counts, forKey: .counts)
        try container.encode(violations, forKey: .violations)
        try container.encode(orphans, forKey: .orphans)
    }
}

/// One violated invariant.
public struct ConsistencyViolation: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Which invariant (`ConsistencyCheck`'s raw value: a stable id).
    public var check: ConsistencyCheck
    /// The contract (or paper document) it concerns; nil for the store as a whole.
    public var contractID: String?
    /// What is wrong, in a sentence.
    public var detail: String

    /// A violation with the given members.
    public init(_ check: ConsistencyCheck, contractID: String?, _ detail: String) {
        self.check = check
        self.contractID = contractID
        self.detail = detail
    }

    /// `check contract: detail`.
    public var description: String { "\(check.rawValue) \(contractID ?? "-"): \(detail)" }

    enum CodingKeys: String, CodingKey { case check, contractID = "contract_id", detail }
}

/// The invariants `ConsistencyChecker` checks, by stable id (docs/deployment.md, "Checking
/// the store").
public enum ConsistencyCheck: String, Sendable, Hashable, Codable, CaseIterable {
    /// A contract row the store cannot read (a signer's state or method that is none).
    case contractUnreadable = "contract_unreadable"
    /// A contract's state is not a state of the lifecycle.
    case stateIllegal = "state_illegal"
    /// A contract's state disagrees with its signers, its dates or its PDFs.
    case stateInconsistent = "state_inconsistent"
    /// A digest a row names is not in the blob store.
    case blobMissing = "blob_missing"
    /// A blob's bytes do not hash to its digest, or its size is not the recorded one.
    case blobCorrupt = "blob_corrupt"
    /// A signed PDF does not verify against the trust anchors.
    case signedPDFInvalid = "signed_pdf_invalid"
    /// A signed PDF does not start with the contract's original (signing only appends).
    case signedPDFNotIncremental = "signed_pdf_not_incremental"
    /// A signed PDF holds more (or fewer) signatures than the contract has signers who signed.
    case signatureCount = "signature_count"
    /// A signer with two `signer.signed` events, or a signed signer without one.
    case signerEvents = "signer_events"
    /// A contract's audit chain does not verify (hash chain or recorded head).
    case auditChain = "audit_chain"
    /// A committed change whose outbox event is missing (or an event without its change).
    case outboxMismatch = "outbox_mismatch"
}
