/// Parses standalone PDF syntax (not a whole file): one object, for tests, content
/// inspection, or values a caller has extracted.
public enum PDFObjectParser {
    /// Parses exactly one object from `bytes` (surrounding whitespace and comments allowed).
    /// `N G R` becomes a reference; streams are not recognised here.
    public static func parse(_ bytes: [UInt8], options: PDFReadOptions = .default) throws -> PDFObject {
        try bytes.withUnsafeBufferPointer { buffer in
            var parser = PDFParser(buffer: buffer, source: bytes, options: options)
            let object = try parser.parseObject()
            parser.skipWhitespace()
            guard parser.isAtEnd else {
                throw PDFError.unexpectedToken(expected: "end of input", found: parser.describe(parser.position..<parser.position + 1), offset: parser.position)
            }
            return object
        }
    }
}
