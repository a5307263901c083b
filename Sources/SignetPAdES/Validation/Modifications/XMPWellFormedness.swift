/// A strict well-formedness check of an XMP packet (XML 1.0 §2, XMP part 1 §7.3), written
/// here so that no XML library ever expands an entity or fetches anything from a file a
/// stranger sent: a document type declaration is refused outright.
///
/// Checked: UTF-8 (or UTF-16 with a byte-order mark), no control characters, a single root
/// element that is `xmpmeta` in the `adobe:ns:meta/` namespace or `RDF` in the RDF
/// namespace, matching start and end tags, attribute syntax and uniqueness, references
/// (only the five predefined entities and character references), comments, CDATA
/// sections and processing instructions (the `xpacket` wrapper). Not checked: namespace
/// well-formedness beyond the root element, and the RDF/XMP data model.
enum XMPWellFormedness {
    /// nil if `data` is a well-formed XMP packet, otherwise why not.
    static func problem(in data: [UInt8]) -> String? {
        guard let text = decode(data) else { return "the data is not valid UTF-8 or UTF-16 text" }
        var scanner = Scanner(scalars: Array(text.unicodeScalars))
        do {
            try scanner.document()
            return nil
        } catch let error as Scanner.Failure {
            return error.message
        } catch {
            return "\(error)"
        }
    }

    private static func decode(_ data: [UInt8]) -> String? {
        if data.count >= 2, data[0] == 0xFE, data[1] == 0xFF { return utf16(data.dropFirst(2), bigEndian: true) }
        if data.count >= 2, data[0] == 0xFF, data[1] == 0xFE { return utf16(data.dropFirst(2), bigEndian: false) }
        let body = data.count >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF ? data.dropFirst(3) : data[...]
        return String(validating: body, as: UTF8.self)
    }

    private static func utf16(_ bytes: ArraySlice<UInt8>, bigEndian: Bool) -> String? {
        guard bytes.count % 2 == 0 else { return nil }
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let a = UInt16(bytes[i]), b = UInt16(bytes[i + 1])
            units.append(bigEndian ? a << 8 | b : b << 8 | a)
            i += 2
        }
        return String(validating: units, as: UTF16.self)
    }

    private struct Scanner {
        struct Failure: Error { let message: String }

        let scalars: [Unicode.Scalar]
        var position = 0

        init(scalars: [Unicode.Scalar]) { self.scalars = scalars }

        private func fail(_ message: String) -> Failure { Failure(message: "\(message) (at character \(position))") }

        private var atEnd: Bool { position >= scalars.count }
        private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
            position + offset < scalars.count ? scalars[position + offset] : nil
        }
        private func looking(at literal: String) -> Bool {
            var i = position
            for scalar in literal.unicodeScalars {
                guard i < scalars.count, scalars[i] == scalar else { return false }
                i += 1
            }
            return true
        }
        private mutating func expect(_ literal: String) throws {
            guard looking(at: literal) else { throw fail("expected '\(literal)'") }
            position += literal.unicodeScalars.count
        }
        private static func isSpace(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" || c == "\n" || c == "\r" }
        private mutating func skipSpace() { while let c = peek(), Self.isSpace(c) { position += 1 } }

        private static func isChar(_ c: Unicode.Scalar) -> Bool {
            switch c.value {
            case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: return true
            default: return false
            }
        }
        private static func isNameStart(_ c: Unicode.Scalar) -> Bool {
            switch c.value {
            case 0x3A, 0x5F, 0x41...0x5A, 0x61...0x7A, 0xC0...0xD6, 0xD8...0xF6, 0xF8...0x2FF, 0x370...0x37D, 0x37F...0x1FFF,
                 0x200C...0x200D, 0x2070...0x218F, 0x2C00...0x2FEF, 0x3001...0xD7FF, 0xF900...0xFDCF, 0xFDF0...0xFFFD, 0x10000...0xEFFFF:
                return true
            default: return false
            }
        }
        private static func isName(_ c: Unicode.Scalar) -> Bool {
            isNameStart(c) || c == "-" || c == "." || (0x30...0x39).contains(c.value) || c.value == 0xB7
                || (0x300...0x36F).contains(c.value) || (0x203F...0x2040).contains(c.value)
        }

        private mutating func name() throws -> String {
            guard let first = peek(), Self.isNameStart(first) else { throw fail("expected a name") }
            var result = String(first)
            position += 1
            while let c = peek(), Self.isName(c) {
                result.unicodeScalars.append(c)
                position += 1
            }
            return result
        }

        mutating func document() throws {
            for c in scalars where !Self.isChar(c) { throw Failure(message: "it contains a character not allowed in XML (U+\(String(c.value, radix: 16, uppercase: true)))") }
            if looking(at: "<?xml") && (peek(5).map(Self.isSpace) ?? false) { try processingInstruction() }
            try misc()
            guard looking(at: "<"), !looking(at: "</") else { throw fail(atEnd ? "there is no root element" : "expected the root element") }
            let root = try element(depth: 0)
            try misc()
            guard atEnd else { throw fail("content after the root element") }
            try checkRoot(root)
        }

        /// Comments, processing instructions and white space outside the root element.
        private mutating func misc() throws {
            while true {
                skipSpace()
                if looking(at: "<!--") { try comment() }
                else if looking(at: "<?") { try processingInstruction() }
                else if looking(at: "<!DOCTYPE") { throw fail("a document type declaration is not allowed in XMP (entities could be expanded)") }
                else { return }
            }
        }

        private mutating func comment() throws {
            try expect("<!--")
            while !atEnd {
                if looking(at: "--") {
                    guard looking(at: "-->") else { throw fail("'--' inside a comment") }
                    position += 3
                    return
                }
                position += 1
            }
            throw fail("unterminated comment")
        }

        private mutating func processingInstruction() throws {
            try expect("<?")
            let target = try name()
            if target.lowercased() == "xml" && position > 6 { throw fail("an XML declaration may only come first") }
            while !atEnd {
                if looking(at: "?>") {
                    position += 2
                    return
                }
                position += 1
            }
            throw fail("unterminated processing instruction")
        }

        struct Root {
            let name: String
            let attributes: [String: String]
        }

        private mutating func element(depth: Int) throws -> Root {
            guard depth < 512 else { throw fail("elements nested deeper than 512 levels") }
            try expect("<")
            let tag = try name()
            var attributes: [String: String] = [:]
            while true {
                let hadSpace = peek().map(Self.isSpace) ?? false
                skipSpace()
                if looking(at: "/>") {
                    position += 2
                    return Root(name: tag, attributes: attributes)
                }
                if looking(at: ">") {
                    position += 1
                    break
                }
                guard hadSpace else { throw fail("expected white space before an attribute of <\(tag)>") }
                let attribute = try name()
                skipSpace()
                try expect("=")
                skipSpace()
                guard let quote = peek(), quote == "\"" || quote == "'" else { throw fail("attribute \(attribute) has no quoted value") }
                position += 1
                var value = ""
                while let c = peek(), c != quote {
                    if c == "<" { throw fail("'<' in the value of attribute \(attribute)") }
                    if c == "&" { value += try reference() } else {
                        value.unicodeScalars.append(c)
                        position += 1
                    }
                }
                guard !atEnd else { throw fail("unterminated value of attribute \(attribute)") }
                position += 1
                guard attributes.updateValue(value, forKey: attribute) == nil else { throw fail("attribute \(attribute) given twice in <\(tag)>") }
            }
            try content(depth: depth)
            try expect("</")
            let closing = try name()
            guard closing == tag else { throw fail("</\(closing)> closes <\(tag)>") }
            skipSpace()
            try expect(">")
            return Root(name: tag, attributes: attributes)
        }

        private mutating func content(depth: Int) throws {
            while !atEnd {
                if looking(at: "</") { return }
                if looking(at: "<!--") { try comment() }
                else if looking(at: "<![CDATA[") {
                    position += 9
                    while !atEnd && !looking(at: "]]>") { position += 1 }
                    guard !atEnd else { throw fail("unterminated CDATA section") }
                    position += 3
                } else if looking(at: "<?") { try processingInstruction() }
                else if looking(at: "<!") { throw fail("markup declarations are not allowed inside XMP") }
                else if looking(at: "<") { _ = try element(depth: depth + 1) }
                else if looking(at: "&") { _ = try reference() }
                else if looking(at: "]]>") { throw fail("']]>' in text") }
                else { position += 1 }
            }
            throw fail("unexpected end: an element is not closed")
        }

        /// `&name;` (predefined entities only) or `&#N;` / `&#xH;`; returns the text it stands for.
        private mutating func reference() throws -> String {
            try expect("&")
            if looking(at: "#") {
                position += 1
                let hex = looking(at: "x")
                if hex { position += 1 }
                var digits = ""
                while let c = peek(), c != ";" {
                    digits.unicodeScalars.append(c)
                    position += 1
                    if digits.count > 8 { break }
                }
                try expect(";")
                guard let value = UInt32(digits, radix: hex ? 16 : 10), let scalar = Unicode.Scalar(value), Self.isChar(scalar) else {
                    throw fail("invalid character reference &#\(hex ? "x" : "")\(digits);")
                }
                return String(scalar)
            }
            let entity = try name()
            try expect(";")
            switch entity {
            case "lt": return "<"
            case "gt": return ">"
            case "amp": return "&"
            case "apos": return "'"
            case "quot": return "\""
            default: throw fail("undeclared entity &\(entity);")
            }
        }

        private func checkRoot(_ root: Root) throws {
            let parts = root.name.split(separator: ":", maxSplits: 1).map(String.init)
            let (prefix, local) = parts.count == 2 ? (parts[0], parts[1]) : ("", parts[0])
            let namespace = root.attributes[prefix.isEmpty ? "xmlns" : "xmlns:\(prefix)"]
            switch (local, namespace) {
            case ("xmpmeta", "adobe:ns:meta/"), ("xapmeta", "adobe:ns:meta/"): return
            case ("RDF", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"): return
            default:
                throw Failure(message: "the root element <\(root.name)> is not x:xmpmeta (adobe:ns:meta/) or rdf:RDF")
            }
        }
    }
}
