import SignetPDF

/// Where a reference sits: in the trailer or inside an indirect object, at a path of keys
/// and array slots from that object's value (`/AP/N`, `/Kids[]`, `[]` for an element of
/// an array object). Array slots are not numbered: a position stands for every element.
struct ObjectPosition: Hashable, Sendable, CustomStringConvertible {
    /// The object holding the reference; nil for the trailer.
    let parent: Int?
    /// The path inside the parent's value.
    let path: String

    init(_ parent: Int?, _ path: String) {
        self.parent = parent
        self.path = path
    }

    /// This position extended by a dictionary key.
    func appending(_ key: PDFName) -> ObjectPosition { ObjectPosition(parent, path + key.description) }

    /// This position extended by an array slot.
    var element: ObjectPosition { ObjectPosition(parent, path + "[]") }

    var description: String {
        (parent.map { "\($0) 0 R" } ?? "trailer") + (path.isEmpty ? "" : " \(path)")
    }
}

extension PDFObject {
    /// The values at `path` (as built by `forEachReference`) inside this value, without
    /// resolving references. `[]` yields every element of an array.
    func values(at path: String) -> [PDFObject] {
        var current: [PDFObject] = [self]
        var rest = Substring(path)
        while !rest.isEmpty {
            if rest.hasPrefix("[]") {
                rest = rest.dropFirst(2)
                current = current.flatMap { $0.arrayValue ?? [] }
            } else if rest.hasPrefix("/") {
                // A name runs to the next "/" or "[]" (names written by PDFName.description
                // escape "/" and "[" as #xx, so this split is unambiguous).
                var end = rest.index(after: rest.startIndex)
                while end < rest.endIndex && rest[end] != "/" && rest[end] != "[" { end = rest.index(after: end) }
                let token = rest[rest.startIndex..<end]
                rest = rest[end...]
                current = current.compactMap { value in
                    value.dictionaryValue?.entries.first { $0.key.description == token }?.value
                }
            } else {
                return []
            }
        }
        return current
    }

    /// Whether the value at `path` is, or contains (for `[]`), a reference to object `number`.
    func references(_ number: Int, at path: String) -> Bool {
        values(at: path).contains { $0.referenceValue?.number == number }
    }
}

extension PDFObject {
    /// Every reference directly inside this value (through nested arrays and dictionaries,
    /// and a stream's dictionary), with the path from the value to it: `/AP/N`, `/Kids[]`.
    func forEachReference(path: String = "", _ body: (PDFReference, String) -> Void) {
        switch self {
        case .reference(let ref): body(ref, path)
        case .array(let items):
            for item in items { item.forEachReference(path: path + "[]", body) }
        case .dictionary(let dict):
            for (key, value) in dict.entries { value.forEachReference(path: path + key.description, body) }
        case .stream(let stream):
            for (key, value) in stream.dictionary.entries { value.forEachReference(path: path + key.description, body) }
        default: break
        }
    }
}
