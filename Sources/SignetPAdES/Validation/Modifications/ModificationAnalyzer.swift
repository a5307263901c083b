public import SignetPDF

/// Finds and judges everything that changed after a signed revision: the post-signing
/// check of a PDF signature verifier.
///
/// The analysis compares objects, not bytes. For each revision after the signed one, it
/// walks the document structure a later signature, DSS or timestamp may touch and judges
/// every object that revision writes by its role, against the signed revision's value;
/// then it checks that each rewritten object of the signed revision was either a
/// structural object changed only in allowed ways (catalog, pages, form fields), or a
/// content object whose every use in the signed document is accounted for (so that
/// shadow attacks, object reuse and appearance overrides are caught); new objects must be
/// claimed by an allowed structure or be unused. Unreadable objects or revisions are
/// reported as disallowed, never thrown.
///
/// ```swift
/// let analyzer = ModificationAnalyzer(document: document)
/// let signedRevision = document.revision(endingAt: byteRange[2] + byteRange[3])!.index
/// let analysis = analyzer.analyze(after: signedRevision)
/// if analysis.verdict == .disallowed { ... analysis.disallowedFindings ... }
/// ```
public struct ModificationAnalyzer: Sendable {
    /// The document analysed.
    public let document: PDFDocument

    /// An analyzer for `document`.
    public init(document: PDFDocument) {
        self.document = document
    }

    /// Every change made by revisions after `revision` (0-based index into `document.revisions`).
    public func analyze(after revision: Int) -> ModificationAnalysis {
        let revisions = document.revisions
        guard revision >= 0 && revision < revisions.count else {
            return ModificationAnalysis(verdict: .disallowed, findings: [ModificationFinding(
                revision: revision, object: nil, category: .other, allowed: false,
                message: "the document has no revision \(revision) (it has \(revisions.count))")])
        }
        guard revision < revisions.count - 1 else { return ModificationAnalysis(verdict: .untouched, findings: []) }

        var watched = Set<Int>()
        for later in (revision + 1)..<revisions.count {
            watched.formUnion(revisions[later].entries.keys)
            watched.formUnion(RevisionReview.storedInRewrittenStreams(document: document, revision: later))
        }
        let signed = SignedRevisionIndex(document: document, revision: revision, watched: watched)
        var findings: [ModificationFinding] = []
        if !signed.problems.isEmpty {
            findings.append(ModificationFinding(
                revision: revision + 1, object: nil, category: .unreadableRevision, allowed: false,
                message: "the signed revision cannot be read completely, so later changes cannot all be checked: "
                    + signed.problems.prefix(3).joined(separator: "; ")))
        }
        for later in (revision + 1)..<revisions.count {
            var review = RevisionReview(document: document, signed: signed, revision: later)
            findings += review.run()
        }
        let verdict: ModificationAnalysis.Verdict = findings.allSatisfy(\.allowed) ? .allowed : .disallowed
        return ModificationAnalysis(verdict: verdict, findings: findings)
    }
}
