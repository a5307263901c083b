/// A PDF name (ISO 32000-2 §7.3.5): the bytes after the solidus, with `#xx` escapes decoded.
///
/// Names are compared byte for byte. `PDFName("Type")` and the literal `"Type"` build the
/// name `/Type`.
public struct PDFName: Sendable, Hashable, Comparable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The decoded bytes of the name (without the leading `/`).
    public var bytes: [UInt8]

    /// A name from its decoded bytes.
    public init(bytes: [UInt8]) { self.bytes = bytes }

    /// A name from a Swift string (its UTF-8 bytes).
    public init(_ string: String) { self.bytes = Array(string.utf8) }

    /// A name from a string literal (its UTF-8 bytes): `"Type"` is `/Type`.
    public init(stringLiteral value: String) { self.init(value) }

    /// The name as a Swift string (UTF-8, invalid sequences repaired), without the `/`.
    public var string: String { String(decoding: bytes, as: UTF8.self) }

    /// `/Name`, with `#xx` escapes where needed.
    public var description: String { PDFSerializer.string(.name(self)) }

    /// Byte-wise lexicographic order, for a stable key order when writing.
    public static func < (lhs: PDFName, rhs: PDFName) -> Bool { lhs.bytes.lexicographicallyPrecedes(rhs.bytes) }

    /// Hashes the bytes as one block: every dictionary lookup hashes a name, and the
    /// synthesized conformance would feed `[UInt8]` to the hasher one byte at a time.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(bytes.count)
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}

extension PDFName {
    /// `/Type`: the kind of object a dictionary describes.
    public static let type: PDFName = "Type"
    /// `/Subtype`: the subkind within a `/Type` (e.g. `/Widget` of an annotation).
    public static let subtype: PDFName = "Subtype"
    /// `/Length`: a stream's raw data length in bytes.
    public static let length: PDFName = "Length"
    /// `/Filter`: a stream's filter name or array of names.
    public static let filter: PDFName = "Filter"
    /// `/DecodeParms`: parameters of a stream's filters.
    public static let decodeParms: PDFName = "DecodeParms"
    /// `/Root`: the trailer's reference to the document catalog.
    public static let root: PDFName = "Root"
    /// `/Info`: the trailer's reference to the document information dictionary.
    public static let info: PDFName = "Info"
    /// `/ID`: the trailer's pair of file identifiers.
    public static let id: PDFName = "ID"
    /// `/Size`: the trailer's count of object numbers (highest + 1).
    public static let size: PDFName = "Size"
    /// `/Prev`: the byte offset of the previous cross-reference section.
    public static let prev: PDFName = "Prev"
    /// `/Encrypt`: the trailer's encryption dictionary (Signet refuses encrypted files).
    public static let encrypt: PDFName = "Encrypt"
    /// `/Kids`: a page-tree node's children.
    public static let kids: PDFName = "Kids"
    /// `/Parent`: a page or field's parent node.
    public static let parent: PDFName = "Parent"
    /// `/Contents`: a page's content streams, or a signature's CMS bytes.
    public static let contents: PDFName = "Contents"
    /// `/Resources`: the fonts, images and other resources a content stream uses.
    public static let resources: PDFName = "Resources"
}
