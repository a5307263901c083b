import SwiftASN1

/// Adobe's revocationInfoArchival signed attribute (1.2.840.113583.1.1.8): revocation data
/// the signer embedded at signing time.
///
/// ```
/// RevocationInfoArchival ::= SEQUENCE {
///   crl          [0] EXPLICIT SEQUENCE OF CRLs OPTIONAL,
///   ocsp         [1] EXPLICIT SEQUENCE OF OCSPResponse OPTIONAL,
///   otherRevInfo [2] EXPLICIT SEQUENCE OF OtherRevInfo OPTIONAL }
/// ```
public struct CMSRevocationInfoArchival: Sendable, Hashable {
    /// CertificateList DER encodings, as stored.
    public let crls: [[UInt8]]
    /// OCSPResponse DER encodings, as stored.
    public let ocspResponses: [[UInt8]]
    /// OtherRevInfo entries: type OID and value.
    public let other: [(type: String, value: [UInt8])]

    init(node: ASN1Node) throws {
        var children = try ASN1Read.children(node, .sequence, "RevocationInfoArchival")
        func elements(_ tag: UInt, _ what: String) throws -> [ASN1Node] {
            guard let wrapper = children.optional(.context(tag)) else { return [] }
            var inner = try ASN1Children(wrapper, what)
            let list = try ASN1Read.children(try inner.next(.sequence, what), .sequence, what)
            try inner.finish()
            return list.nodes
        }
        crls = try elements(0, "crl").map { node in
            try ASN1Read.requireTag(node, .sequence, "CRL")
            return Array(node.encodedBytes)
        }
        ocspResponses = try elements(1, "ocsp").map { node in
            try ASN1Read.requireTag(node, .sequence, "OCSPResponse")
            return Array(node.encodedBytes)
        }
        other = try elements(2, "otherRevInfo").map { node in
            var fields = try ASN1Read.children(node, .sequence, "OtherRevInfo")
            let type = try ASN1Read.oid(try fields.next(.objectIdentifier, "type"), "OtherRevInfo type")
            let value = try ASN1Read.octetString(try fields.next(.octetString, "value"), "OtherRevInfo value")
            try fields.finish()
            return (type, value)
        }
        try children.finish()
    }

    /// Equal when the CRLs, OCSP responses and other values are, in order.
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.crls == rhs.crls && lhs.ocspResponses == rhs.ocspResponses
            && lhs.other.map(\.type) == rhs.other.map(\.type) && lhs.other.map(\.value) == rhs.other.map(\.value)
    }

    /// Hashes the CRLs and OCSP responses.
    public func hash(into hasher: inout Swift.Hasher) {
        hasher.combine(crls)
        hasher.combine(ocspResponses)
    }
}
