/// Lexer and parser for PDF objects (ISO 32000-2 §7.2, §7.3) over a byte buffer.
///
/// Works on an unsafe view of the bytes for speed; `source` is the same bytes as an array,
/// used only to slice stream data without copying. All positions are indices into the buffer.
/// Errors report `errorOffset ?? position` (object streams set `errorOffset` to their own
/// file offset, since positions inside decoded data mean nothing in the file).
struct PDFParser {
    let buffer: UnsafeBufferPointer<UInt8>
    let source: [UInt8]
    var position: Int
    let options: PDFReadOptions
    var errorOffset: Int?

    init(buffer: UnsafeBufferPointer<UInt8>, source: [UInt8], position: Int = 0, options: PDFReadOptions, errorOffset: Int? = nil) {
        self.buffer = buffer
        self.source = source
        self.position = position
        self.options = options
        self.errorOffset = errorOffset
    }

    @inline(__always) func at(_ p: Int) -> Int { errorOffset ?? p }

    @inline(__always) var isAtEnd: Bool { position >= buffer.count }

    @inline(__always) func peek() -> UInt8? { position < buffer.count ? buffer[position] : nil }

    // MARK: Whitespace and comments

    /// Skips whitespace and comments. Returns whether anything was skipped.
    @discardableResult
    mutating func skipWhitespace() -> Bool {
        let start = position
        while position < buffer.count {
            let b = buffer[position]
            if ByteClass.isWhitespace(b) {
                position += 1
            } else if b == 0x25 {  // %
                while position < buffer.count && buffer[position] != 0x0A && buffer[position] != 0x0D { position += 1 }
            } else {
                break
            }
        }
        return position != start
    }

    /// Skips whitespace only (no comments).
    mutating func skipPlainWhitespace() {
        while position < buffer.count && ByteClass.isWhitespace(buffer[position]) { position += 1 }
    }

    // MARK: Tokens

    /// Reads a run of regular characters (a keyword or number) and returns its range.
    mutating func readRegularRun() -> Range<Int> {
        let start = position
        while position < buffer.count && ByteClass.isRegular(buffer[position]) { position += 1 }
        return start..<position
    }

    /// Whether the bytes in `range` spell `keyword`.
    @inline(__always)
    func run(_ range: Range<Int>, is keyword: [UInt8]) -> Bool {
        guard range.count == keyword.count else { return false }
        var k = 0
        for i in range {
            if buffer[i] != keyword[k] { return false }
            k += 1
        }
        return true
    }

    /// A printable rendering of a token for error messages.
    func describe(_ range: Range<Int>) -> String {
        if range.isEmpty { return position >= buffer.count ? "end of input" : "'\(UnicodeScalar(buffer[range.lowerBound]))'" }
        let bytes = buffer[range.lowerBound..<min(range.upperBound, range.lowerBound + 24)]
        return "'" + String(decoding: bytes.map { $0 >= 0x20 && $0 < 0x7F ? $0 : 0x3F }, as: UTF8.self) + "'"
    }

    /// Expects the keyword `keyword` (after whitespace/comments).
    mutating func expectKeyword(_ keyword: [UInt8]) throws {
        skipWhitespace()
        let start = position
        let run = readRegularRun()
        guard self.run(run, is: keyword) else {
            if run.isEmpty && start >= buffer.count { throw PDFError.unexpectedEndOfInput(offset: at(start)) }
            throw PDFError.unexpectedToken(
                expected: String(decoding: keyword, as: UTF8.self),
                found: describe(run.isEmpty ? start..<min(start + 1, buffer.count) : run), offset: at(start))
        }
    }

    /// Reads an unsigned decimal integer token (digits only, ending at a non-regular byte).
    /// Returns nil (position unchanged) if the next token is not such an integer.
    mutating func readUnsignedInteger() throws -> Int? {
        let start = position
        var value = 0
        while position < buffer.count, ByteClass.isDigit(buffer[position]) {
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int(buffer[position] - 0x30))
            if o1 || o2 { throw PDFError.invalidNumber(offset: at(start)) }
            value = a
            position += 1
        }
        if position == start || (position < buffer.count && ByteClass.isRegular(buffer[position])) {
            position = start
            return nil
        }
        return value
    }

    /// Reads a number token: an integer or a real.
    mutating func readNumber() throws -> PDFObject {
        let start = position
        let run = readRegularRun()
        var i = run.lowerBound
        var negative = false
        if i < run.upperBound, buffer[i] == 0x2B || buffer[i] == 0x2D {
            negative = buffer[i] == 0x2D
            i += 1
        }
        var intPart = 0
        var digits = 0
        var overflow = false
        while i < run.upperBound, ByteClass.isDigit(buffer[i]) {
            let (m, o1) = intPart.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int(buffer[i] - 0x30))
            overflow = overflow || o1 || o2
            intPart = a
            digits += 1
            i += 1
        }
        if i == run.upperBound {
            guard digits > 0, !overflow else { throw PDFError.invalidNumber(offset: at(start)) }
            return .integer(negative ? -intPart : intPart)
        }
        guard buffer[i] == 0x2E else { throw PDFError.invalidNumber(offset: at(start)) }
        i += 1
        var fractionDigits = 0
        while i < run.upperBound, ByteClass.isDigit(buffer[i]) {
            fractionDigits += 1
            i += 1
        }
        guard i == run.upperBound, digits + fractionDigits > 0 else { throw PDFError.invalidNumber(offset: at(start)) }
        let text = String(decoding: UnsafeBufferPointer(rebasing: buffer[run]), as: UTF8.self)
        // Double() rejects a trailing "." on some platforms; normalise only for parsing.
        var parseText = text
        if parseText.hasSuffix(".") { parseText += "0" }
        if parseText.hasPrefix(".") || parseText.hasPrefix("-.") || parseText.hasPrefix("+.") {
            parseText = parseText.replacingFirstDot()
        }
        guard let value = Double(parseText), value.isFinite else { throw PDFError.invalidNumber(offset: at(start)) }
        return .real(PDFReal(parsedValue: value, text: text))
    }

    // MARK: Objects

    /// Parses one direct object at the current position (after skipping whitespace).
    /// `N G R` is recognised as a reference.
    mutating func parseObject(depth: Int = 0) throws -> PDFObject {
        var ignored: [PDFName: PDFEntryPosition]? = nil
        return try parseObject(depth: depth, positions: &ignored)
    }

    /// Parses one object; if it is a dictionary and `positions` is non-nil, records the
    /// position of each top-level entry.
    mutating func parseObject(depth: Int, positions: inout [PDFName: PDFEntryPosition]?) throws -> PDFObject {
        skipWhitespace()
        guard position < buffer.count else { throw PDFError.unexpectedEndOfInput(offset: at(position)) }
        let start = position
        let byte = buffer[position]
        switch byte {
        case 0x2F:  // /
            return .name(try parseName())
        case 0x28:  // (
            return .string(try parseLiteralString())
        case 0x3C:  // <
            if position + 1 < buffer.count && buffer[position + 1] == 0x3C {
                return .dictionary(try parseDictionary(depth: depth, positions: &positions))
            }
            return .string(try parseHexString())
        case 0x5B:  // [
            return .array(try parseArray(depth: depth))
        case 0x30...0x39:
            // An unsigned integer may start `N G R`.
            if let number = try readUnsignedInteger() {
                let afterNumber = position
                skipWhitespace()
                if let generation = try readUnsignedInteger() {
                    skipWhitespace()
                    if position < buffer.count, buffer[position] == 0x52,
                        position + 1 >= buffer.count || !ByteClass.isRegular(buffer[position + 1])
                    {
                        position += 1
                        guard number <= options.maxObjectNumber else {
                            throw PDFError.objectNumberOutOfRange(number, offset: at(start))
                        }
                        guard generation <= 65535 else { throw PDFError.objectNumberOutOfRange(generation, offset: at(start)) }
                        return .reference(PDFReference(number, generation))
                    }
                }
                position = afterNumber
                return .integer(number)
            }
            return try readNumber()
        case 0x2B, 0x2D, 0x2E:  // + - .
            return try readNumber()
        default:
            let run = readRegularRun()
            if self.run(run, is: Keyword.true) { return .boolean(true) }
            if self.run(run, is: Keyword.false) { return .boolean(false) }
            if self.run(run, is: Keyword.null) { return .null }
            position = start
            throw PDFError.unexpectedToken(
                expected: "an object", found: describe(run.isEmpty ? start..<start + 1 : run), offset: at(start))
        }
    }

    /// Parses `/Name` with `#xx` escapes.
    mutating func parseName() throws -> PDFName {
        position += 1  // '/'
        var bytes: [UInt8] = []
        while position < buffer.count {
            let b = buffer[position]
            guard ByteClass.isRegular(b) else { break }
            if b == 0x23 {  // #
                guard position + 2 < buffer.count,
                    let hi = ByteClass.hexValue(buffer[position + 1]), let lo = ByteClass.hexValue(buffer[position + 2])
                else { throw PDFError.invalidString(reason: "invalid #-escape in name", offset: at(position)) }
                let decoded = hi << 4 | lo
                guard decoded != 0 else { throw PDFError.invalidString(reason: "name contains #00", offset: at(position)) }
                bytes.append(decoded)
                position += 3
            } else {
                bytes.append(b)
                position += 1
            }
        }
        return PDFName(bytes: bytes)
    }

    /// Parses `( ... )` with balanced parentheses and escapes (§7.3.4.2).
    mutating func parseLiteralString() throws -> PDFString {
        let start = position
        position += 1
        var bytes: [UInt8] = []
        var depth = 1
        while position < buffer.count {
            let b = buffer[position]
            position += 1
            switch b {
            case 0x28:
                depth += 1
                bytes.append(b)
            case 0x29:
                depth -= 1
                if depth == 0 { return PDFString(bytes: bytes, form: .literal) }
                bytes.append(b)
            case 0x0D:
                // An unescaped EOL (CR, LF or CRLF) is one LF.
                if position < buffer.count && buffer[position] == 0x0A { position += 1 }
                bytes.append(0x0A)
            case 0x5C:  // backslash
                guard position < buffer.count else { break }
                let e = buffer[position]
                position += 1
                switch e {
                case 0x6E: bytes.append(0x0A)  // n
                case 0x72: bytes.append(0x0D)  // r
                case 0x74: bytes.append(0x09)  // t
                case 0x62: bytes.append(0x08)  // b
                case 0x66: bytes.append(0x0C)  // f
                case 0x0D:  // line continuation
                    if position < buffer.count && buffer[position] == 0x0A { position += 1 }
                case 0x0A: break
                case 0x30...0x37:
                    var value = Int(e - 0x30)
                    var count = 1
                    while count < 3, position < buffer.count, buffer[position] >= 0x30, buffer[position] <= 0x37 {
                        value = value * 8 + Int(buffer[position] - 0x30)
                        position += 1
                        count += 1
                    }
                    bytes.append(UInt8(truncatingIfNeeded: value))  // \400 and above: high bit ignored (§7.3.4.2)
                default:
                    bytes.append(e)  // \( \) \\ and unknown escapes: the byte itself
                }
            default:
                bytes.append(b)
            }
        }
        throw PDFError.invalidString(reason: "unterminated literal string", offset: at(start))
    }

    /// Parses `< hex >`; whitespace is ignored, an odd final digit is followed by 0.
    ///
    /// Signature `/Contents` are tens of kilobytes of hex, so the closing `>` is found first
    /// and the digits are decoded into storage of the right size.
    mutating func parseHexString() throws -> PDFString {
        let start = position
        guard let end = buffer[(start + 1)...].firstIndex(of: 0x3E) else {
            throw firstHexStringError(from: start)
        }
        let digits = UnsafeBufferPointer(rebasing: buffer[(start + 1)..<end])
        var invalidAt: Int? = nil
        let bytes = [UInt8](unsafeUninitializedCapacity: digits.count / 2 + 1) { output, count in
            ByteClass.hexDigitValues.withUnsafeBufferPointer { values in
                var index = 0
                var high: UInt8 = 0
                var haveHigh = false
                while index < digits.count {
                    // Two digits in a row, the usual case, make one byte.
                    if !haveHigh, index + 1 < digits.count {
                        let first = values[Int(digits[index])], second = values[Int(digits[index + 1])]
                        if first | second < 16 {
                            output[count] = first << 4 | second
                            count += 1
                            index += 2
                            continue
                        }
                    }
                    let value = values[Int(digits[index])]
                    if value < 16 {
                        if haveHigh {
                            output[count] = high << 4 | value
                            count += 1
                        } else {
                            high = value
                        }
                        haveHigh.toggle()
                    } else if value != ByteClass.hexWhitespace {
                        invalidAt = start + 1 + index
                        break
                    }
                    index += 1
                }
                if haveHigh, invalidAt == nil {
                    output[count] = high << 4
                    count += 1
                }
            }
        }
        if let invalidAt {
            throw PDFError.invalidString(reason: "invalid character in hex string", offset: at(invalidAt))
        }
        position = end + 1
        return PDFString(bytes: bytes, form: .hex)
    }

    /// The error for a hex string without its closing `>`: its first invalid character, or
    /// "unterminated" when every byte up to the end of input is a digit or whitespace.
    private func firstHexStringError(from start: Int) -> PDFError {
        for index in (start + 1)..<buffer.count {
            let b = buffer[index]
            if ByteClass.hexValue(b) == nil, !ByteClass.isWhitespace(b) {
                return .invalidString(reason: "invalid character in hex string", offset: at(index))
            }
        }
        return .invalidString(reason: "unterminated hex string", offset: at(start))
    }

    mutating func parseArray(depth: Int) throws -> [PDFObject] {
        let start = position
        guard depth < options.maxNestingDepth else { throw PDFError.nestingTooDeep(limit: options.maxNestingDepth, offset: at(start)) }
        position += 1
        var items: [PDFObject] = []
        while true {
            skipWhitespace()
            guard position < buffer.count else { throw PDFError.unexpectedEndOfInput(offset: at(position)) }
            if buffer[position] == 0x5D {
                position += 1
                return items
            }
            items.append(try parseObject(depth: depth + 1))
        }
    }

    mutating func parseDictionary(depth: Int, positions: inout [PDFName: PDFEntryPosition]?) throws -> PDFDictionary {
        let start = position
        guard depth < options.maxNestingDepth else { throw PDFError.nestingTooDeep(limit: options.maxNestingDepth, offset: at(start)) }
        position += 2
        var entries: [(key: PDFName, value: PDFObject)] = []
        var seen = Set<PDFName>()
        var noPositions: [PDFName: PDFEntryPosition]? = nil
        while true {
            skipWhitespace()
            guard position < buffer.count else { throw PDFError.unexpectedEndOfInput(offset: at(position)) }
            let keyStart = position
            if buffer[position] == 0x3E {
                guard position + 1 < buffer.count, buffer[position + 1] == 0x3E else {
                    throw PDFError.unexpectedToken(expected: ">>", found: "'>'", offset: at(position))
                }
                position += 2
                return PDFDictionary(uniqueEntries: entries)
            }
            guard buffer[position] == 0x2F else {
                let run = position..<min(position + 1, buffer.count)
                throw PDFError.unexpectedToken(expected: "a name (dictionary key) or >>", found: describe(run), offset: at(position))
            }
            let key = try parseName()
            let keyEnd = position
            guard seen.insert(key).inserted else { throw PDFError.duplicateKey(key, offset: at(keyStart)) }
            skipWhitespace()
            let valueStart = position
            let value = try parseObject(depth: depth + 1, positions: &noPositions)
            if positions != nil {
                positions![key] = PDFEntryPosition(keyRange: keyStart..<keyEnd, valueRange: valueStart..<position)
            }
            entries.append((key, value))
        }
    }
}

extension String {
    /// "-.5" → "-0.5", ".5" → "0.5" (for Double parsing only).
    fileprivate func replacingFirstDot() -> String {
        guard let dot = firstIndex(of: ".") else { return self }
        return String(self[..<dot]) + "0" + String(self[dot...])
    }
}
