/// The document as it stood at one revision: object lookups and document-level helpers
/// (catalog, info, pages, AcroForm) resolved with that revision's cumulative xref.
public struct PDFRevisionView: Sendable {
    /// The document.
    public let document: PDFDocument
    /// The revision index.
    public let revision: Int

    /// The revision's trailer.
    public var trailer: PDFDictionary { document.revisions[revision].trailer }

    /// The value of `reference` at this revision (`.null` when absent or free).
    public func object(_ reference: PDFReference) throws -> PDFObject { try document.object(reference, asOf: revision) }

    /// Follows references from `object` at this revision.
    public func resolve(_ object: PDFObject) throws -> PDFObject { try document.resolve(object, asOf: revision) }

    /// Resolves to a dictionary (a stream's dictionary counts), or nil.
    public func dictionary(_ object: PDFObject?) throws -> PDFDictionary? { try document.resolveDictionary(object, asOf: revision) }

    /// Resolves to an array, or nil.
    public func array(_ object: PDFObject?) throws -> [PDFObject]? { try document.resolveArray(object, asOf: revision) }

    /// The document catalog (`/Root`) and its reference.
    public func catalog() throws -> (reference: PDFReference, dictionary: PDFDictionary) {
        guard case .reference(let ref)? = trailer[.root] else {
            throw PDFError.invalidStructure(reason: "trailer /Root is missing or not a reference", offset: document.revisions[revision].sections[0].offset)
        }
        guard case .dictionary(let dict) = try object(ref) else {
            throw PDFError.invalidStructure(reason: "/Root \(ref) is not a dictionary", offset: nil)
        }
        return (ref, dict)
    }

    /// The document information dictionary (`/Info`), if present.
    public func info() throws -> (reference: PDFReference?, dictionary: PDFDictionary)? {
        guard let value = trailer[.info] else { return nil }
        guard let dict = try dictionary(value) else { return nil }
        return (value.referenceValue, dict)
    }

    /// The trailer's `/ID` pair, if present and well formed.
    public var documentID: (first: PDFString, second: PDFString)? {
        guard case .array(let items)? = trailer[.id], items.count == 2,
              case .string(let a) = items[0], case .string(let b) = items[1] else { return nil }
        return (a, b)
    }

    /// Every page in page-tree order, with inherited attributes.
    ///
    /// Throws `invalidPageTree` for a cycle, a kid that is not an indirect reference to a
    /// dictionary, or a tree deeper than `maxNestingDepth`. `/Count` is not trusted.
    public func pages() throws -> [PDFPage] {
        let root = try catalog().dictionary
        guard case .reference(let pagesRef)? = root[PDFName("Pages")] else {
            throw PDFError.invalidPageTree(reason: "catalog /Pages is missing or not a reference", offset: nil)
        }
        struct Inherited { var mediaBox: PDFObject?; var cropBox: PDFObject?; var rotate: PDFObject?; var resources: PDFObject? }
        var result: [PDFPage] = []
        var visited = Set<PDFReference>()
        // Depth-first, in order: a stack of (node, inherited, depth), kids pushed in reverse.
        var stack: [(PDFReference, Inherited, Int)] = [(pagesRef, Inherited(), 0)]
        while let (ref, inherited, depth) = stack.popLast() {
            guard visited.insert(ref).inserted else {
                throw PDFError.invalidPageTree(reason: "page tree visits \(ref) twice", offset: nil)
            }
            guard depth <= document.options.maxNestingDepth else {
                throw PDFError.invalidPageTree(reason: "page tree deeper than \(document.options.maxNestingDepth)", offset: nil)
            }
            guard case .dictionary(let node) = try object(ref) else {
                throw PDFError.invalidPageTree(reason: "page tree node \(ref) is not a dictionary", offset: nil)
            }
            var here = inherited
            if let v = node[PDFName("MediaBox")] { here.mediaBox = v }
            if let v = node[PDFName("CropBox")] { here.cropBox = v }
            if let v = node[PDFName("Rotate")] { here.rotate = v }
            if let v = node[.resources] { here.resources = v }
            let type = node.type
            if type == PDFName("Pages") || (type == nil && node[.kids] != nil) {
                guard let kids = try array(node[.kids]) else {
                    throw PDFError.invalidPageTree(reason: "/Kids of \(ref) is not an array", offset: nil)
                }
                for kid in kids.reversed() {
                    guard case .reference(let kidRef) = kid else {
                        throw PDFError.invalidPageTree(reason: "a kid of \(ref) is not an indirect reference", offset: nil)
                    }
                    stack.append((kidRef, here, depth + 1))
                }
            } else {
                let rotate = (try here.rotate.map { try resolve($0) })?.integerValue ?? 0
                let mediaBox = try here.mediaBox.map { try resolve($0) }
                let cropBox = try here.cropBox.map { try resolve($0) }
                result.append(PDFPage(
                    index: result.count, reference: ref, dictionary: node,
                    mediaBox: PDFRectangle(mediaBox), cropBox: PDFRectangle(cropBox),
                    rotation: ((rotate % 360) + 360) % 360 / 90 * 90, resources: here.resources))
            }
        }
        return result
    }

    /// The number of pages (walking the tree).
    public func pageCount() throws -> Int { try pages().count }

    /// The page at `index` (0-based).
    public func page(at index: Int) throws -> PDFPage {
        let all = try pages()
        guard index >= 0 && index < all.count else {
            throw PDFError.invalidPageTree(reason: "page index \(index) out of range (\(all.count) pages)", offset: nil)
        }
        return all[index]
    }

    /// The interactive form dictionary (`/AcroForm` of the catalog), with its reference if indirect.
    public func acroForm() throws -> (reference: PDFReference?, dictionary: PDFDictionary)? {
        guard let value = try catalog().dictionary[PDFName("AcroForm")] else { return nil }
        guard let dict = try dictionary(value) else { return nil }
        return (value.referenceValue, dict)
    }

    /// The AcroForm's top-level `/Fields` entries (usually references), empty without a form.
    public func formFields() throws -> [PDFObject] {
        guard let form = try acroForm() else { return [] }
        return try array(form.dictionary[PDFName("Fields")]) ?? []
    }

    /// Every field in the form, depth-first through `/Kids`, as (reference, dictionary, fully
    /// qualified name). Cycles end the walk with `invalidStructure`.
    public func allFormFields() throws -> [(reference: PDFReference?, dictionary: PDFDictionary, name: String)] {
        var result: [(PDFReference?, PDFDictionary, String)] = []
        var visited = Set<PDFReference>()
        var stack: [(PDFObject, String)] = try formFields().reversed().map { ($0, "") }
        while let (item, parentName) = stack.popLast() {
            if case .reference(let ref) = item {
                guard visited.insert(ref).inserted else {
                    throw PDFError.invalidStructure(reason: "form field tree visits \(ref) twice", offset: nil)
                }
            }
            guard let dict = try dictionary(item) else { continue }
            let partial = dict[PDFName("T")]?.stringValue?.text
            let name = [parentName, partial ?? ""].filter { !$0.isEmpty }.joined(separator: ".")
            result.append((item.referenceValue, dict, name))
            if let kids = try array(dict[.kids]) {
                for kid in kids.reversed() { stack.append((kid, name)) }
            }
        }
        return result
    }

    /// The `/Annots` entries of `page` (usually references), empty if none.
    public func annotations(of page: PDFPage) throws -> [PDFObject] {
        try array(page.dictionary[PDFName("Annots")]) ?? []
    }
}

extension PDFDocument {
    /// The document as of revision `index`.
    public func view(revision index: Int) throws -> PDFRevisionView {
        PDFRevisionView(document: self, revision: try revisionIndex(index))
    }

    /// The document as of its current revision.
    public var current: PDFRevisionView { PDFRevisionView(document: self, revision: revisions.count - 1) }
}
