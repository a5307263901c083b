import SignetPDF

/// Semantic equality of PDF objects for comparing revisions: what a reader would see, not
/// how it was written.
///
/// Dictionaries compare as maps (key order ignored, a `null` value counts as absent),
/// streams by dictionary (without `/Length`, which may move between direct and indirect)
/// and raw bytes. References compare by number and generation, not by target: a
/// re-pointed reference is a change even if the targets happen to be equal.
enum ObjectEquivalence {
    static func equal(_ a: PDFObject?, _ b: PDFObject?) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case (nil, .null?), (.null?, nil): return true
        case (nil, _), (_, nil): return false
        case let (x?, y?): return equal(x, y)
        }
    }

    static func equal(_ a: PDFObject, _ b: PDFObject) -> Bool {
        switch (a, b) {
        case let (.dictionary(x), .dictionary(y)):
            return equal(x, y, ignoring: [])
        case let (.stream(x), .stream(y)):
            return x.rawData.elementsEqual(y.rawData) && equal(x.dictionary, y.dictionary, ignoring: [.length])
        case let (.array(x), .array(y)):
            return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        default:
            return a == b
        }
    }

    /// Whether two dictionaries hold the same entries, `ignoring` some keys.
    static func equal(_ a: PDFDictionary, _ b: PDFDictionary, ignoring: Set<PDFName>) -> Bool {
        differingKeys(a, b, ignoring: ignoring).isEmpty
    }

    /// The keys whose values differ (present in one only, or different), sorted.
    static func differingKeys(_ a: PDFDictionary?, _ b: PDFDictionary?, ignoring: Set<PDFName> = []) -> [PDFName] {
        let left = a ?? PDFDictionary(), right = b ?? PDFDictionary()
        var keys = Set<PDFName>()
        for (key, value) in left.entries where !value.isNull { keys.insert(key) }
        for (key, value) in right.entries where !value.isNull { keys.insert(key) }
        return keys.subtracting(ignoring).filter { !equal(left[$0], right[$0]) }.sorted()
    }
}

extension PDFObject {
    /// The entries of a dictionary or of a stream's dictionary.
    var dictionaryOrStreamDictionary: PDFDictionary? { dictionaryValue }

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
