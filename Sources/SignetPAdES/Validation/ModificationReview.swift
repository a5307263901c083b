import SignetPDF

/// What changed after a signature: the modification analysis engine's findings, plus the
/// DocMDP restriction of a certification signature, as report data and a check.
struct ModificationReview {
    let summary: SignatureValidationResult.Modifications
    let check: ValidationCheck
    /// The categories of change after the signature (for the PAdES level).
    let categories: Set<ModificationFinding.Category>

    /// Changes a certification signature with DocMDP permissions 1 still allows
    /// (ISO 32000-2 §12.8.2.2.2 and ETSI EN 319 142-1: validation data and document
    /// timestamps), besides updates that change nothing visible.
    private static let allowedUnderNoChanges: Set<ModificationFinding.Category> = [
        .dss, .documentTimestamp, .emptyUpdate, .metadata, .info, .extensions, .version,
    ]

    init(analysis: ModificationAnalysis, signedRevision: Int, revisionCount: Int, docMDP: Int?, isTimestamp: Bool) {
        let later = revisionCount - 1 - signedRevision
        var findings = analysis.findings.map {
            SignatureValidationResult.Modifications.Finding(
                revision: $0.revision + 1, object: $0.object, category: $0.category.rawValue, allowed: $0.allowed, message: $0.message)
        }
        var verdict: SignatureValidationResult.Modifications.Verdict = switch analysis.verdict {
        case .untouched: .untouched
        case .allowed: .allowed
        case .disallowed: .disallowed
        }
        // A certification signature that allows no changes: later signatures, fields and
        // widgets are not allowed either (only validation data and document timestamps).
        if docMDP == 1, verdict == .allowed {
            let forbidden = analysis.findings.filter { !Self.allowedUnderNoChanges.contains($0.category) }
            if !forbidden.isEmpty {
                verdict = .disallowed
                findings = findings.map { finding in
                    guard let category = ModificationFinding.Category(rawValue: finding.category),
                          !Self.allowedUnderNoChanges.contains(category) else { return finding }
                    return .init(revision: finding.revision, object: finding.object, category: finding.category, allowed: false,
                                 message: finding.message + " (the certification signature allows no changes: DocMDP permissions 1)")
                }
            }
        }
        summary = .init(verdict: verdict, laterRevisions: later, categories: analysis.categories.map(\.rawValue).sorted(), findings: findings)
        categories = analysis.categories
        let what = isTimestamp ? "document timestamp" : "signature"
        switch verdict {
        case .untouched:
            check = .passed(.modifications, "Nothing was added to the document after this \(what).")
        case .allowed:
            let kinds = Self.describe(analysis.categories)
            check = .passed(.modifications, "\(later) later revision(s) only add \(kinds), which is allowed after a \(what).")
        case .disallowed:
            let bad = findings.filter { !$0.allowed }
            let listed = bad.prefix(5).map { "revision \($0.revision): \($0.message)" }.joined(separator: "; ")
            let more = bad.count > 5 ? " (and \(bad.count - 5) more)" : ""
            check = .problem(.modifications, .formatFailure,
                             "The document was changed after this \(what) in ways it does not allow: \(listed)\(more).")
        case .notAnalyzed:
            check = .notApplicable(.modifications, "Not analysed.")
        }
    }

    /// For a signature whose revision is unknown (its structure failed).
    init(notAnalyzed reason: String, revisionCount: Int) {
        summary = .init(verdict: .notAnalyzed, laterRevisions: 0, categories: [], findings: [])
        check = .notApplicable(.modifications, reason)
        categories = []
    }

    private static func describe(_ categories: Set<ModificationFinding.Category>) -> String {
        let names: [(ModificationFinding.Category, String)] = [
            (.signature, "further signatures"), (.documentTimestamp, "document timestamps"), (.dss, "validation data (DSS)"),
            (.signatureField, "signature fields"), (.signatureWidget, "signature widgets"), (.acroForm, "form bookkeeping"),
            (.pageAnnotations, "widget references on pages"), (.metadata, "refreshed metadata"), (.info, "a refreshed /Info"),
            (.extensions, "extension declarations"), (.version, "a raised PDF version"), (.emptyUpdate, "empty updates"),
        ]
        let present = names.filter { categories.contains($0.0) }.map(\.1)
        return present.isEmpty ? "allowed bookkeeping" : present.joined(separator: ", ")
    }
}
