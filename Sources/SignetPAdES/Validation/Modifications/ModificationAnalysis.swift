/// What happened to a document after one of its revisions was signed: every change made by
/// the later incremental updates, each judged against the post-signing policy (corpus
/// README §6): only DSS/VRI data, document timestamps and further signatures, with the
/// bookkeeping those tools write, are allowed.
public struct ModificationAnalysis: Sendable, Equatable {
    /// The overall outcome.
    public enum Verdict: String, Sendable, Codable {
        /// No revision follows the signed one.
        case untouched
        /// Later revisions exist and every change they make is allowed.
        case allowed
        /// At least one change is not allowed (or could not be read).
        case disallowed
    }

    /// `untouched` when no revision follows; `allowed` when every finding is allowed;
    /// `disallowed` otherwise.
    public let verdict: Verdict
    /// The changes found, in revision order.
    public let findings: [ModificationFinding]
    /// The kinds of change found in the later revisions, e.g. `[.dss, .documentTimestamp]`
    /// (used for PAdES level detection).
    public let categories: Set<ModificationFinding.Category>

    /// An analysis with the given verdict and findings; `categories` is derived from the findings.
    public init(verdict: Verdict, findings: [ModificationFinding]) {
        self.verdict = verdict
        self.findings = findings
        self.categories = Set(findings.map(\.category))
    }

    /// The findings that are not allowed.
    public var disallowedFindings: [ModificationFinding] { findings.filter { !$0.allowed } }
}

/// One change made after signing, in plain words.
public struct ModificationFinding: Sendable, Equatable, Codable {
    /// What kind of change it is. The first group are kinds the policy can allow; the
    /// second group are never allowed. Whether this finding is allowed is `allowed`.
    public enum Category: String, Sendable, Codable, Hashable {
        /// The Document Security Store (`/DSS`, its arrays and streams, `/VRI`) was added or updated.
        case dss
        /// A document timestamp (`/Type /DocTimeStamp`) was added.
        case documentTimestamp
        /// A further signature was added.
        case signature
        /// A signature field was created (or, disallowed: changed).
        case signatureField
        /// A signature widget or its appearance (allowed only for a new or newly filled signature field).
        case signatureWidget
        /// The interactive form dictionary (`/AcroForm`: `/Fields`, `/SigFlags`, `/DR`) changed.
        case acroForm
        /// A page's `/Annots` array gained signature widgets (or, disallowed: changed otherwise).
        case pageAnnotations
        /// The XMP metadata stream of the catalog was refreshed.
        case metadata
        /// The trailer's `/Info` dictionary was refreshed.
        case info
        /// The catalog's `/Extensions` (e.g. the ESIC developer extension of PAdES tools)
        /// gained or raised entries, together with a DSS, signature or document timestamp.
        case extensions
        /// The catalog's `/Version` was raised, together with a DSS, signature or document timestamp.
        case version
        /// An incremental update that changes no object.
        case emptyUpdate
        /// A page's content or resources (or another attribute of the page) changed.
        case pageContent
        /// An annotation other than a signature widget was added, removed or changed.
        case annotation
        /// A form field other than a signature field was added, removed, filled or changed.
        case formField
        /// The document catalog changed beyond the allowed entries.
        case catalog
        /// Pages were added, removed or reordered, or the page tree changed.
        case pages
        /// An object of the signed revision was given new content or deleted.
        case objectRedefined
        /// A signature dictionary that was signed was replaced, changed or copied.
        case signatureDictionaryReplaced
        /// A later revision (or an object in it) cannot be read.
        case unreadableRevision
        /// Anything else: trailer changes, objects used outside the allowed structures.
        case other
    }

    /// The 0-based index (into `PDFDocument.revisions`) of the revision that makes the change.
    public let revision: Int
    /// The object concerned, e.g. `"12 0 R"`, if there is one.
    public let object: String?
    /// The kind of change.
    public let category: Category
    /// Whether the policy allows the change.
    public let allowed: Bool
    /// The change in plain words, e.g. "the content of page 1 was changed after signing".
    public let message: String

    /// A finding.
    public init(revision: Int, object: String?, category: Category, allowed: Bool, message: String) {
        self.revision = revision
        self.object = object
        self.category = category
        self.allowed = allowed
        self.message = message
    }
}
