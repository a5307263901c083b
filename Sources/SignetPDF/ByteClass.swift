/// Character classes of PDF syntax (ISO 32000-2 §7.2.3), on bytes.
enum ByteClass {
    /// NUL, TAB, LF, FF, CR, SPACE.
    @inline(__always)
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 || byte == 0x0C || byte == 0x00
    }

    /// `( ) < > [ ] { } / %`.
    @inline(__always)
    static func isDelimiter(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x28, 0x29, 0x3C, 0x3E, 0x5B, 0x5D, 0x7B, 0x7D, 0x2F, 0x25: return true
        default: return false
        }
    }

    /// Neither whitespace nor delimiter.
    @inline(__always)
    static func isRegular(_ byte: UInt8) -> Bool { !isWhitespace(byte) && !isDelimiter(byte) }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// `hexDigitValues` entry of a whitespace byte.
    static let hexWhitespace: UInt8 = 0xFE

    /// By byte: its value as a hexadecimal digit (0...15), `hexWhitespace`, or 0xFF.
    static let hexDigitValues: [UInt8] = (0...255).map { (byte: Int) -> UInt8 in
        if let value = hexValue(UInt8(byte)) { return value }
        return isWhitespace(UInt8(byte)) ? hexWhitespace : 0xFF
    }

    /// The value of a hexadecimal digit, or nil.
    @inline(__always)
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: return byte - 0x30
        case 0x41...0x46: return byte - 0x41 + 10
        case 0x61...0x66: return byte - 0x61 + 10
        default: return nil
        }
    }
}

/// Byte spellings of the keywords the reader looks for.
enum Keyword {
    static let obj: [UInt8] = Array("obj".utf8)
    static let endobj: [UInt8] = Array("endobj".utf8)
    static let stream: [UInt8] = Array("stream".utf8)
    static let endstream: [UInt8] = Array("endstream".utf8)
    static let xref: [UInt8] = Array("xref".utf8)
    static let trailer: [UInt8] = Array("trailer".utf8)
    static let startxref: [UInt8] = Array("startxref".utf8)
    static let eof: [UInt8] = Array("%%EOF".utf8)
    static let `true`: [UInt8] = Array("true".utf8)
    static let `false`: [UInt8] = Array("false".utf8)
    static let null: [UInt8] = Array("null".utf8)
}

/// Byte-pattern search helpers over an unsafe buffer.
enum ByteSearch {
    /// First index `>= from` (and `< limit`) where `pattern` starts.
    static func firstIndex(of pattern: [UInt8], in buffer: UnsafeBufferPointer<UInt8>, from: Int, limit: Int? = nil) -> Int? {
        let end = min(limit ?? buffer.count, buffer.count)
        guard let first = pattern.first, end - from >= pattern.count, from >= 0 else { return nil }
        var i = from
        let last = end - pattern.count
        while i <= last {
            if buffer[i] == first {
                var j = 1
                while j < pattern.count && buffer[i + j] == pattern[j] { j += 1 }
                if j == pattern.count { return i }
            }
            i += 1
        }
        return nil
    }

    /// Last index `< before` (and `>= lowerBound`) where `pattern` starts.
    static func lastIndex(of pattern: [UInt8], in buffer: UnsafeBufferPointer<UInt8>, before: Int, lowerBound: Int = 0) -> Int? {
        guard let first = pattern.first else { return nil }
        var i = min(before, buffer.count) - pattern.count
        while i >= max(0, lowerBound) {
            if buffer[i] == first {
                var j = 1
                while j < pattern.count && buffer[i + j] == pattern[j] { j += 1 }
                if j == pattern.count { return i }
            }
            i -= 1
        }
        return nil
    }

    /// Whether `pattern` occurs at `index`.
    @inline(__always)
    static func matches(_ pattern: [UInt8], in buffer: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        guard index >= 0, index + pattern.count <= buffer.count else { return false }
        for k in 0..<pattern.count where buffer[index + k] != pattern[k] { return false }
        return true
    }
}
