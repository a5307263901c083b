/// Compares PDF values by what a reader sees, not by how they were written, across two
/// revisions of one document (the left value read as of `left`, the right one as of `right`).
///
/// - Numbers compare by numeric value: `612`, `612.0` and `+612.` are equal.
/// - Names compare by their decoded bytes (`/A#42` is `/AB`), strings by their bytes
///   whether written literal or hex.
/// - Dictionaries compare as maps: key order does not matter and a `null` value is the same
///   as an absent key.
/// - Streams compare by dictionary and data. `/Length` is ignored; when the encoded bytes or
///   the filters differ, the data is compared decoded, so `/Filter`, `/DecodeParms` and `/DL`
///   are then ignored too (a stream re-compressed, or written uncompressed, is equal).
///   Data that cannot be decoded is only equal byte for byte.
/// - Two references to the same object number and generation are equal without looking at
///   the target (what the target became is the caller's business). Otherwise a reference is
///   compared by what it resolves to: a direct value moved into an indirect object, or an
///   object renumbered, is equal to the original. A reference to a missing or free object is
///   equal only to the same reference.
///
/// Cycles are handled (a pair of references met again while being compared is assumed
/// equal); depth and the number of references followed are bounded, and a comparison that
/// runs past a bound, or that cannot read an object, says "not equal".
///
/// ```swift
/// let comparison = PDFValueComparison(document: document, left: 1, right: 2)
/// var followed: [PDFValueComparison.FollowedReference] = []
/// if comparison.equal(old, new, followed: &followed) { ... }
/// ```
public struct PDFValueComparison: Sendable {
    /// A reference on the right side whose target was compared by content (because the
    /// left side had another reference or a direct value there).
    public struct FollowedReference: Sendable, Hashable {
        /// The reference followed.
        public let reference: PDFReference
        /// The right-side object the reference sits in; nil for the value passed to `equal`.
        public let holder: PDFReference?
        /// The path from the holder's value to the reference, as keys and array slots
        /// (`/Resources/Font/F1`, `/Kids[]`; array slots are not numbered).
        public let path: String
    }

    /// The document both values belong to.
    public let document: PDFDocument
    /// The revision the left values are read as of.
    public let left: Int
    /// The revision the right values are read as of.
    public let right: Int
    /// How deep values may nest before the comparison gives up (not equal).
    public var maxDepth = 64
    /// How many references one comparison may follow before it gives up (not equal).
    public var maxFollowed = 4_096

    /// A comparison of values of revision `left` with values of revision `right` of `document`.
    public init(document: PDFDocument, left: Int, right: Int) {
        self.document = document
        self.left = left
        self.right = right
    }

    /// Whether `a` (left) and `b` (right) have the same value; `nil` is the same as `null`.
    public func equal(_ a: PDFObject?, _ b: PDFObject?) -> Bool {
        var followed: [FollowedReference] = []
        return equal(a, b, followed: &followed)
    }

    /// Whether `a` (left) and `b` (right) have the same value. When they do, the right-side
    /// references whose targets were compared by content are appended to `followed`.
    public func equal(_ a: PDFObject?, _ b: PDFObject?, followed: inout [FollowedReference]) -> Bool {
        var run = Run(comparison: self)
        guard run.equal(a ?? .null, b ?? .null, holder: nil, path: "", depth: 0) else { return false }
        followed += run.followed
        return true
    }

    /// The keys whose values differ between the dictionaries `a` (left) and `b` (right),
    /// sorted; a key present in one only differs unless its value is `null`.
    public func differingKeys(_ a: PDFDictionary?, _ b: PDFDictionary?, ignoring: Set<PDFName> = []) -> [PDFName] {
        let left = a ?? PDFDictionary(), right = b ?? PDFDictionary()
        var keys = Set<PDFName>()
        for (key, value) in left.entries where !value.isNull { keys.insert(key) }
        for (key, value) in right.entries where !value.isNull { keys.insert(key) }
        return keys.subtracting(ignoring).filter { !equal(left[$0], right[$0]) }.sorted()
    }
}

extension PDFValueComparison {
    /// The state of one comparison.
    private struct Run {
        let comparison: PDFValueComparison
        var followed: [FollowedReference] = []
        /// Reference pairs being (or already) compared: met again, they are assumed equal.
        var assumed = Set<Pair>()
        var budget: Int

        struct Pair: Hashable {
            let left: PDFReference?
            let right: PDFReference?
        }

        init(comparison: PDFValueComparison) {
            self.comparison = comparison
            budget = comparison.maxFollowed
        }

        /// Keys of a stream dictionary that only say how the data is encoded.
        static let encodingKeys: Set<PDFName> = [.length, .filter, .decodeParms, PDFName("DL")]

        mutating func equal(_ a: PDFObject, _ b: PDFObject, holder: PDFReference?, path: String, depth: Int) -> Bool {
            if a == b { return true }
            guard depth < comparison.maxDepth else { return false }
            switch (a, b) {
            case (.reference, _), (_, .reference):
                return equalResolving(a, b, holder: holder, path: path, depth: depth)
            case let (.integer(x), .real(y)):
                return Double(x) == y.value
            case let (.real(x), .integer(y)):
                return x.value == Double(y)
            case let (.array(x), .array(y)):
                guard x.count == y.count else { return false }
                for (left, right) in zip(x, y) where !equal(left, right, holder: holder, path: path + "[]", depth: depth + 1) { return false }
                return true
            case let (.dictionary(x), .dictionary(y)):
                return equalEntries(x, y, ignoring: [], holder: holder, path: path, depth: depth)
            case let (.stream(x), .stream(y)):
                return equalStreams(x, y, holder: holder, path: path, depth: depth)
            default:
                return false
            }
        }

        /// At least one side is a reference (and they are not the same reference).
        private mutating func equalResolving(_ a: PDFObject, _ b: PDFObject, holder: PDFReference?, path: String, depth: Int) -> Bool {
            let pair = Pair(left: a.referenceValue, right: b.referenceValue)
            if pair.left != nil && pair.right != nil {
                guard assumed.insert(pair).inserted else { return true }
            }
            guard budget > 0 else { return false }
            budget -= 1
            guard let left = try? comparison.document.resolve(a, asOf: comparison.left),
                  let right = try? comparison.document.resolve(b, asOf: comparison.right) else { return false }
            // A reference to nothing is null to a reader, but equal only to itself here: an
            // object defined there later would change what the value shows.
            if left.isNull || right.isNull { return false }
            if case .reference(let ref) = b {
                followed.append(FollowedReference(reference: ref, holder: holder, path: path))
                return equal(left, right, holder: ref, path: "", depth: depth + 1)
            }
            return equal(left, right, holder: holder, path: path, depth: depth + 1)
        }

        private mutating func equalEntries(
            _ x: PDFDictionary, _ y: PDFDictionary, ignoring: Set<PDFName>, holder: PDFReference?, path: String, depth: Int
        ) -> Bool {
            var left: [PDFName: PDFObject] = [:], right: [PDFName: PDFObject] = [:]
            for (key, value) in x.entries where !value.isNull && !ignoring.contains(key) { left[key] = value }
            for (key, value) in y.entries where !value.isNull && !ignoring.contains(key) { right[key] = value }
            guard left.count == right.count else { return false }
            for (key, value) in right {
                guard let other = left[key], equal(other, value, holder: holder, path: path + key.description, depth: depth + 1) else { return false }
            }
            return true
        }

        private mutating func equalStreams(_ x: PDFStream, _ y: PDFStream, holder: PDFReference?, path: String, depth: Int) -> Bool {
            guard equalEntries(x.dictionary, y.dictionary, ignoring: Self.encodingKeys, holder: holder, path: path, depth: depth) else { return false }
            if x.rawData.elementsEqual(y.rawData) {
                var encodingOnly = Self.encodingKeys
                encodingOnly.remove(.length)
                let leftEncoding = PDFDictionary(x.dictionary.entries.filter { encodingOnly.contains($0.key) }.map { ($0.key, $0.value) })
                let rightEncoding = PDFDictionary(y.dictionary.entries.filter { encodingOnly.contains($0.key) }.map { ($0.key, $0.value) })
                if equalEntries(leftEncoding, rightEncoding, ignoring: [], holder: holder, path: path, depth: depth) { return true }
            }
            guard let left = try? comparison.document.decodedData(of: x, asOf: comparison.left),
                  let right = try? comparison.document.decodedData(of: y, asOf: comparison.right) else { return false }
            return left == right
        }
    }
}
