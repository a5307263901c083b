/// ASCIIHexDecode (§7.4.2): hex digit pairs, whitespace ignored, `>` ends the data.
enum ASCIIHex {
    static func decode(_ data: ArraySlice<UInt8>, offset: Int?) throws -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(data.count / 2)
        var high: UInt8? = nil
        for byte in data {
            if byte == 0x3E { break }
            if ByteClass.isWhitespace(byte) { continue }
            guard let v = ByteClass.hexValue(byte) else {
                throw PDFError.decodeFailed(filter: "ASCIIHexDecode", reason: "invalid character 0x\(String(byte, radix: 16))", offset: offset)
            }
            if let h = high {
                output.append(h << 4 | v)
                high = nil
            } else {
                high = v
            }
        }
        if let h = high { output.append(h << 4) }
        return output
    }
}

/// ASCII85Decode (§7.4.3): base-85 groups, `z` for four zeros, `~>` ends the data.
enum ASCII85 {
    static func decode(_ data: ArraySlice<UInt8>, limit: Int, offset: Int?) throws -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(data.count * 4 / 5)
        var group: UInt64 = 0
        var count = 0
        var i = data.startIndex
        func fail(_ reason: String) -> PDFError { .decodeFailed(filter: "ASCII85Decode", reason: reason, offset: offset) }
        while i < data.endIndex {
            let byte = data[i]
            i += 1
            if ByteClass.isWhitespace(byte) { continue }
            if byte == 0x7E {  // ~
                break
            }
            if byte == 0x7A {  // z
                guard count == 0 else { throw fail("'z' inside a group") }
                output.append(contentsOf: [0, 0, 0, 0])
            } else {
                guard byte >= 0x21 && byte <= 0x75 else { throw fail("invalid character 0x\(String(byte, radix: 16))") }
                group = group * 85 + UInt64(byte - 0x21)
                count += 1
                if count == 5 {
                    guard group <= UInt64(UInt32.max) else { throw fail("group value exceeds 2^32") }
                    output.append(contentsOf: [UInt8(group >> 24), UInt8(group >> 16 & 0xFF), UInt8(group >> 8 & 0xFF), UInt8(group & 0xFF)])
                    group = 0
                    count = 0
                }
            }
            if output.count > limit { throw PDFError.decodedLengthLimitExceeded(limit: limit, offset: offset) }
        }
        if count == 1 { throw fail("final group of one character") }
        if count > 1 {
            for _ in count..<5 { group = group * 85 + 84 }
            guard group <= UInt64(UInt32.max) else { throw fail("group value exceeds 2^32") }
            let bytes = [UInt8(group >> 24), UInt8(group >> 16 & 0xFF), UInt8(group >> 8 & 0xFF), UInt8(group & 0xFF)]
            output.append(contentsOf: bytes[0..<(count - 1)])
        }
        return output
    }
}

/// RunLengthDecode (§7.4.5): length byte 0...127 copies n+1 bytes, 129...255 repeats the
/// next byte 257-n times, 128 ends the data.
enum RunLength {
    static func decode(_ data: ArraySlice<UInt8>, limit: Int, offset: Int?) throws -> [UInt8] {
        var output: [UInt8] = []
        var i = data.startIndex
        while i < data.endIndex {
            let length = Int(data[i])
            i += 1
            if length == 128 { break }
            if length < 128 {
                let n = length + 1
                guard i + n <= data.endIndex else {
                    throw PDFError.decodeFailed(filter: "RunLengthDecode", reason: "literal run past the end of the data", offset: offset)
                }
                output.append(contentsOf: data[i..<i + n])
                i += n
            } else {
                guard i < data.endIndex else {
                    throw PDFError.decodeFailed(filter: "RunLengthDecode", reason: "repeat run past the end of the data", offset: offset)
                }
                output.append(contentsOf: repeatElement(data[i], count: 257 - length))
                i += 1
            }
            if output.count > limit { throw PDFError.decodedLengthLimitExceeded(limit: limit, offset: offset) }
        }
        return output
    }
}

/// LZWDecode (§7.4.4): 9- to 12-bit codes, 256 clears the table, 257 ends the data.
enum LZW {
    static func decode(_ data: ArraySlice<UInt8>, earlyChange: Bool, limit: Int, offset: Int?) throws -> [UInt8] {
        func fail(_ reason: String) -> PDFError { .decodeFailed(filter: "LZWDecode", reason: reason, offset: offset) }
        // The table stores each entry as (prefix code, last byte, length); strings are rebuilt backwards.
        var prefix = [Int](repeating: -1, count: 4096)
        var suffix = [UInt8](repeating: 0, count: 4096)
        var lengths = [Int](repeating: 1, count: 4096)
        for i in 0..<256 { suffix[i] = UInt8(i) }
        var next = 258
        var codeLength = 9
        var previous = -1
        var output: [UInt8] = []
        var bitBuffer: UInt32 = 0
        var bitCount = 0
        var i = data.startIndex
        var scratch = [UInt8](repeating: 0, count: 4096)

        func firstByte(_ code: Int) -> UInt8 {
            var c = code
            while prefix[c] >= 0 { c = prefix[c] }
            return suffix[c]
        }
        func emit(_ code: Int) {
            let n = lengths[code]
            var c = code
            var k = n - 1
            while k >= 0 {
                scratch[k] = suffix[c]
                c = prefix[c]
                k -= 1
            }
            output.append(contentsOf: scratch[0..<n])
        }

        while true {
            while bitCount < codeLength {
                guard i < data.endIndex else { return output }  // end of data without EOD: accepted
                bitBuffer = bitBuffer << 8 | UInt32(data[i])
                i += 1
                bitCount += 8
            }
            let code = Int((bitBuffer >> UInt32(bitCount - codeLength)) & UInt32((1 << codeLength) - 1))
            bitCount -= codeLength
            bitBuffer &= (1 << UInt32(bitCount)) &- 1
            if code == 256 {
                next = 258
                codeLength = 9
                previous = -1
                continue
            }
            if code == 257 { break }
            if previous < 0 {
                guard code < 256 else { throw fail("first code after a clear is \(code)") }
                emit(code)
                previous = code
                continue
            }
            if code < next {
                emit(code)
                if next < 4096 {
                    prefix[next] = previous
                    suffix[next] = firstByte(code)
                    lengths[next] = lengths[previous] + 1
                    next += 1
                }
            } else if code == next && next < 4096 {
                prefix[next] = previous
                suffix[next] = firstByte(previous)
                lengths[next] = lengths[previous] + 1
                next += 1
                emit(code)
            } else {
                throw fail("code \(code) not yet defined")
            }
            previous = code
            if output.count > limit { throw PDFError.decodedLengthLimitExceeded(limit: limit, offset: offset) }
            let threshold = next + (earlyChange ? 1 : 0)
            if threshold >= 512 && codeLength == 9 { codeLength = 10 }
            if threshold >= 1024 && codeLength == 10 { codeLength = 11 }
            if threshold >= 2048 && codeLength == 11 { codeLength = 12 }
        }
        return output
    }
}
