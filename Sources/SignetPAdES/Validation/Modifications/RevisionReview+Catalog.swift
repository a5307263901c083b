import SignetPDF

extension RevisionReview {
    /// Trailer entries that bookkeeping changes (or that describe the cross-reference
    /// stream itself); `/Root`, `/Info` and `/Encrypt` are judged separately.
    static let trailerBookkeeping: Set<PDFName> = [
        .size, .prev, .id, .root, .info, .encrypt, .type, .length, .filter, .decodeParms,
        PDFName("XRefStm"), PDFName("W"), PDFName("Index"), PDFName("DocChecksum"),
    ]

    /// Catalog entries a later signature, DSS or timestamp may change; each is judged by its own review.
    static let catalogAllowed: Set<PDFName> = [PDFName("DSS"), PDFName("AcroForm"), PDFName("Metadata"), PDFName("Extensions")]

    mutating func judgeTrailer() {
        let old = signed.trailer, new = view.trailer
        if !ObjectEquivalence.equal(old[.root], new[.root]) {
            emit(.catalog, allowed: false, object: nil,
                 "the trailer now points to a different document catalog (\(Self.describe(new[.root])) instead of \(Self.describe(old[.root]))): the whole document was replaced")
        }
        if !ObjectEquivalence.equal(old[.encrypt], new[.encrypt]) {
            emit(.other, allowed: false, object: nil, "the encryption settings (/Encrypt) were changed after signing")
        }
        // Other trailer entries mean nothing to PDF readers (some writers keep private data
        // there, e.g. LibreOffice's /AdditionalStreams, which PDFBox renumbers on every save).
        // A change is noted; a new object it refers to is caught by the accounting.
        let previous = revision - 1 == signed.revision ? old : document.revisions[revision - 1].trailer
        for key in Self.recentDiff(old: old, previous: previous, new: new, ignoring: Self.trailerBookkeeping) where new[key] != nil {
            emit(.other, allowed: true, object: nil,
                 "the trailer entry \(key), which PDF readers do not use, was \(old[key] == nil ? "added" : "changed")")
        }
    }

    /// Claims the catalog, judges it if this revision rewrites it, and returns its value.
    mutating func reviewCatalog() -> (reference: PDFReference, dictionary: PDFDictionary)? {
        guard case .reference(let root)? = view.trailer[.root] else {
            emit(.catalog, allowed: false, object: nil, "the trailer has no document catalog (/Root)")
            return nil
        }
        claim(.reference(root), at: ObjectPosition(nil, "/Root"), .catalog)
        guard let value = current(root) else { return nil }
        guard let catalog = value.dictionaryValue, case .dictionary = value else {
            emit(.catalog, allowed: false, object: root.number, "the document catalog \(root) is not a dictionary")
            return nil
        }
        guard isWritten(root.number) else { return (root, catalog) }
        guard root == signed.catalogReference, let old = signed.catalog else {
            // A different catalog object: the trailer judge reported it; an existing object
            // reused as the catalog is caught by the accounting.
            return (root, catalog)
        }
        for key in Self.recentDiff(old: old, previous: previous(root)?.dictionaryValue, new: catalog, ignoring: Self.catalogAllowed) {
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
        return !ObjectEquivalence.equal(previousCatalog?[key], catalog.dictionary[key])
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
        let entryChanged = !ObjectEquivalence.equal(document.revisions[revision - 1].trailer[.info], new)
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
        if ObjectEquivalence.equal(resolveOriginal(old), value) { return }
        let changed = ObjectEquivalence.differingKeys(resolveOriginal(old)?.dictionaryValue, dict).map(\.description)
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

    // MARK: Extensions

    mutating func reviewExtensions(_ catalog: (reference: PDFReference, dictionary: PDFDictionary)) {
        let key = PDFName("Extensions")
        let new = catalog.dictionary[key]
        let holder = ObjectPosition(catalog.reference.number, "/Extensions")
        claim(new, at: holder, .extensions)
        claimContent(new, holder: ObjectPosition(catalog.reference.number, "/Extensions"), .extensions, expandingTop: true)
        var written = catalogEntryChanged(key, catalog)
        var problems: [String] = []
        if let value = new {
            // Direct or indirect dictionary of developer extensions (ISO 32000-2 §7.12):
            // each a dictionary, or an array of dictionaries, of simple values.
            if let ref = value.referenceValue, isWritten(ref.number) { written = true }
            if let extensions = resolveCurrent(value)?.dictionaryValue, case .dictionary? = resolveCurrent(value) {
                for (prefix, entry) in extensions.entries {
                    if let ref = entry.referenceValue, isWritten(ref.number) { written = true }
                    guard let resolved = resolveCurrent(entry) else { continue }
                    let items: [PDFObject] = resolved.arrayValue ?? [resolved]
                    for item in items {
                        if let ref = item.referenceValue, isWritten(ref.number) { written = true }
                        guard case .dictionary(let dict)? = resolveCurrent(item) else {
                            problems.append("\(prefix) is not a dictionary")
                            continue
                        }
                        for (name, field) in dict.entries {
                            switch resolveCurrent(field) {
                            case .name?, .integer?, .real?, .string?, .boolean?, .null?: break
                            default: problems.append("\(prefix) \(name) is not a simple value")
                            }
                        }
                    }
                }
            } else {
                problems.append("it is not a dictionary")
            }
        }
        guard written else { return }
        if problems.isEmpty {
            emit(.extensions, allowed: true, object: catalog.reference.number,
                 new == nil ? "the developer extensions (/Extensions) were removed from the catalog"
                            : "the developer extensions (/Extensions, e.g. ESIC for PAdES) of the catalog were updated")
        } else {
            emit(.extensions, allowed: false, object: catalog.reference.number,
                 "the catalog's /Extensions were changed into something other than developer extension entries: \(problems.joined(separator: "; "))")
        }
    }
}
