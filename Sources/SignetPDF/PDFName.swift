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

    public init(stringLiteral value: String) { self.init(value) }

    /// The name as a Swift string (UTF-8, invalid sequences repaired), without the `/`.
    public var string: String { String(decoding: bytes, as: UTF8.self) }

    /// `/Name`, with `#xx` escapes where needed.
    public var description: String { PDFSerializer.string(.name(self)) }

    public static func < (lhs: PDFName, rhs: PDFName) -> Bool { lhs.bytes.lexicographicallyPrecedes(rhs.bytes) }

    /// Hashes the bytes as one block: every dictionary lookup hashes a name, and the
    /// synthesized conformance would feed `[UInt8]` to the hasher one byte at a time.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(bytes.count)
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}

extension PDFName {
    public static let type: PDFName = "Type"
    public static let subtype: PDFName = "Subtype"
    public static let length: PDFName = "Length"
    public static let filter: PDFName = "Filter"
    public static let decodeParms: PDFName = "DecodeParms"
    public static let root: PDFName = "Root"
    public static let info: PDFName = "Info"
    public static let id: PDFName = "ID"
    public static let size: PDFName = "Size"
    public static let prev: PDFName = "Prev"
    public static let encrypt: PDFName = "Encrypt"
    public static let kids: PDFName = "Kids"
    public static let parent: PDFName = "Parent"
    public static let contents: PDFName = "Contents"
    public static let resources: PDFName = "Resources"
}
