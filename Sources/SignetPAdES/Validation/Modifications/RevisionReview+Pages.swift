import SignetPDF

extension RevisionReview {
    /// Page-level attributes that must not change (any other key of a page is also
    /// compared; only `/Annots` may gain signature widgets).
    static let pageTreeStructureKeys: Set<PDFName> = [.kids, PDFName("Count")]

    /// A page as this revision has it.
    struct PageRecord {
        let reference: PDFReference
        let index: Int
        let dictionary: PDFDictionary
    }

    /// The page tree, the pages and their annotations.
    ///
    /// When no node of the signed page tree (nor an indirect `/Kids` array) changed since
    /// signing, the pages are the signed ones, with the same inherited attributes: only the
    /// pages that changed are read. Otherwise the whole tree of this revision is walked.
    mutating func reviewPages(_ catalog: (reference: PDFReference, dictionary: PDFDictionary)) {
        let pagesValue = catalog.dictionary[PDFName("Pages")]
        var treeChanged = !sameAsSigned(signed.catalog?[PDFName("Pages")], pagesValue, at: ObjectPosition(catalog.reference.number, "/Pages")) || signed.pages.isEmpty
        for number in signed.pageTreeObjects where !treeChanged { treeChanged = changedSinceSigning(number) }
        guard treeChanged else {
            for (index, reference) in signed.pages.enumerated() {
                let annotationsChanged = signed.annotationArrays[reference.number].map { changedSinceSigning($0) } ?? false
                guard changedSinceSigning(reference.number) || annotationsChanged else { continue }
                guard let value = current(reference) else { continue }
                guard case .dictionary(let dictionary) = value else {
                    emit(.pageContent, allowed: false, object: reference.number, "page \(index + 1) was replaced by \(Self.describe(value)) after signing")
                    continue
                }
                if let position = signed.pagePositions[reference.number] { claim(.reference(reference), at: position, .page) }
                let page = PageRecord(reference: reference, index: index, dictionary: dictionary)
                judgePage(page)
                reviewAnnotations(of: page)
            }
            return
        }
        reviewWholePageTree(catalog, pagesValue: pagesValue)
    }

    private mutating func reviewWholePageTree(_ catalog: (reference: PDFReference, dictionary: PDFDictionary), pagesValue: PDFObject?) {
        do {
            let pages = try view.pages()
            currentPages = pages
            for page in pages { currentPageIndex[page.reference.number] = page.index }
        } catch {
            currentPages = nil
        }
        var treeWritten = catalogEntryChanged(PDFName("Pages"), catalog)

        // Intermediate nodes: claim, and judge those this revision rewrites.
        // Only objects that are nodes (or pages) here are claimed as such: anything else in
        // the tree is left to the accounting.
        var stack: [(PDFObject, ObjectPosition)] = pagesValue.map { [($0, ObjectPosition(catalog.reference.number, "/Pages"))] } ?? []
        var visited = Set<Int>()
        while let (item, position) = stack.popLast() {
            guard let ref = item.referenceValue, visited.insert(ref.number).inserted, visited.count < 1_000_000,
                  case .dictionary(let node)? = resolveCurrent(item) else { continue }
            let isNode = node.type == PDFName("Pages") || (node.type == nil && node[.kids] != nil)
            guard isNode else { continue }
            claim(item, at: position, .pageTreeNode)
            if let kids = node[.kids]?.referenceValue { claim(.reference(kids), at: ObjectPosition(ref.number, "/Kids"), .pageTreeNode) }
            let kidsHolder = node[.kids]?.referenceValue.map { ObjectPosition($0.number, "[]") } ?? ObjectPosition(ref.number, "/Kids[]")
            let kids = resolveCurrent(node[.kids])?.arrayValue ?? []
            for kid in kids.reversed() {
                if currentPageIndex[kid.referenceValue?.number ?? -1] != nil {
                    claim(kid, at: kidsHolder, .page)
                } else {
                    stack.append((kid, kidsHolder))
                }
            }
            if isWritten(ref.number) || (node[.kids]?.referenceValue.map { isWritten($0.number) } ?? false) {
                treeWritten = true
                judgePageTreeNode(ref, node: node)
            }
        }
        guard let pages = currentPages else {
            emit(.pages, allowed: false, object: pagesValue?.referenceValue?.number, "the page tree of this revision cannot be read")
            return
        }
        for page in pages where isWritten(page.reference.number) && signed.pageIndex[page.reference.number] == nil { treeWritten = true }
        if treeWritten { comparePageLists(pages) }

        for page in pages {
            let record = PageRecord(reference: page.reference, index: page.index, dictionary: page.dictionary)
            judgePage(record)
            reviewAnnotations(of: record)
        }
    }

    /// A node of the page tree. Nodes pass attributes (resources, boxes, rotation) down to
    /// their pages, so the tree must keep its shape: no new node, no changed `/Kids`, even
    /// when the pages end up in the same order.
    private mutating func judgePageTreeNode(_ ref: PDFReference, node: PDFDictionary) {
        guard signed.pageTreeNodes.contains(ref.number) else {
            if signed.isSigned(ref.number), let before = original(ref), !sameAsSigned(before, .dictionary(node), at: ObjectPosition(ref.number, "")) {
                let context = signed.context(of: ref.number, fieldNames: fieldNames)
                emit(.pages, allowed: false, object: ref.number, "\(context.description) (\(ref)) was turned into a node of the page tree after signing")
            } else if !signed.isSigned(ref.number) {
                emit(.pages, allowed: false, object: ref.number,
                     "a new node (\(ref)) was added to the page tree after signing; it can give the pages below it other attributes")
            }
            return
        }
        let oldKids = resolveOriginal(original(ref)?.dictionaryValue?[.kids])?.arrayValue ?? []
        let newKids = resolveCurrent(node[.kids])?.arrayValue ?? []
        let samePages = currentPages.map { $0.map(\.reference.number) == signed.pages.map(\.number) } ?? false
        if !sameAsSigned(.array(oldKids), .array(newKids), at: ObjectPosition(ref.number, "/Kids")) && samePages {
            emit(.pages, allowed: false, object: ref.number, "the page tree was restructured after signing (the /Kids of \(ref) changed)")
        }
        let old = original(ref)?.dictionaryValue
        let diff = recentChanges(old: old, previous: previous(ref)?.dictionaryValue, new: node, at: ObjectPosition(ref.number, ""), ignoring: Self.pageTreeStructureKeys)
        guard !diff.isEmpty else { return }
        let inherited: Set<PDFName> = [.resources, PDFName("MediaBox"), PDFName("CropBox"), PDFName("Rotate")]
        let content = diff.filter { inherited.contains($0) }
        if !content.isEmpty {
            emit(.pageContent, allowed: false, object: ref.number,
                 "attributes inherited by the pages (\(content.map(\.description).joined(separator: ", "))) were changed in the page tree after signing")
        }
        let rest = diff.filter { !inherited.contains($0) }
        if !rest.isEmpty {
            emit(.pages, allowed: false, object: ref.number, "the page tree was changed after signing (\(rest.map(\.description).joined(separator: ", ")))")
        }
    }

    private mutating func comparePageLists(_ pages: [PDFPage]) {
        let old = signed.pages.map(\.number), new = pages.map(\.reference.number)
        guard old != new else { return }
        let object = view.trailer[.root].flatMap { _ in (try? view.catalog())?.dictionary[PDFName("Pages")]?.referenceValue?.number }
        let added = new.filter { !Set(old).contains($0) }, removed = old.filter { !Set(new).contains($0) }
        if !added.isEmpty {
            let positions = new.enumerated().filter { !Set(old).contains($0.element) }.map { String($0.offset + 1) }.joined(separator: ", ")
            emit(.pages, allowed: false, object: added.first ?? object,
                 "\(added.count) page(s) were added after signing (now page \(positions); the signed document had \(old.count) page(s), this revision has \(new.count))")
        }
        if !removed.isEmpty {
            emit(.pages, allowed: false, object: object,
                 "\(removed.count) page(s) were removed after signing (the signed document had \(old.count) page(s), this revision has \(new.count))")
        }
        if added.isEmpty && removed.isEmpty {
            emit(.pages, allowed: false, object: object, "the pages were reordered after signing")
        }
    }

    private mutating func judgePage(_ page: PageRecord) {
        let ref = page.reference
        guard isWritten(ref.number) else { return }
        guard let oldIndex = signed.pageIndex[ref.number] else {
            if signed.isSigned(ref.number), let before = original(ref), !sameAsSigned(before, .dictionary(page.dictionary), at: ObjectPosition(ref.number, "")) {
                let context = signed.context(of: ref.number, fieldNames: fieldNames)
                emit(.objectRedefined, allowed: false, object: ref.number, "\(context.description) (\(ref)) was turned into page \(page.index + 1) after signing")
            }
            return
        }
        let old = original(ref)?.dictionaryValue
        let label = "page \(page.index + 1)" + (oldIndex == page.index ? "" : " (page \(oldIndex + 1) when signed)")
        for key in recentChanges(old: old, previous: previous(ref)?.dictionaryValue, new: page.dictionary, at: ObjectPosition(ref.number, ""), ignoring: [PDFName("Annots")]) {
            let message: String
            switch key.string {
            case "Contents": message = "the content of \(label) was replaced after signing (/Contents)"
            case "Resources": message = "the resources (fonts, images, forms) of \(label) were changed after signing"
            case "MediaBox", "CropBox", "TrimBox", "BleedBox", "ArtBox", "Rotate", "UserUnit":
                message = "the size, crop or rotation of \(label) was changed after signing (\(key))"
            case "Parent": message = "\(label) was moved in the page tree after signing"
            default: message = "\(label) was changed after signing (\(key))"
            }
            emit(.pageContent, allowed: false, object: ref.number, message)
        }
    }

    /// `/Annots`: signed entries must remain; new entries must be widgets of signature
    /// fields created or signed after signing. Other annotations of the page must not change.
    private mutating func reviewAnnotations(of page: PageRecord) {
        let ref = page.reference
        let value = page.dictionary[PDFName("Annots")]
        // A page whose dictionary and /Annots array are as signed lists the signed
        // annotations; one of them rewritten is reported by the accounting.
        guard changedSinceSigning(ref.number) || (value?.referenceValue.map { changedSinceSigning($0.number) } ?? false) else { return }
        claim(value, at: ObjectPosition(ref.number, "/Annots"), .annotations)
        let elementPosition = value?.referenceValue.map { ObjectPosition($0.number, "[]") } ?? ObjectPosition(ref.number, "/Annots[]")
        let resolved = resolveCurrent(value)
        let entries = resolved?.arrayValue ?? []
        for entry in entries {
            guard let number = entry.referenceValue?.number else { continue }
            claim(entry, at: elementPosition, formObjects.contains(number) ? .widget : .annotation)
            if !formObjects.contains(number) { judgeAnnotation(entry, page: page) }
        }
        let pageLabel = "page \(page.index + 1)"
        let isOldPage = signed.pageIndex[ref.number] != nil
        let oldValue = isOldPage ? original(ref)?.dictionaryValue?[PDFName("Annots")] : nil
        let previousValue = previous(ref)?.dictionaryValue?[PDFName("Annots")]
        let written = (value?.referenceValue.map { isWritten($0.number) } ?? false)
            || (isWritten(ref.number) && !sameAsPrevious(previousValue, value, at: ObjectPosition(ref.number, "/Annots")))
        guard written, isOldPage else { return }
        if let resolved, resolved.arrayValue == nil, !resolved.isNull {
            // Not an array: some viewers take a lone annotation dictionary as one.
            emit(.annotation, allowed: false, object: value?.referenceValue?.number ?? ref.number,
                 "the annotations (/Annots) of \(pageLabel) are now \(Self.describe(resolved)), not an array of annotations")
        }
        let old = resolveOriginal(oldValue)?.arrayValue ?? []
        let before = Set(((try? document.resolve(previousValue ?? .null, asOf: revision - 1))?.arrayValue ?? []).compactMap { $0.referenceValue?.number })
        let oldNumbers = Set(old.compactMap { $0.referenceValue?.number })
        let newNumbers = Set(entries.compactMap { $0.referenceValue?.number })
        for entry in old {
            guard let number = entry.referenceValue?.number else { continue }
            if !newNumbers.contains(number) && before.contains(number) {
                let what = fieldNames[number].map { "the widget of form field '\($0)'" } ?? "an annotation (\(entry))"
                emit(.annotation, allowed: false, object: number, "\(what) was removed from \(pageLabel) after signing")
            }
        }
        if old.contains(where: { $0.referenceValue == nil }) && !sameAsSigned(oldValue, value, at: ObjectPosition(ref.number, "/Annots")) {
            emit(.annotation, allowed: false, object: ref.number, "annotations written directly in the /Annots of \(pageLabel) were changed after signing")
        }
        for entry in entries {
            guard let number = entry.referenceValue?.number else {
                if !old.contains(entry) {
                    emit(.annotation, allowed: false, object: ref.number, "an annotation was added to \(pageLabel) after signing")
                }
                continue
            }
            guard !oldNumbers.contains(number), !before.contains(number) else { continue }
            if let field = signatureWidgets[number] {
                emit(.pageAnnotations, allowed: true, object: value?.referenceValue?.number ?? ref.number,
                     "the widget of signature field '\(field)' was added to the annotations of \(pageLabel)")
            } else if formObjects.contains(number) {
                emit(.formField, allowed: false, object: number,
                     "a widget of form field '\(fieldNames[number] ?? "?")' was added to \(pageLabel) after signing")
            } else {
                let subtype = resolveCurrent(entry)?.dictionaryValue?[.subtype]?.nameValue.map { "\($0) " } ?? ""
                emit(.annotation, allowed: false, object: number, "a \(subtype)annotation was added to \(pageLabel) after signing")
            }
        }
    }

    /// An annotation that is not part of the form: it must not change.
    private mutating func judgeAnnotation(_ entry: PDFObject, page: PageRecord) {
        guard let ref = entry.referenceValue, isWritten(ref.number), let value = current(ref) else { return }
        guard signed.isSigned(ref.number), let before = original(ref) else { return }  // new: judged with /Annots
        guard !sameAsSigned(before, value, at: ObjectPosition(ref.number, "")) else { return }
        if signed.annotationPage[ref.number] != nil {
            let subtype = value.dictionaryValue?[.subtype]?.nameValue.map { "\($0) " } ?? ""
            emit(.annotation, allowed: false, object: ref.number,
                 "the \(subtype)annotation \(ref) on page \(page.index + 1) was changed after signing (\(differingKeys(before.dictionaryValue, value.dictionaryValue).map(\.description).joined(separator: ", ")))")
        } else {
            let context = signed.context(of: ref.number, fieldNames: fieldNames)
            emit(.objectRedefined, allowed: false, object: ref.number, "\(context.description) (\(ref)) was turned into an annotation of page \(page.index + 1) after signing")
        }
    }
}
