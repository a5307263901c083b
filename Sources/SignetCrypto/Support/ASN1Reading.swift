import FoundationEssentials
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
