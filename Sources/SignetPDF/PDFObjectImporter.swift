/// Copies object graphs from another document into an update, renumbering every indirect
/// object it reaches.
///
/// Page-tree nodes (`/Type /Page` or `/Pages`) reached through references are replaced by
/// `null`, so importing resources never drags in the source's page tree.
public struct PDFObjectImporter {
    /// The document objects are copied from.
    public let source: PDFDocument
    /// Source reference → reference in the update, for everything copied so far.
    public private(set) var mapping: [PDFReference: PDFReference] = [:]

    /// An importer from `source`. Throws `PDFError.encrypted` for encrypted sources.
    public init(source: PDFDocument) throws {
        try source.requireUnencrypted()
        self.source = source
    }

    /// Copies `object` (from the source's current revision) into `update`: every reference
    /// it reaches, directly or through other objects, is copied once and renumbered. Returns
    /// the copy of `object` itself (with references rewritten).
    public mutating func importObject(_ object: PDFObject, into update: inout PDFIncrementalUpdate) throws -> PDFObject {
        var queue: [PDFReference] = []
        let copy = rewrite(object, update: &update, queue: &queue)
        while let ref = queue.popLast() {
            var value = try source.object(ref)
            if let type = value.dictionaryValue?.type, type == PDFName("Page") || type == PDFName("Pages") {
                value = .null
            }
            let rewritten = rewrite(value, update: &update, queue: &queue)
            try update.set(rewritten, for: mapping[ref]!)
        }
        return copy
    }

    /// Rewrites references in `object`, allocating numbers for ones not yet mapped.
    private mutating func rewrite(_ object: PDFObject, update: inout PDFIncrementalUpdate, queue: inout [PDFReference]) -> PDFObject {
        switch object {
        case .reference(let ref):
            if let mapped = mapping[ref] { return .reference(mapped) }
            let new = update.allocate()
            mapping[ref] = new
            queue.append(ref)
            return .reference(new)
        case .array(let items):
            return .array(items.map { rewrite($0, update: &update, queue: &queue) })
        case .dictionary(let dict):
            return .dictionary(PDFDictionary(dict.entries.map { ($0.key, rewrite($0.value, update: &update, queue: &queue)) }))
        case .stream(let stream):
            let dict = PDFDictionary(stream.dictionary.entries.map { ($0.key, rewrite($0.value, update: &update, queue: &queue)) })
            return .stream(PDFStream(dictionary: dict, rawData: stream.rawData))
        default:
            return object
        }
    }

    /// Adds page `pageIndex` of the source as a Form XObject (§8.10): `/BBox` from the page's
    /// media box, its (inherited) `/Resources` and `/Group` deep-copied, its content streams
    /// decoded, concatenated (separated by a newline) and re-compressed with Flate.
    /// Returns the XObject's reference in `update`.
    ///
    /// The page's `/Rotate` is not applied (Signet's seal pages are unrotated).
    public mutating func importPageAsFormXObject(pageIndex: Int = 0, into update: inout PDFIncrementalUpdate) throws -> PDFReference {
        let view = source.current
        let page = try view.page(at: pageIndex)
        guard let mediaBox = page.mediaBox else {
            throw PDFError.invalidPageTree(reason: "page \(pageIndex) has no valid /MediaBox", offset: nil)
        }
        var content: [UInt8] = []
        let contents = try view.resolve(page.dictionary[.contents] ?? .null)
        var streams: [PDFStream] = []
        switch contents {
        case .stream(let s): streams = [s]
        case .array(let items):
            for item in items {
                guard case .stream(let s) = try view.resolve(item) else {
                    throw PDFError.invalidStructure(reason: "page \(pageIndex) /Contents element is not a stream", offset: nil)
                }
                streams.append(s)
            }
        case .null: break
        default: throw PDFError.invalidStructure(reason: "page \(pageIndex) /Contents is a \(contents.typeName)", offset: nil)
        }
        for (i, s) in streams.enumerated() {
            if i > 0 { content.append(0x0A) }
            content += try source.decodedData(of: s)
        }
        var dict = PDFDictionary()
        dict[.type] = .name("XObject")
        dict[.subtype] = .name("Form")
        dict["BBox"] = mediaBox.object
        if let resources = page.resources {
            dict[.resources] = try importObject(resources, into: &update)
        } else {
            dict[.resources] = .dictionary(PDFDictionary())
        }
        if let group = page.dictionary["Group"] {
            dict["Group"] = try importObject(group, into: &update)
        }
        let stream = try PDFStream.flateEncoded(dictionary: dict, data: content)
        return update.add(.stream(stream))
    }
}
