/// Writes objects in PDF syntax: canonical and compact.
///
/// - One space between tokens, none inside `[`, `]`, `<<`, `>>`: `<</Type /Page /Kids [1 0 R 2 0 R]>>`.
/// - Names: bytes outside `!`...`~`, delimiters and `#` are written `#xx`.
/// - Literal strings: `(`, `)`, `\` escaped; LF, CR, TAB, BS, FF as `\n \r \t \b \f`;
///   other control and non-ASCII bytes as three-digit octal. Hex strings in upper case.
/// - Reals: their kept text (parsed) or fixed-point form (made in code), never an exponent.
/// - Streams: the dictionary with `/Length` set to the raw data's real length, then
///   `stream` LF, the raw bytes, LF `endstream`.
public enum PDFSerializer {
    /// The bytes of `object`.
    public static func serialize(_ object: PDFObject) -> [UInt8] {
        var out: [UInt8] = []
        append(object, to: &out)
        return out
    }

    /// The object as a string (bytes outside ASCII are replaced; for display).
    public static func string(_ object: PDFObject) -> String {
        String(decoding: serialize(object), as: UTF8.self)
    }

    /// Appends `N G obj` LF, the object, LF `endobj` LF.
    public static func appendIndirectObject(_ reference: PDFReference, _ object: PDFObject, to out: inout [UInt8]) {
        appendASCII("\(reference.number) \(reference.generation) obj\n", to: &out)
        append(object, to: &out)
        appendASCII("\nendobj\n", to: &out)
    }

    /// Appends the bytes of `object`.
    public static func append(_ object: PDFObject, to out: inout [UInt8]) {
        switch object {
        case .null: appendASCII("null", to: &out)
        case .boolean(let b): appendASCII(b ? "true" : "false", to: &out)
        case .integer(let i): appendASCII(String(i), to: &out)
        case .real(let r): appendASCII(r.text, to: &out)
        case .string(let s): appendString(s, to: &out)
        case .name(let n): appendName(n, to: &out)
        case .reference(let r): appendASCII("\(r.number) \(r.generation) R", to: &out)
        case .array(let items):
            out.append(0x5B)
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(0x20) }
                append(item, to: &out)
            }
            out.append(0x5D)
        case .dictionary(let dict):
            appendDictionary(dict, to: &out)
        case .stream(let stream):
            var dict = stream.dictionary
            dict[.length] = .integer(stream.rawData.count)
            appendDictionary(dict, to: &out)
            appendASCII("\nstream\n", to: &out)
            out.append(contentsOf: stream.rawData)
            appendASCII("\nendstream", to: &out)
        }
    }

    static func appendDictionary(_ dict: PDFDictionary, to out: inout [UInt8]) {
        out.append(0x3C)
        out.append(0x3C)
        for (i, entry) in dict.entries.enumerated() {
            if i > 0 { out.append(0x20) }
            appendName(entry.key, to: &out)
            out.append(0x20)
            append(entry.value, to: &out)
        }
        out.append(0x3E)
        out.append(0x3E)
    }

    static func appendName(_ name: PDFName, to out: inout [UInt8]) {
        out.append(0x2F)
        for b in name.bytes {
            if b < 0x21 || b > 0x7E || b == 0x23 || ByteClass.isDelimiter(b) {
                out.append(0x23)
                appendHexByte(b, to: &out)
            } else {
                out.append(b)
            }
        }
    }

    static func appendString(_ string: PDFString, to out: inout [UInt8]) {
        switch string.form {
        case .hex:
            out.append(0x3C)
            for b in string.bytes { appendHexByte(b, to: &out) }
            out.append(0x3E)
        case .literal:
            out.append(0x28)
            for b in string.bytes {
                switch b {
                case 0x28, 0x29, 0x5C:
                    out.append(0x5C)
                    out.append(b)
                case 0x0A: out.append(0x5C); out.append(0x6E)
                case 0x0D: out.append(0x5C); out.append(0x72)
                case 0x09: out.append(0x5C); out.append(0x74)
                case 0x08: out.append(0x5C); out.append(0x62)
                case 0x0C: out.append(0x5C); out.append(0x66)
                case 0x20...0x7E: out.append(b)
                default:
                    out.append(0x5C)
                    out.append(0x30 + (b >> 6))
                    out.append(0x30 + ((b >> 3) & 7))
                    out.append(0x30 + (b & 7))
                }
            }
            out.append(0x29)
        }
    }

    @inline(__always)
    static func appendHexByte(_ b: UInt8, to out: inout [UInt8]) {
        let digits: StaticString = "0123456789ABCDEF"
        digits.withUTF8Buffer { d in
            out.append(d[Int(b >> 4)])
            out.append(d[Int(b & 0x0F)])
        }
    }

    @inline(__always)
    static func appendASCII(_ s: String, to out: inout [UInt8]) {
        out.append(contentsOf: s.utf8)
    }
}
