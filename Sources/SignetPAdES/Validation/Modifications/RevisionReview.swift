import SignetPDF

/// Judges one revision that follows the signed one, against the signed revision.
///
/// Two passes. First a walk of the revision's document structure that a later signature,
/// DSS or timestamp may touch (trailer, catalog, `/Info`, XMP, `/Extensions`, DSS, form
/// fields and their widgets, signature dictionaries, page tree, pages and their `/Annots`):
/// every object reached is *claimed* with its role and the position it was reached from,
/// and every object this revision writes is judged in that role, comparing its value with
/// the signed one. Then the accounting: every object this revision writes must be
/// explained. An object of the signed revision that is given new content must have been
/// judged in a structural role (catalog, page, form field ...), or, in a content role
/// (DSS, XMP, the appearance of the field being signed ...), every place the signed
/// revision used it must be one of the places the walk reached it from, or no longer
/// refer to it, and the signed objects holding those places must in turn be used only where
/// they were reached: this is what catches shadow attacks and appearance overrides, where
/// an object of signed content is rewritten under cover of an allowed change. A new object
/// must be claimed, or unused. `/Version` and `/Extensions` changes are settled last: they
/// are allowed only next to an allowed DSS, signature or document timestamp.
struct RevisionReview {
    enum Role: Equatable {
        case catalog, acroForm, field, widget, pageTreeNode, page
        case info, metadata, extensions, dss, fieldList, annotations, appearance, formResources, signature, signatureContent, annotation
        /// Reached while comparing a value with the signed (or previous) one, which it equals.
        case equalValue

        /// Roles whose judge compares the whole object with its signed value: such an
        /// object may be shared with other content, its allowed changes are harmless anywhere.
        var isStructural: Bool {
            switch self {
            case .catalog, .acroForm, .field, .widget, .pageTreeNode, .page, .annotation: return true
            default: return false
            }
        }

        var label: String {
            switch self {
            case .catalog: return "the document catalog"
            case .acroForm: return "the form dictionary"
            case .field: return "a form field"
            case .widget: return "a widget annotation"
            case .pageTreeNode: return "the page tree"
            case .page: return "a page"
            case .info: return "the document information dictionary"
            case .metadata: return "the XMP metadata"
            case .extensions: return "the catalog extensions"
            case .dss: return "the Document Security Store"
            case .fieldList: return "a list of form fields"
            case .annotations: return "a page's annotation list"
            case .appearance: return "the appearance of a signature widget"
            case .formResources: return "the form's default resources"
            case .signature: return "a signature dictionary"
            case .signatureContent: return "part of a signature dictionary"
            case .annotation: return "an annotation"
            case .equalValue: return "a value written again in another form"
            }
        }
    }

    struct Claim: Equatable {
        let role: Role
        let position: ObjectPosition
    }

    let document: PDFDocument
    let signed: SignedRevisionIndex
    /// The revision being judged (index into `document.revisions`).
    let revision: Int
    let view: PDFRevisionView
    let signedView: PDFRevisionView
    /// Value comparisons of this revision's objects with the signed revision's and with the previous one's.
    let toSigned: PDFValueComparison
    let toPrevious: PDFValueComparison
    /// Objects this revision defines, redefines or frees (without its cross-reference streams
    /// and new object streams), plus objects stored in an object stream it rewrites.
    let written: Set<Int>
    /// Objects this revision frees.
    let freed: Set<Int>
    /// Object streams and cross-reference streams new in this revision.
    let containers: Set<Int>

    private(set) var findings: [ModificationFinding] = []
    private var findingKeys = Set<String>()
    var claims: [Int: [Claim]] = [:]
    /// Objects with a disallowed finding (not judged again).
    var flagged = Set<Int>()
    private var unreadable = Set<Int>()
    var contentVisited = Set<Int>()
    var changedCache: [Int: Bool] = [:]
    var changedHere: [Int: Bool] = [:]
    /// Field names of both revisions by object number, for messages.
    var fieldNames: [Int: String] = [:]
    /// Widgets of signature fields created or signed after the signed revision: the only
    /// annotations a page may gain.
    var signatureWidgets: [Int: String] = [:]
    /// Fields and widgets of this revision's form.
    var formObjects = Set<Int>()
    /// This revision's pages by object number → 0-based index, when its page tree changed
    /// since signing and was read (otherwise the signed revision's pages apply).
    var currentPageIndex: [Int: Int] = [:]
    /// This revision's pages in order, when its page tree was read; nil if it was not
    /// needed or cannot be read.
    var currentPages: [PDFPage]?
    /// `/Version` and `/Extensions` changes, judged once the revision's other findings are known.
    var bookkeeping: [Bookkeeping] = []

    init(document: PDFDocument, signed: SignedRevisionIndex, revision: Int) {
        self.document = document
        self.signed = signed
        self.revision = revision
        view = (try? document.view(revision: revision)) ?? document.current
        signedView = (try? document.view(revision: signed.revision)) ?? document.current
        toSigned = PDFValueComparison(document: document, left: signed.revision, right: revision)
        toPrevious = PDFValueComparison(document: document, left: revision - 1, right: revision)
        let record = document.revisions[revision]
        // Cross-reference streams and object streams new in this revision are containers,
        // not content. One that takes the number of an object of the signed document
        // replaces that object (a page's content stream read as cross-reference data), so
        // it stays to be judged like any rewrite.
        var containers = Set<Int>()
        for section in record.sections {
            if let ref = section.streamReference, !signed.isSigned(ref.number) { containers.insert(ref.number) }
        }
        for entry in record.entries.values {
            if case .compressed(let stream, _) = entry, !signed.isSigned(stream) { containers.insert(stream) }
        }
        var written = Set(record.entries.keys).subtracting(containers)
        written.formUnion(Self.storedInRewrittenStreams(document: document, revision: revision))
        self.written = written
        self.freed = Set(record.freedObjectNumbers)
        self.containers = containers
        for field in signed.form.fields { if let ref = field.reference { fieldNames[ref.number] = field.label } }
    }

    /// Objects whose own entry is older but which live in an object stream this revision
    /// rewrites: their content may change without their entry changing.
    static func storedInRewrittenStreams(document: PDFDocument, revision: Int) -> Set<Int> {
        let rewritten = Set(document.revisions[revision].entries.keys)
        guard revision > 0 else { return [] }
        var streams = Set<Int>()
        for number in rewritten {
            guard let (entry, _) = try? document.xrefEntry(for: number, asOf: revision - 1), entry.isInUse,
                  let object = try? document.object(PDFReference(number, entry.generation), asOf: revision - 1),
                  object.dictionaryValue?.type == PDFName("ObjStm") else { continue }
            streams.insert(number)
        }
        guard !streams.isEmpty else { return [] }
        var result = Set<Int>()
        var seen = Set<Int>()
        for index in stride(from: revision, through: 0, by: -1) {
            for (number, entry) in document.revisions[index].entries where seen.insert(number).inserted {
                if case .compressed(let stream, _) = entry, streams.contains(stream), !rewritten.contains(number) { result.insert(number) }
            }
        }
        return result
    }

    // MARK: Running

    /// Reviews the revision and returns its findings.
    mutating func run() -> [ModificationFinding] {
        judgeTrailer()
        if let catalog = reviewCatalog() {
            reviewInfo()
            reviewMetadata(catalog)
            reviewVersion(catalog)
            reviewExtensions(catalog)
            reviewDSS(catalog)
            reviewForm(catalog)
            reviewPages(catalog)
            settleBookkeeping()
        } else {
            reviewInfo()
        }
        account()
        if findings.isEmpty {
            let kept = written.subtracting(freed)
            let added = kept.filter { !signed.isSigned($0) && claims[$0] == nil }.count
            var parts: [String] = []
            if kept.count > added { parts.append("rewrites \(kept.count - added) object(s) as they were") }
            if added > 0 { parts.append("adds \(added) object(s) that nothing uses") }
            if !freed.isEmpty { parts.append("frees \(freed.count) object(s) that nothing uses") }
            emit(.emptyUpdate, allowed: true, object: nil, parts.isEmpty
                 ? "an incremental update that changes nothing"
                 : "an incremental update that changes nothing in the document: it \(parts.joined(separator: " and "))")
        }
        return findings
    }

    // MARK: Reading

    /// Whether object `number` has a newer definition than the signed revision's, as of this revision.
    mutating func changedSinceSigning(_ number: Int) -> Bool {
        if let cached = changedCache[number] { return cached }
        var changed = false
        if let (entry, definedIn) = try? document.xrefEntry(for: number, asOf: revision) {
            if definedIn > signed.revision {
                changed = true
            } else if case .compressed(let stream, _) = entry,
                      let (_, streamDefinedIn) = try? document.xrefEntry(for: stream, asOf: revision), streamDefinedIn > signed.revision {
                changed = true
            }
        }
        changedCache[number] = changed
        return changed
    }

    /// Whether this revision gives object `number` a value different from the previous
    /// revision's (rewriting an object identically is not a change; the change it repeats
    /// was judged with the revision that made it).
    mutating func isWritten(_ number: Int) -> Bool {
        guard written.contains(number) else { return false }
        if let cached = changedHere[number] { return cached }
        var changed = true
        if !freed.contains(number), let (entry, _) = try? document.xrefEntry(for: number, asOf: revision),
           let (previousEntry, _) = try? document.xrefEntry(for: number, asOf: revision - 1),
           previousEntry.isInUse, previousEntry.generation == entry.generation {
            let reference = PDFReference(number, entry.generation)
            if let before = try? document.object(reference, asOf: revision - 1), let after = try? document.object(reference, asOf: revision),
               sameAsPrevious(before, after, at: ObjectPosition(number, "")) {
                changed = false
            }
        }
        changedHere[number] = changed
        return changed
    }

    /// The value of `reference` in the revision before this one (nil if unreadable).
    func previous(_ reference: PDFReference) -> PDFObject? {
        try? document.object(reference, asOf: revision - 1)
    }

    /// The value of `reference` in this revision (`.null` if absent or free); nil if it
    /// cannot be read, which is reported once.
    mutating func current(_ reference: PDFReference) -> PDFObject? {
        do {
            return try document.object(reference, asOf: revision)
        } catch {
            if unreadable.insert(reference.number).inserted {
                emit(.unreadableRevision, allowed: false, object: reference.number,
                     "object \(reference) cannot be read in this revision (\(error)); what it shows cannot be checked")
            }
            return nil
        }
    }

    /// The value of `reference` in the signed revision; nil if it cannot be read there.
    func original(_ reference: PDFReference) -> PDFObject? {
        try? document.object(reference, asOf: signed.revision)
    }

    /// Resolves a value in this revision (nil when unreadable).
    mutating func resolveCurrent(_ value: PDFObject?) -> PDFObject? {
        guard let value else { return nil }
        guard case .reference(let ref) = value else { return value }
        guard let object = current(ref) else { return nil }
        if case .reference = object { return (try? document.resolve(object, asOf: revision)) ?? nil }
        return object
    }

    /// Resolves a value in the signed revision.
    func resolveOriginal(_ value: PDFObject?) -> PDFObject? {
        guard let value else { return nil }
        return try? document.resolve(value, asOf: signed.revision)
    }

    // MARK: Recording

    mutating func claim(_ value: PDFObject?, at position: ObjectPosition, _ role: Role) {
        guard case .reference(let ref)? = value else { return }
        let claim = Claim(role: role, position: position)
        if !(claims[ref.number]?.contains(claim) ?? false) { claims[ref.number, default: []].append(claim) }
    }

    /// Claims the objects `value` refers to (placed at `holder`) in `role`, and below them
    /// every object added after signing.
    ///
    /// Objects of the signed document met below are not descended into, and when met
    /// inside another object of the signed document they are not claimed either: what
    /// they are keeps the roles it had, so a content role can never vouch for signed
    /// content (a new appearance, or an "Info dictionary" that is in fact a page, must not
    /// make a page's content stream part of it). With `expandingTop`, the objects `value`
    /// refers to directly are descended into even if they belong to the signed document
    /// (the `/Info` dictionary being refreshed), under the same rule for what they hold.
    mutating func claimContent(_ value: PDFObject?, holder: ObjectPosition, _ role: Role, expandingTop: Bool = false) {
        guard let value else { return }
        struct Pending { let reference: PDFReference; let position: ObjectPosition; let top: Bool; let insideSigned: Bool }
        var pending: [Pending] = []
        value.forEachReference { ref, path in
            pending.append(Pending(reference: ref, position: ObjectPosition(holder.parent, holder.path + path), top: expandingTop, insideSigned: false))
        }
        var steps = 0
        while let item = pending.popLast(), steps < 200_000 {
            steps += 1
            let number = item.reference.number
            let isSigned = signed.isSigned(number)
            if item.insideSigned && isSigned { continue }
            claim(.reference(item.reference), at: item.position, role)
            guard changedSinceSigning(number), item.top || !isSigned,
                  contentVisited.insert(number).inserted, let object = current(item.reference) else { continue }
            object.forEachReference { child, path in
                pending.append(Pending(reference: child, position: ObjectPosition(number, path), top: false, insideSigned: isSigned))
            }
        }
    }

    /// Records a finding about `object` (its generation in this revision unless given).
    mutating func emit(_ category: ModificationFinding.Category, allowed: Bool, object: Int?, generation: Int? = nil, _ message: String) {
        let key = "\(category.rawValue)|\(object.map(String.init) ?? "-")|\(message)"
        guard findingKeys.insert(key).inserted else { return }
        if !allowed, let object { flagged.insert(object) }
        let reference = object.map { number in
            let generation = generation ?? (try? document.xrefEntry(for: number, asOf: revision))?.entry.generation ?? 0
            return "\(number) \(generation) R"
        }
        findings.append(ModificationFinding(revision: revision, object: reference, category: category, allowed: allowed, message: message))
    }

    /// A short description of a value for messages.
    static func describe(_ value: PDFObject?) -> String {
        guard let value else { return "nothing" }
        switch value {
        case .string(let s): return "'\(s.text.prefix(80))'"
        case .stream: return "a stream"
        case .dictionary: return "a dictionary"
        case .array(let items): return "an array of \(items.count)"
        default:
            let text = value.description
            return text.count > 80 ? String(text.prefix(80)) + "…" : text
        }
    }
}
