/// A PDF string (ISO 32000-2 §7.3.4): raw bytes plus the form it was written in.
///
/// Equality and hashing use the bytes only: `(AB)` equals `<4142>`. The form is kept so
/// that re-serialising a parsed string uses the same notation.
public struct PDFString: Sendable, Hashable, CustomStringConvertible {
    /// How a string is written.
    public enum Form: Sendable, Hashable {
        /// `( ... )` with backslash escapes.
        case literal
        /// `< ... >` hexadecimal.
        case hex
    }

    /// The string's bytes after escapes are decoded.
    public var bytes: [UInt8]
    /// The notation used when serialising.
    public var form: Form

    /// A string with the given bytes and notation.
    public init(bytes: [UInt8], form: Form = .literal) {
        self.bytes = bytes
        self.form = form
    }

    /// A literal string holding the UTF-8 bytes of `text` (PDFDocEncoding agrees on ASCII).
    public init(_ text: String, form: Form = .literal) {
        self.init(bytes: Array(text.utf8), form: form)
    }

    /// Decodes a PDF text string (§7.9.2.2): UTF-16BE with BOM, UTF-8 with BOM, or
    /// PDFDocEncoding (treated as Latin-1 outside ASCII, which covers the common cases).
    public var text: String {
        if bytes.count >= 2, bytes[0] == 0xFE, bytes[1] == 0xFF {
            var units: [UInt16] = []
            units.reserveCapacity((bytes.count - 2) / 2)
            var i = 2
            while i + 1 < bytes.count {
                units.append(UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1]))
                i += 2
            }
            return String(decoding: units, as: UTF16.self)
        }
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            return String(decoding: bytes.dropFirst(3), as: UTF8.self)
        }
        return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
    }

    /// Equal when the bytes are equal, whatever the form: `(AB)` equals `<4142>`.
    public static func == (lhs: PDFString, rhs: PDFString) -> Bool { lhs.bytes == rhs.bytes }
    /// Hashes the bytes, consistent with `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(bytes) }

    /// The string in PDF syntax.
    public var description: String { PDFSerializer.string(.string(self)) }
}
