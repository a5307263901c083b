package import FoundationEssentials
import SwiftASN1

// Small helpers over swift-asn1's node tree for the CMS and RFC 3161 code: reading BER
// (indefinite lengths, constructed strings) leniently and writing DER strictly.

/// A structural problem found while reading ASN.1; mapped to `CMSError.malformed` or
/// `TimeStampError.malformed` at the public API.
struct ASN1StructureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension ASN1Identifier {
    /// `[number]` context-specific.
    static func context(_ number: UInt) -> ASN1Identifier {
        ASN1Identifier(tagWithNumber: number, tagClass: .contextSpecific)
    }
}

/// The children of a constructed node, read in order with optional elements.
struct ASN1Children {
    let nodes: [ASN1Node]
    private(set) var index = 0
    let what: String

    init(_ node: ASN1Node, _ what: String) throws {
        guard case .constructed(let collection) = node.content else {
            throw ASN1StructureError("\(what) is not a constructed element")
        }
        nodes = Array(collection)
        self.what = what
    }

    /// The next element, which must exist.
    mutating func next(_ element: String) throws -> ASN1Node {
        guard index < nodes.count else { throw ASN1StructureError("\(what): \(element) is missing") }
        defer { index += 1 }
        return nodes[index]
    }

    /// The next element, which must exist and carry `identifier`.
    mutating func next(_ identifier: ASN1Identifier, _ element: String) throws -> ASN1Node {
        let node = try next(element)
        guard node.identifier == identifier else {
            throw ASN1StructureError("\(what): \(element) has tag \(node.identifier), expected \(identifier)")
        }
        return node
    }

    /// The next element if it carries `identifier`; nil (consuming nothing) otherwise.
    mutating func optional(_ identifier: ASN1Identifier) -> ASN1Node? {
        guard index < nodes.count, nodes[index].identifier == identifier else { return nil }
        defer { index += 1 }
        return nodes[index]
    }

    /// Whether more elements follow.
    var hasMore: Bool { index < nodes.count }

    /// Requires that every element was consumed.
    func finish() throws {
        if index < nodes.count {
            throw ASN1StructureError("\(what): unexpected element \(nodes[index].identifier) at position \(index + 1)")
        }
    }
}

enum ASN1Read {
    /// Parses one BER (and therefore DER) element that must span all of `bytes`.
    static func parse(_ bytes: [UInt8], _ what: String) throws -> ASN1Node {
        guard !bytes.isEmpty else { throw ASN1StructureError("\(what): empty input") }
        do {
            return try BER.parse(bytes)
        } catch let error as ASN1Error {
            throw ASN1StructureError("\(what): not valid BER/DER (\(error.code))")
        }
    }

    static func requireTag(_ node: ASN1Node, _ identifier: ASN1Identifier, _ what: String) throws {
        guard node.identifier == identifier else {
            throw ASN1StructureError("\(what) has tag \(node.identifier), expected \(identifier)")
        }
    }

    static func children(_ node: ASN1Node, _ identifier: ASN1Identifier, _ what: String) throws -> ASN1Children {
        try requireTag(node, identifier, what)
        return try ASN1Children(node, what)
    }

    /// The value of an OCTET STRING (or an implicitly tagged one), joining the segments of a
    /// BER constructed encoding.
    static func octetString(_ node: ASN1Node, _ what: String, depth: Int = 0) throws -> [UInt8] {
        switch node.content {
        case .primitive(let bytes):
            return Array(bytes)
        case .constructed(let segments):
            guard depth < 8 else { throw ASN1StructureError("\(what): constructed string nested too deeply") }
            var value: [UInt8] = []
            for segment in segments {
                guard segment.identifier == .octetString else {
                    throw ASN1StructureError("\(what): a constructed OCTET STRING segment has tag \(segment.identifier)")
                }
                value += try octetString(segment, what, depth: depth + 1)
            }
            return value
        }
    }

    /// The content octets of a primitive element.
    static func primitive(_ node: ASN1Node, _ what: String) throws -> ArraySlice<UInt8> {
        guard case .primitive(let bytes) = node.content else {
            throw ASN1StructureError("\(what) must be a primitive element")
        }
        return bytes
    }

    /// Dotted text of an OBJECT IDENTIFIER.
    static func oid(_ node: ASN1Node, _ what: String) throws -> String {
        do {
            return try ASN1ObjectIdentifier(berEncoded: node).description
        } catch {
            throw ASN1StructureError("\(what) is not a valid OBJECT IDENTIFIER")
        }
    }

    /// The content octets of an INTEGER (two's complement, as stored), possibly
    /// implicitly tagged.
    static func integerBytes(_ node: ASN1Node, _ what: String) throws -> [UInt8] {
        let bytes = try primitive(node, what)
        guard !bytes.isEmpty else { throw ASN1StructureError("\(what): empty INTEGER") }
        return Array(bytes)
    }

    /// A small non-negative INTEGER (versions, accuracy fields, salt lengths).
    static func smallInteger(_ node: ASN1Node, _ what: String) throws -> Int {
        let bytes = ASN1Integers.minimal(try integerBytes(node, what))
        guard bytes.count <= 4, bytes[0] & 0x80 == 0 else {
            throw ASN1StructureError("\(what): integer out of range")
        }
        return bytes.reduce(0) { $0 << 8 | Int($1) }
    }

    static func boolean(_ node: ASN1Node, _ what: String) throws -> Bool {
        try requireTag(node, .boolean, what)
        let bytes = try primitive(node, what)
        guard bytes.count == 1 else { throw ASN1StructureError("\(what): BOOLEAN must be one octet") }
        return bytes.first! != 0
    }

    /// A UTCTime or GeneralizedTime (with optional fractional seconds) as a Date.
    static func time(_ node: ASN1Node, _ what: String) throws -> Date {
        let text = String(decoding: try primitive(node, what), as: UTF8.self)
        switch node.identifier {
        case .utcTime: return try ASN1Time.parseUTCTime(text, what)
        case .generalizedTime: return try ASN1Time.parseGeneralizedTime(text, what).date
        default: throw ASN1StructureError("\(what) is not a UTCTime or GeneralizedTime")
        }
    }
}

/// INTEGER content octets.
package enum ASN1Integers {
    /// Drops redundant leading sign octets (BER allows them, DER does not).
    static func minimal(_ bytes: [UInt8]) -> [UInt8] {
        var slice = bytes[...]
        while slice.count > 1 {
            let first = slice[slice.startIndex], second = slice[slice.startIndex + 1]
            if (first == 0x00 && second & 0x80 == 0) || (first == 0xFF && second & 0x80 != 0) {
                slice = slice.dropFirst()
            } else {
                break
            }
        }
        return Array(slice)
    }

    /// DER content octets of the non-negative integer with big-endian `magnitude`.
    static func fromMagnitude(_ magnitude: [UInt8]) -> [UInt8] {
        let trimmed = Array(magnitude.drop { $0 == 0 })
        if trimmed.isEmpty { return [0] }
        return trimmed[0] & 0x80 != 0 ? [0] + trimmed : trimmed
    }

    /// DER content octets of `value`.
    package static func from(_ value: UInt64) -> [UInt8] {
        fromMagnitude(withUnsafeBytes(of: value.bigEndian) { Array($0) })
    }

    /// The magnitude of the INTEGER encoded in `bytes`, as `normalizedSerial` gives it; nil
    /// for a negative one. OpenSSL gives serial numbers as magnitudes
    /// (`Certificate.serialNumber`, `OCSPCertID.serialNumber`), DER as content octets, which
    /// differ by a 0x00 octet when the first magnitude octet is 0x80 or more.
    static func magnitude(ofEncoded bytes: [UInt8]) -> [UInt8]? {
        guard let first = bytes.first, first & 0x80 == 0 else { return nil }
        return normalizedSerial(bytes)
    }

    /// Whether two INTEGER encodings denote the same number.
    static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool { minimal(a) == minimal(b) }
}

/// ASN.1 UTCTime and GeneralizedTime text ↔ `Date`, through `CivilTime`.
///
/// Not SwiftASN1's `UTCTime` / `GeneralizedTime`: they accept DER only (seconds required, no
/// trailing zeros in a fraction, no comma), while CMS signing-time and TSTInfo genTime
/// values from other tools are read as BER, and refusing them would change verdicts.
package enum ASN1Time {
    /// A GeneralizedTime with its fraction kept as text.
    package struct Generalized {
        package let date: Date
        /// Fractional-second digits as written ("" when none).
        let fraction: String
    }

    /// `YYYYMMDDHHMMSS[.f+]Z` (DER form); local times and offsets are refused, as RFC 5280 and
    /// RFC 3161 require.
    package static func parseGeneralizedTime(_ text: String, _ what: String) throws -> Generalized {
        let bytes = Array(text.utf8)
        guard bytes.count >= 15, bytes.last == UInt8(ascii: "Z") else {
            throw ASN1StructureError("\(what): GeneralizedTime \"\(text)\" is not YYYYMMDDHHMMSS[.fff]Z")
        }
        let body = bytes.dropLast()
        let main = body.prefix(14)
        var fraction = ""
        if body.count > 14 {
            let rest = body.dropFirst(14)
            guard rest.first == UInt8(ascii: ".") || rest.first == UInt8(ascii: ","), rest.count >= 2,
                  rest.dropFirst().allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
                throw ASN1StructureError("\(what): GeneralizedTime \"\(text)\" has a malformed fraction")
            }
            fraction = String(decoding: rest.dropFirst(), as: UTF8.self)
        }
        let base = try components(Array(main), digits: [4, 2, 2, 2, 2, 2], what, text)
        var date = try makeDate(year: base[0], month: base[1], day: base[2], hour: base[3], minute: base[4], second: base[5], what, text)
        if !fraction.isEmpty, let value = Double("0." + fraction) {
            date += value
        }
        return Generalized(date: date, fraction: fraction)
    }

    /// `YYMMDDHHMMSSZ` (seconds optional in BER); years 50–99 are 19xx (RFC 5280).
    package static func parseUTCTime(_ text: String, _ what: String) throws -> Date {
        let bytes = Array(text.utf8)
        guard bytes.last == UInt8(ascii: "Z"), bytes.count == 13 || bytes.count == 11 else {
            throw ASN1StructureError("\(what): UTCTime \"\(text)\" is not YYMMDDHHMM[SS]Z")
        }
        let digits = Array(bytes.dropLast())
        let parts = try components(digits, digits: digits.count == 12 ? [2, 2, 2, 2, 2, 2] : [2, 2, 2, 2, 2], what, text)
        let year = parts[0] >= 50 ? 1900 + parts[0] : 2000 + parts[0]
        return try makeDate(year: year, month: parts[1], day: parts[2], hour: parts[3], minute: parts[4],
                            second: parts.count > 5 ? parts[5] : 0, what, text)
    }

    private static func components(_ bytes: [UInt8], digits: [Int], _ what: String, _ text: String) throws -> [Int] {
        guard bytes.count == digits.reduce(0, +), bytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw ASN1StructureError("\(what): malformed time \"\(text)\"")
        }
        var result: [Int] = []
        var offset = 0
        for width in digits {
            result.append(bytes[offset..<offset + width].reduce(0) { $0 * 10 + Int($1 - 0x30) })
            offset += width
        }
        return result
    }

    private static func makeDate(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int,
                                 _ what: String, _ text: String) throws -> Date {
        guard (1...12).contains(month), (1...31).contains(day), (0...23).contains(hour),
              (0...59).contains(minute), (0...60).contains(second) else {
            throw ASN1StructureError("\(what): time \"\(text)\" is out of range")
        }
        return CivilTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second).date()
    }

    /// DER GeneralizedTime text for `date`, with `fractionDigits` (0–6) of seconds and
    /// trailing zeros removed (X.690 §11.7).
    package static func generalizedTimeString(_ date: Date, fractionDigits: Int) -> String {
        // Whole microseconds first, so binary floating point cannot turn .120 into .119.
        let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        let whole = Int(micros >= 0 ? micros / 1_000_000 : (micros - 999_999) / 1_000_000)
        let digits = min(max(fractionDigits, 0), 6)
        var divisor: Int64 = 1
        for _ in digits..<6 { divisor *= 10 }
        let fraction = Int((micros - Int64(whole) * 1_000_000) / divisor)
        var text = CivilTime(secondsSince1970: whole).compactText
        if digits > 0 {
            var fractionText = zeroPadded(fraction, width: digits)
            while fractionText.last == "0" { fractionText.removeLast() }
            if !fractionText.isEmpty { text += "." + fractionText }
        }
        return text + "Z"
    }
}

/// Re-encoding BER as DER, for checking that signed attributes were DER-encoded
/// (RFC 5652 §5.4) and for hashing them the way the standard prescribes.
///
/// Covers what distinguishes BER from DER in practice: definite minimal lengths,
/// constructed strings joined into primitive ones, and SET / SET OF elements sorted by
/// their encodings (X.690 §11.6). Primitive contents are kept as they are.
enum DERCanonicalizer {
    /// The DER encoding of `node`; with `asSet`, the node is treated as a SET OF whatever its
    /// tag (for IMPLICIT [0] SET OF, such as signedAttrs) and written with `retag`, if given.
    static func encode(_ node: ASN1Node, asSet: Bool = false, retag: ASN1Identifier? = nil) throws -> [UInt8] {
        var out: [UInt8] = []
        try write(node, asSet: asSet, retag: retag, into: &out, depth: 0)
        return out
    }

    /// The DER `SET OF` encoding (tag 0x31) of an implicitly tagged SET OF, e.g. signedAttrs.
    static func encodeAsSetOf(_ node: ASN1Node) throws -> [UInt8] {
        try encode(node, asSet: true, retag: .set)
    }

    /// Universal string types (BIT STRING, OCTET STRING and the character strings), whose
    /// constructed BER form DER turns into one primitive value.
    private static func isStringTag(_ tag: UInt) -> Bool {
        switch tag {
        case 3, 4, 12, 18, 19, 20, 21, 22, 25, 26, 27, 28, 30: true
        default: false
        }
    }

    private static func write(_ node: ASN1Node, asSet: Bool, retag: ASN1Identifier?, into out: inout [UInt8], depth: Int) throws {
        guard depth < 48 else { throw ASN1StructureError("nesting too deep to re-encode") }
        let identifier = retag ?? node.identifier
        switch node.content {
        case .primitive(let bytes):
            writeHeader(identifier, constructed: false, length: bytes.count, into: &out)
            out += bytes
        case .constructed(let children):
            if node.identifier.tagClass == .universal && isStringTag(node.identifier.tagNumber) {
                let value = try joinedString(node, depth: depth)
                writeHeader(identifier, constructed: false, length: value.count, into: &out)
                out += value
                return
            }
            var encodings: [[UInt8]] = []
            for child in children {
                var encoded: [UInt8] = []
                try write(child, asSet: false, retag: nil, into: &encoded, depth: depth + 1)
                encodings.append(encoded)
            }
            if asSet || node.identifier == .set {
                encodings.sort(by: setElementLessThan)
            }
            let length = encodings.reduce(0) { $0 + $1.count }
            writeHeader(identifier, constructed: true, length: length, into: &out)
            for encoded in encodings { out += encoded }
        }
    }

    /// The value of a constructed string (BIT STRING segments keep only the last unused-bit count).
    private static func joinedString(_ node: ASN1Node, depth: Int) throws -> [UInt8] {
        guard depth < 48 else { throw ASN1StructureError("nesting too deep to re-encode") }
        let isBitString = node.identifier == .bitString
        var value: [UInt8] = []
        var unusedBits: UInt8 = 0
        guard case .constructed(let segments) = node.content else {
            let bytes = try ASN1Read.primitive(node, "string")
            return Array(bytes)
        }
        for segment in segments {
            guard segment.identifier == node.identifier else {
                throw ASN1StructureError("constructed string segment has tag \(segment.identifier)")
            }
            var part: [UInt8]
            if case .primitive(let bytes) = segment.content {
                part = Array(bytes)
            } else {
                part = try joinedString(segment, depth: depth + 1)
            }
            if isBitString {
                guard let first = part.first else { throw ASN1StructureError("empty BIT STRING segment") }
                unusedBits = first
                part.removeFirst()
            }
            value += part
        }
        return isBitString ? [unusedBits] + value : value
    }

    /// X.690 §11.6: encodings compared as octet strings, the shorter padded with zeros.
    static func setElementLessThan(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        for (a, b) in zip(lhs, rhs) where a != b { return a < b }
        return lhs.count < rhs.count
    }

    static func writeHeader(_ identifier: ASN1Identifier, constructed: Bool, length: Int, into out: inout [UInt8]) {
        let classBits: UInt8
        switch identifier.tagClass {
        case .universal: classBits = 0x00
        case .application: classBits = 0x40
        case .contextSpecific: classBits = 0x80
        case .private: classBits = 0xC0
        }
        let constructedBit: UInt8 = constructed ? 0x20 : 0
        if identifier.tagNumber < 0x1f {
            out.append(classBits | constructedBit | UInt8(identifier.tagNumber))
        } else {
            out.append(classBits | constructedBit | 0x1f)
            var number = identifier.tagNumber
            var groups: [UInt8] = [UInt8(number & 0x7f)]
            number >>= 7
            while number > 0 {
                groups.append(UInt8(number & 0x7f) | 0x80)
                number >>= 7
            }
            out += groups.reversed()
        }
        writeLength(length, into: &out)
    }

    static func writeLength(_ length: Int, into out: inout [UInt8]) {
        if length < 0x80 {
            out.append(UInt8(length))
            return
        }
        var bytes: [UInt8] = []
        var remaining = length
        while remaining > 0 {
            bytes.append(UInt8(remaining & 0xff))
            remaining >>= 8
        }
        out.append(0x80 | UInt8(bytes.count))
        out += bytes.reversed()
    }
}

/// Locating the end of the first BER element in a buffer that may carry padding after it
/// (a PDF's /Contents slot is zero-filled after the CMS).
enum BERLength {
    /// The number of bytes of the first complete element of `bytes`, or nil when it is
    /// truncated or malformed.
    static func firstElementLength(_ bytes: [UInt8]) -> Int? {
        var offset = 0
        guard elementEnd(bytes, &offset, depth: 0) else { return nil }
        return offset
    }

    private static func elementEnd(_ bytes: [UInt8], _ offset: inout Int, depth: Int) -> Bool {
        guard depth < 64, offset < bytes.count else { return false }
        let tag = bytes[offset]
        offset += 1
        if tag & 0x1f == 0x1f {
            var count = 0
            repeat {
                guard offset < bytes.count, count < 8 else { return false }
                count += 1
                offset += 1
            } while bytes[offset - 1] & 0x80 != 0
        }
        guard offset < bytes.count else { return false }
        let first = bytes[offset]
        offset += 1
        if first == 0x80 {
            guard tag & 0x20 != 0 else { return false }
            while true {
                guard offset + 1 < bytes.count else { return false }
                if bytes[offset] == 0 && bytes[offset + 1] == 0 {
                    offset += 2
                    return true
                }
                guard elementEnd(bytes, &offset, depth: depth + 1) else { return false }
            }
        }
        var length = 0
        if first & 0x80 != 0 {
            let count = Int(first & 0x7f)
            guard count <= 4, offset + count <= bytes.count else { return false }
            for byte in bytes[offset..<offset + count] { length = length << 8 | Int(byte) }
            offset += count
        } else {
            length = Int(first)
        }
        guard length <= bytes.count - offset else { return false }
        offset += length
        return true
    }
}
