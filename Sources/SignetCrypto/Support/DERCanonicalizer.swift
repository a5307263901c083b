import FoundationEssentials
import SwiftASN1

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
