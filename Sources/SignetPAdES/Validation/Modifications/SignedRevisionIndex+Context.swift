import SignetPDF

extension SignedRevisionIndex {
    /// What object `number` was in the signed revision, in plain words, and the category a
    /// change to it falls under.
    struct Context {
        let category: ModificationFinding.Category
        /// E.g. "the content stream of page 1", "an object used by page 2 (/Resources/XObject/Im0)".
        let description: String
    }

    /// Describes `number` by the role it had, or by the nearest page, annotation, field,
    /// catalog or trailer entry it was reachable from.
    func context(of number: Int, fieldNames: [Int: String]) -> Context {
        if let own = anchor(number, fieldNames: fieldNames) { return Context(category: own.category, description: own.description) }
        // Climb the first-found parents to the nearest anchor, collecting the path.
        var hops: [String] = []
        var current = number
        var steps = 0
        while let position = discoveredPosition(of: current), steps < 64 {
            steps += 1
            hops.append(position.path)
            guard let parent = position.parent else {
                return Context(category: .objectRedefined, description: "an object reachable from the trailer (\(hops.reversed().joined()))")
            }
            if let anchor = anchor(parent, fieldNames: fieldNames) {
                let path = hops.reversed().joined()
                if let page = pageIndex[parent], hops.count == 1, position.path.hasPrefix("/Contents") {
                    return Context(category: .pageContent, description: "the content stream of page \(page + 1)")
                }
                let what: String
                switch anchor.kind {
                case .page: what = "an object used by \(anchor.description)"
                case .annotation: what = "part of \(anchor.description)"
                case .field: what = "part of \(anchor.description)"
                case .signature: what = "part of \(anchor.description)"
                case .catalog, .pageTree: what = "an object reachable from \(anchor.description)"
                }
                return Context(category: .objectRedefined, description: "\(what) (\(path))")
            }
            current = parent
        }
        return Context(category: .objectRedefined, description: "an object of the signed revision")
    }

    private enum AnchorKind { case page, annotation, field, signature, catalog, pageTree }

    private func anchor(_ number: Int, fieldNames: [Int: String]) -> (kind: AnchorKind, category: ModificationFinding.Category, description: String)? {
        if let page = pageIndex[number] { return (.page, .pageContent, "page \(page + 1)") }
        if let name = signatureDictionaries[number] { return (.signature, .signatureDictionaryReplaced, "the signature dictionary of field '\(name)'") }
        if let name = fieldNames[number] { return (.field, .formField, "form field '\(name)'") }
        if let page = annotationPage[number] { return (.annotation, .annotation, "an annotation on page \(page + 1)") }
        if number == catalogReference?.number { return (.catalog, .catalog, "the document catalog") }
        if pageTreeNodes.contains(number) { return (.pageTree, .pages, "the page tree") }
        return nil
    }
}
