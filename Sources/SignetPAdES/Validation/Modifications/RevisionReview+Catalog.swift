import SignetPDF

extension RevisionReview {
    /// Trailer entries that bookkeeping changes (or that describe the cross-reference
    /// stream itself); `/Root`, `/Info` and `/Encrypt` are judged separately.
    static let trailerBookkeeping: Set<PDFName> = [
        .size, .prev, .id, .root, .info, .encrypt, .type, .length, .filter, .decodeParms,
        PDFName("XRefStm"), PDFName("W"), PDFName("Index"), PDFName("DocChecksum"),
    ]

    /// Catalog entries a later signature, DSS or timestamp may change; each is judged by its own review.
    static let catalogAllowed: Set<PDFName> = [PDFName("DSS"), PDFName("AcroForm"), PDFName("Metadata"), PDFName("Extensions"), PDFName("Version")]

    mutating func judgeTrailer() {
        let old = signed.trailer, new = view.trailer
        // A /Root pointing to another object is judged by `reviewCatalog`, key by key.
        if !sameAsSigned(old[.encrypt], new[.encrypt], at: ObjectPosition(nil, "/Encrypt")) {
            emit(.other, allowed: false, object: nil, "the encryption settings (/Encrypt) were changed after signing")
        }
        // Other trailer entries mean nothing to PDF readers (some writers keep private data
        // there, e.g. LibreOffice's /AdditionalStreams, which PDFBox renumbers on every save).
        // A change is noted; a new object it refers to is caught by the accounting.
        let previous = revision - 1 == signed.revision ? old : document.revisions[revision - 1].trailer
        for key in recentChanges(old: old, previous: previous, new: new, at: ObjectPosition(nil, ""), ignoring: Self.trailerBookkeeping) where new[key] != nil {
            emit(.other, allowed: true, object: nil,
                 "the trailer entry \(key), which PDF readers do not use, was \(old[key] == nil ? "added" : "changed")")
        }
    }

    /// Claims the catalog, judges it if this revision rewrites it (or points the trailer to
    /// another object), and returns its value. The catalog is compared key by key with the
    /// signed one, whichever object holds it, so a catalog copied into a new object is
    /// judged like one rewritten in place.
    mutating func reviewCatalog() -> (reference: PDFReference, dictionary: PDFDictionary)? {
        guard case .reference(let root)? = view.trailer[.root] else {
            emit(.catalog, allowed: false, object: nil, "the trailer has no document catalog (/Root)")
            return nil
        }
        claim(.reference(root), at: ObjectPosition(nil, "/Root"), .catalog)
        guard let value = current(root) else { return nil }
        guard case .dictionary(let catalog) = value else {
            emit(.catalog, allowed: false, object: root.number, "the document catalog \(root) is not a dictionary")
            return nil
        }
        let repointed = view.trailer[.root] != document.revisions[revision - 1].trailer[.root]
        guard isWritten(root.number) || repointed else { return (root, catalog) }
        guard let old = signed.catalog else {
            emit(.catalog, allowed: false, object: root.number, "the signed document had no readable catalog, so the one of this revision cannot be compared")
            return (root, catalog)
        }
        if root != signed.catalogReference && signed.isSigned(root.number) {
            // Another object of the signed document made the catalog: whatever used it before
            // now sees a catalog.
            let context = signed.context(of: root.number, fieldNames: fieldNames)
            emit(.catalog, allowed: false, object: root.number,
                 "\(context.description) (\(root)) was made the document catalog after signing (the signed catalog was \(Self.describe(signed.trailer[.root])))")
        }
        for key in recentChanges(old: old, previous: previousCatalog, new: catalog, at: ObjectPosition(root.number, ""), ignoring: Self.catalogAllowed) {
            let change = old[key] == nil ? "added to" : (catalog[key] == nil ? "removed from" : "changed in")
            let what: String
            switch key.string {
            case "OpenAction": what = "an action run when the document is opened (/OpenAction) was \(change) the document catalog"
            case "AA": what = "automatic actions (/AA) were \(change) the document catalog"
            case "Names": what = "the name tree (/Names: JavaScript, embedded files, destinations) was \(change) the document catalog"
            case "Pages": what = "the page tree (/Pages) was \(change) the document catalog"
            case "Perms": what = "permissions (/Perms, e.g. a certification) were \(change) the document catalog"
            default: what = "the entry \(key) was \(change) the document catalog"
            }
            emit(key == PDFName("Pages") ? .pages : .catalog, allowed: false, object: root.number, what + " after signing")
        }
        return (root, catalog)
    }

    /// Whether this revision changed the catalog's `key` (its value, not its target).
    mutating func catalogEntryChanged(_ key: PDFName, _ catalog: (reference: PDFReference, dictionary: PDFDictionary)) -> Bool {
        guard isWritten(catalog.reference.number) || view.trailer[.root] != document.revisions[revision - 1].trailer[.root] else { return false }
        return !sameAsPrevious(previousCatalog?[key], catalog.dictionary[key], at: ObjectPosition(catalog.reference.number, key.description))
    }

    /// The catalog of the previous revision.
    var previousCatalog: PDFDictionary? {
        guard let root = document.revisions[revision - 1].trailer[.root] else { return nil }
        return (try? document.resolve(root, asOf: revision - 1))?.dictionaryValue
    }

    // MARK: Info

    mutating func reviewInfo() {
        let old = signed.trailer[.info], new = view.trailer[.info]
        let position = ObjectPosition(nil, "/Info")
        claimContent(new, holder: position, .info, expandingTop: true)
        let entryChanged = !sameAsPrevious(document.revisions[revision - 1].trailer[.info], new, at: position)
        let objectWritten = new?.referenceValue.map { isWritten($0.number) } ?? false
        guard entryChanged || objectWritten else { return }
        guard let new else {
            emit(.info, allowed: true, object: nil, "the document information dictionary (/Info) was removed from the trailer")
            return
        }
        let number = new.referenceValue?.number
        guard let value = resolveCurrent(new) else { return }
        guard case .dictionary(let dict) = value else {
            emit(.info, allowed: false, object: number, "the document information (/Info) is now \(Self.describe(value)), not a dictionary")
            return
        }
        if sameAsSigned(resolveOriginal(old), value, at: new.referenceValue.map { ObjectPosition($0.number, "") } ?? position) { return }
        let changed = differingKeys(resolveOriginal(old)?.dictionaryValue, dict).map(\.description)
        emit(.info, allowed: true, object: number,
             "the document information (/Info) was updated" + (changed.isEmpty ? "" : " (\(changed.joined(separator: ", ")))"))
    }

    // MARK: XMP metadata

    mutating func reviewMetadata(_ catalog: (reference: PDFReference, dictionary: PDFDictionary)) {
        let key = PDFName("Metadata")
        let new = catalog.dictionary[key]
        let position = ObjectPosition(catalog.reference.number, "/Metadata")
        claim(new, at: position, .metadata)
        let entryChanged = catalogEntryChanged(key, catalog)
        let objectWritten = new?.referenceValue.map { isWritten($0.number) } ?? false
        guard entryChanged || objectWritten else { return }
        guard let new else {
            emit(.metadata, allowed: true, object: catalog.reference.number, "the XMP metadata was removed from the document catalog")
            return
        }
        guard case .reference(let ref) = new else {
            emit(.metadata, allowed: false, object: catalog.reference.number, "the document's XMP metadata is not a stream object")
            return
        }
        guard let value = current(ref) else { return }
        if !entryChanged && !objectWritten { return }
        guard case .stream(let stream) = value else {
            emit(.metadata, allowed: false, object: ref.number, "the document's XMP metadata (\(ref)) is now \(Self.describe(value)), not a stream")
            return
        }
        claimContent(.dictionary(stream.dictionary), holder: ObjectPosition(ref.number, ""), .metadata)
        let data: [UInt8]
        do {
            data = try document.decodedData(of: stream, asOf: revision)
        } catch {
            emit(.metadata, allowed: false, object: ref.number, "the new XMP metadata (\(ref)) cannot be decoded: \(error)")
            return
        }
        if let problem = XMPWellFormedness.problem(in: data) {
            emit(.metadata, allowed: false, object: ref.number, "the new XMP metadata (\(ref)) is not well-formed XMP: \(problem)")
        } else {
            let verb = previousCatalog?[key] == nil ? "added" : "refreshed"
            emit(.metadata, allowed: true, object: ref.number, "the XMP metadata was \(verb) (well-formed XMP)")
        }
    }
}
