import SignetPDF

/// What the signed revision is made of, for judging later changes: every object reachable
/// from its trailer (with where it was first found, for messages), where the objects that
/// later revisions rewrite were referenced, its pages, form fields, annotations and
/// signature dictionaries.
struct SignedRevisionIndex {
    let revision: Int
    let trailer: PDFDictionary
    let catalogReference: PDFReference?
    let catalog: PDFDictionary?
    /// Every object number reachable from the trailer (including references to objects that
    /// do not exist at this revision), with the first position it was found at.
    private(set) var discovered: [Int: ObjectPosition] = [:]
    /// For the numbers in `watched`: every position referring to them.
    private(set) var usages: [Int: [ObjectPosition]] = [:]
    /// How many positions refer to each object (counted for every object reached).
    private(set) var referenceCounts: [Int: Int] = [:]
    /// A second position referring to an object, for objects referred to more than once.
    private(set) var secondPositions: [Int: ObjectPosition] = [:]
    /// Pages by object number → 0-based index.
    private(set) var pageIndex: [Int: Int] = [:]
    private(set) var pages: [PDFReference] = []
    /// Annotations listed in a page's `/Annots` → 0-based page index.
    private(set) var annotationPage: [Int: Int] = [:]
    /// Page tree nodes (`/Pages`), by object number.
    private(set) var pageTreeNodes: Set<Int> = []
    private(set) var form = FormTree()
    /// Signature dictionaries (the `/V` of signature fields) → field name.
    private(set) var signatureDictionaries: [Int: String] = [:]
    /// The `/Contents` of every signature dictionary.
    private(set) var signatureContents: Set<[UInt8]> = []
    /// What could not be read (object, error) — the later analysis is then incomplete.
    private(set) var problems: [String] = []

    /// Indexes revision `revision` of `document`, recording usages of the numbers in `watched`.
    init(document: PDFDocument, revision: Int, watched: Set<Int>) {
        self.revision = revision
        let view = (try? document.view(revision: revision)) ?? document.current
        trailer = view.trailer
        catalogReference = trailer[.root]?.referenceValue
        catalog = catalogReference.flatMap { try? document.object($0, asOf: revision).dictionaryValue }
        walk(document: document, watched: watched)
        readStructure(view: view)
    }

    /// Breadth-first over the object graph from the trailer. Stream data is not parsed
    /// (content streams name resources, they hold no object references).
    private mutating func walk(document: PDFDocument, watched: Set<Int>) {
        var queue: [(PDFReference, PDFObject)] = []
        var head = 0
        func visit(_ value: PDFObject, holder: Int?) {
            value.forEachReference { ref, path in
                let position = ObjectPosition(holder, path)
                if watched.contains(ref.number) { usages[ref.number, default: []].append(position) }
                referenceCounts[ref.number, default: 0] += 1
                guard discovered[ref.number] == nil else {
                    if secondPositions[ref.number] == nil { secondPositions[ref.number] = position }
                    return
                }
                discovered[ref.number] = position
                do {
                    if let object = try document.indirectObject(ref, asOf: revision)?.object {
                        queue.append((ref, object))
                    }
                } catch {
                    problems.append("object \(ref) cannot be read: \(error)")
                }
            }
        }
        var root = trailer
        for key in [PDFName.prev, .size, .id, PDFName("XRefStm"), PDFName("W"), PDFName("Index")] { root[key] = nil }
        visit(.dictionary(root), holder: nil)
        while head < queue.count {
            let (ref, object) = queue[head]
            head += 1
            visit(object, holder: ref.number)
        }
    }

    private mutating func readStructure(view: PDFRevisionView) {
        do {
            let all = try view.pages()
            pages = all.map(\.reference)
            for page in all {
                pageIndex[page.reference.number] = page.index
                for annotation in (try? view.annotations(of: page)) ?? [] {
                    if let ref = annotation.referenceValue, annotationPage[ref.number] == nil { annotationPage[ref.number] = page.index }
                }
            }
            pageTreeNodes = Self.pageTreeNodes(view: view, catalog: catalog)
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
                if let contents = (try? view.dictionary(value))?[.contents]?.stringValue?.bytes { signatureContents.insert(contents) }
            }
        } catch {
            problems.append("the form cannot be read: \(error)")
        }
    }

    /// The intermediate `/Pages` nodes.
    static func pageTreeNodes(view: PDFRevisionView, catalog: PDFDictionary?) -> Set<Int> {
        var nodes = Set<Int>()
        var stack: [PDFObject] = catalog?[PDFName("Pages")].map { [$0] } ?? []
        while let item = stack.popLast(), nodes.count < 1_000_000 {
            guard let ref = item.referenceValue, !nodes.contains(ref.number),
                  let dict = try? view.dictionary(item) else { continue }
            guard dict.type == PDFName("Pages") || (dict.type == nil && dict[.kids] != nil) else { continue }
            nodes.insert(ref.number)
            stack.append(contentsOf: (try? view.array(dict[.kids])) ?? [])
        }
        return nodes
    }

    /// Whether `number` is part of the signed document (reachable from its trailer).
    func isSigned(_ number: Int) -> Bool { discovered[number] != nil }

    /// How many places of the signed document refer to `number`.
    func referenceCount(_ number: Int) -> Int { referenceCounts[number] ?? 0 }

    /// A place referring to `number` that is not inside object `holder`.
    func otherPosition(of number: Int, besides holder: Int) -> ObjectPosition? {
        [discovered[number], secondPositions[number]].compactMap { $0 }.first { $0.parent != holder }
    }
}
