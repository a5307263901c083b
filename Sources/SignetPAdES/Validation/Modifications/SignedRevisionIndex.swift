import SignetCrypto
import SignetPDF

/// What the signed revision is made of, for judging later changes: every object reachable
/// from its trailer (with where it was first found, for messages), where the objects that
/// later revisions rewrite were referenced, its pages, form fields, annotations and
/// signature dictionaries.
struct SignedRevisionIndex {
    let revision: Int
    let document: PDFDocument
    let trailer: PDFDictionary
    let catalogReference: PDFReference?
    let catalog: PDFDictionary?
    /// Every object number reachable from the trailer (including references to objects that
    /// do not exist at this revision), with the holder it was first found in (-1: the trailer).
    private var firstHolder: [Int: Int] = [:]
    /// For objects referred to from more than one place: a second holder.
    private var secondHolder: [Int: Int] = [:]
    /// For objects referred to from more than two holders: the others.
    private var moreHolders: [Int: [Int]] = [:]
    /// For the numbers in `watched`: every position referring to them.
    private(set) var usages: [Int: [ObjectPosition]] = [:]
    /// Pages by object number → 0-based index.
    private(set) var pageIndex: [Int: Int] = [:]
    private(set) var pages: [PDFReference] = []
    /// Annotations listed in a page's `/Annots` → 0-based page index.
    private(set) var annotationPage: [Int: Int] = [:]
    /// Page tree nodes (`/Pages`), by object number.
    private(set) var pageTreeNodes: Set<Int> = []
    /// The nodes and their indirect `/Kids` arrays: if none of them changes, neither do the
    /// pages or what they inherit.
    private(set) var pageTreeObjects: Set<Int> = []
    /// Where each page is listed (its node's `/Kids`).
    private(set) var pagePositions: [Int: ObjectPosition] = [:]
    /// Pages whose `/Annots` is an indirect array → that array.
    private(set) var annotationArrays: [Int: Int] = [:]
    private(set) var form = FormTree()
    /// Signature dictionaries (the `/V` of signature fields) → field name.
    private(set) var signatureDictionaries: [Int: String] = [:]
    /// The `/Contents` of every signature dictionary.
    private(set) var signatureContents: Set<ByteKey> = []
    /// What could not be read (object, error) — the later analysis is then incomplete.
    private(set) var problems: [String] = []

    /// Indexes revision `revision` of `document`, recording usages of the numbers in `watched`.
    init(document: PDFDocument, revision: Int, watched: Set<Int>) {
        self.revision = revision
        self.document = document
        let view = (try? document.view(revision: revision)) ?? document.current
        trailer = view.trailer
        catalogReference = trailer[.root]?.referenceValue
        catalog = catalogReference.flatMap { try? document.object($0, asOf: revision).dictionaryValue }
        walk(watched: watched)
        readStructure(view: view)
    }

    /// Breadth-first over the object graph from the trailer. Stream data is not parsed
    /// (content streams name resources, they hold no object references). Paths are worked
    /// out only for references to watched objects (and later, on demand, for messages).
    private mutating func walk(watched: Set<Int>) {
        var queue: [(Int, PDFObject)] = []
        var head = 0
        var found: [PDFReference] = []
        func visit(_ value: PDFObject, holder: Int) {
            found.removeAll(keepingCapacity: true)
            value.collectReferences(into: &found)
            var watchedHere = false
            for ref in found {
                if watched.contains(ref.number) { watchedHere = true }
                if let first = firstHolder[ref.number] {
                    if first != holder {
                        if let second = secondHolder[ref.number] {
                            if second != holder && moreHolders[ref.number]?.last != holder { moreHolders[ref.number, default: []].append(holder) }
                        } else {
                            secondHolder[ref.number] = holder
                        }
                    }
                    continue
                }
                firstHolder[ref.number] = holder
                do {
                    if let object = try document.indirectObject(ref, asOf: revision)?.object { queue.append((ref.number, object)) }
                } catch {
                    problems.append("object \(ref) cannot be read: \(error)")
                }
            }
            if watchedHere {
                value.forEachReference { ref, path in
                    if watched.contains(ref.number) { usages[ref.number, default: []].append(ObjectPosition(holder < 0 ? nil : holder, path)) }
                }
            }
        }
        var root = trailer
        for key in [PDFName.prev, .size, .id, PDFName("XRefStm"), PDFName("W"), PDFName("Index")] { root[key] = nil }
        visit(.dictionary(root), holder: -1)
        while head < queue.count {
            let (number, object) = queue[head]
            head += 1
            visit(object, holder: number)
        }
    }

    private mutating func readStructure(view: PDFRevisionView) {
        do {
            try readPageTree(view: view)
        } catch {
            problems.append("the page tree cannot be read: \(error)")
        }
        guard let catalogReference else { return }
        do {
            form = try FormTree.read(view: view, acroForm: catalog?[PDFName("AcroForm")],
                                     formPosition: ObjectPosition(catalogReference.number, "/AcroForm"), limit: 100_000)
            problems += form.problems
            for field in form.fields where field.isSignature {
                guard let value = field.value, let ref = value.referenceValue else { continue }
                signatureDictionaries[ref.number] = field.label
                if let contents = (try? view.dictionary(value))?[.contents]?.stringValue?.bytes { signatureContents.insert(ByteKey(contents)) }
            }
        } catch {
            problems.append("the form cannot be read: \(error)")
        }
    }

    /// One walk of the page tree, as strict as `PDFRevisionView.pages()` (a cycle, or a kid
    /// that is not a reference to a dictionary, is an error): the pages in order, the
    /// intermediate nodes and their indirect `/Kids` arrays, and the annotations of each page.
    private mutating func readPageTree(view: PDFRevisionView) throws {
        guard case .reference(let root)? = catalog?[PDFName("Pages")] else {
            throw PDFError.invalidPageTree(reason: "catalog /Pages is missing or not a reference", offset: nil)
        }
        var visited = Set<Int>()
        var stack: [(PDFReference, ObjectPosition, Int)] = [(root, ObjectPosition(catalogReference?.number, "/Pages"), 0)]
        while let (ref, position, depth) = stack.popLast() {
            guard visited.insert(ref.number).inserted else { throw PDFError.invalidPageTree(reason: "page tree visits \(ref) twice", offset: nil) }
            guard depth <= document.options.maxNestingDepth else { throw PDFError.invalidPageTree(reason: "page tree too deep", offset: nil) }
            guard case .dictionary(let node) = try view.object(ref) else {
                throw PDFError.invalidPageTree(reason: "page tree node \(ref) is not a dictionary", offset: nil)
            }
            let type = node.type
            if type == PDFName("Pages") || (type == nil && node[.kids] != nil) {
                pageTreeNodes.insert(ref.number)
                pageTreeObjects.insert(ref.number)
                let kidsValue = node[.kids]
                if let kids = kidsValue?.referenceValue { pageTreeObjects.insert(kids.number) }
                guard let kids = try view.array(kidsValue) else { throw PDFError.invalidPageTree(reason: "/Kids of \(ref) is not an array", offset: nil) }
                let kidsPosition = kidsValue?.referenceValue.map { ObjectPosition($0.number, "[]") } ?? ObjectPosition(ref.number, "/Kids[]")
                for kid in kids.reversed() {
                    guard case .reference(let kidRef) = kid else { throw PDFError.invalidPageTree(reason: "a kid of \(ref) is not an indirect reference", offset: nil) }
                    stack.append((kidRef, kidsPosition, depth + 1))
                }
            } else {
                let index = pages.count
                pages.append(ref)
                pageIndex[ref.number] = index
                pagePositions[ref.number] = position
                if let annotations = node[PDFName("Annots")]?.referenceValue { annotationArrays[ref.number] = annotations.number }
                for annotation in (try? view.array(node[PDFName("Annots")])) ?? [] {
                    if let annotationRef = annotation.referenceValue, annotationPage[annotationRef.number] == nil { annotationPage[annotationRef.number] = index }
                }
            }
        }
    }

    /// Whether `number` is part of the signed document (reachable from its trailer).
    func isSigned(_ number: Int) -> Bool { firstHolder[number] != nil }

    /// Whether more than one object (or the trailer and an object) of the signed document refers to `number`.
    func isShared(_ number: Int) -> Bool { secondHolder[number] != nil }

    /// Where `number` was first found: the holder and the path in it.
    func discoveredPosition(of number: Int) -> ObjectPosition? {
        guard let holder = firstHolder[number] else { return nil }
        return position(of: number, in: holder)
    }

    /// Every place of the signed revision that refers to `number` (each path inside each
    /// holder; array slots are not numbered, so a holder referring to it from two elements
    /// of one array gives that position twice).
    func positions(of number: Int) -> [ObjectPosition] {
        guard let first = firstHolder[number] else { return [] }
        var result: [ObjectPosition] = []
        for holder in [first] + [secondHolder[number]].compactMap({ $0 }) + (moreHolders[number] ?? []) {
            holderValue(holder).forEachReference { ref, path in
                if ref.number == number { result.append(ObjectPosition(holder < 0 ? nil : holder, path)) }
            }
        }
        return result
    }

    /// The value of object `holder` in the signed revision (-1: the trailer); null if unreadable.
    private func holderValue(_ holder: Int) -> PDFObject {
        if holder < 0 { return .dictionary(trailer) }
        let generation = (try? document.xrefEntry(for: holder, asOf: revision))?.entry.generation ?? 0
        return (try? document.object(PDFReference(holder, generation), asOf: revision)) ?? .null
    }

    /// A place referring to `number` that is not inside object `holder`.
    func otherPosition(of number: Int, besides holder: Int) -> ObjectPosition? {
        for candidate in [firstHolder[number], secondHolder[number]].compactMap({ $0 }) where candidate != holder {
            return position(of: number, in: candidate)
        }
        return nil
    }

    /// The first path inside `holder` (-1: the trailer) that refers to `number`.
    private func position(of number: Int, in holder: Int) -> ObjectPosition {
        var path: String?
        holderValue(holder).forEachReference { ref, found in if path == nil && ref.number == number { path = found } }
        return ObjectPosition(holder < 0 ? nil : holder, path ?? "")
    }
}

extension PDFObject {
    /// Appends every reference directly inside this value (through nested arrays and
    /// dictionaries, and a stream's dictionary) to `references`.
    func collectReferences(into references: inout [PDFReference]) {
        switch self {
        case .reference(let ref): references.append(ref)
        case .array(let items): for item in items { item.collectReferences(into: &references) }
        case .dictionary(let dict): for entry in dict.entries { entry.value.collectReferences(into: &references) }
        case .stream(let stream): for entry in stream.dictionary.entries { entry.value.collectReferences(into: &references) }
        default: break
        }
    }
}
