public import FoundationEssentials
import SwiftASN1

/// One CMS Attribute: a type and its values, as stored.
public struct CMSAttribute: Sendable, Hashable {
    /// The attribute type OID.
    public let type: String
    /// Each AttributeValue element (TLV), as stored.
    public let values: [[UInt8]]

    init(node: ASN1Node) throws {
        var fields = try ASN1Read.children(node, .sequence, "Attribute")
        type = try ASN1Read.oid(try fields.next(.objectIdentifier, "attrType"), "attrType")
        let set = try ASN1Read.children(try fields.next(.set, "attrValues"), .set, "attrValues")
        try fields.finish()
        values = set.nodes.map { Array($0.encodedBytes) }
    }

    init(type: String, values: [[UInt8]]) {
        self.type = type
        self.values = values
    }

    /// DER Attribute ::= SEQUENCE { attrType, attrValues SET OF } with the values sorted.
    func derEncoded() throws -> [UInt8] {
        var coder = DER.Serializer()
        try coder.appendConstructedNode(identifier: .sequence) { coder in
            try coder.serialize(try ASN1ObjectIdentifier(dotRepresentation: type))
            coder.appendConstructedNode(identifier: .set) { coder in
                for value in values.sorted(by: DERCanonicalizer.setElementLessThan) { coder.serializeRawBytes(value) }
            }
        }
        return coder.serializedBytes
    }
}

/// A SignerInfo's signed attributes: the bytes as stored, their DER encoding (what the
/// signature must cover, RFC 5652 §5.4), and the attributes Signet interprets.
public struct CMSSignedAttributes: Sendable {
    /// The `[0] IMPLICIT SET OF Attribute` element exactly as stored in the SignerInfo.
    public let storedEncoding: [UInt8]
    /// The DER encoding of the same attributes with the SET OF tag (0x31): the bytes the
    /// signature is computed over.
    public let derEncoding: [UInt8]
    /// The attributes in stored order.
    public let attributes: [CMSAttribute]

    /// content-type: the OID of the signed content (must equal eContentType).
    public let contentType: String?
    /// message-digest: the digest of the signed content.
    public let messageDigest: [UInt8]?
    /// signing-time (not allowed in PAdES, met in PKCS#7 and CAdES signatures).
    public let signingTime: Date?
    /// ESS signing-certificate (v1, SHA-1 references).
    public let signingCertificate: ESSSigningCertificate?
    /// ESS signing-certificate-v2.
    public let signingCertificateV2: ESSSigningCertificate?
    /// Adobe revocationInfoArchival (CRLs and OCSP responses captured at signing time).
    public let revocationInfoArchival: CMSRevocationInfoArchival?

    /// Whether the attributes were stored DER-encoded (sorted, definite minimal lengths).
    /// When false, only `derEncoding` is a valid signature input.
    public var isDEREncoded: Bool { Array(storedEncoding.dropFirst()) == Array(derEncoding.dropFirst()) }

    /// The stored bytes re-tagged as SET OF (0x31): what a lenient verifier that skips the
    /// DER re-encoding hashes (OpenSSL and older pyHanko do).
    public var storedEncodingAsSet: [UInt8] { [0x31] + storedEncoding.dropFirst() }

    /// The first attribute of type `oid`.
    public func attribute(_ oid: String) -> CMSAttribute? { attributes.first { $0.type == oid } }

    /// Parses the `[0]` element of a SignerInfo.
    init(node: ASN1Node) throws {
        storedEncoding = Array(node.encodedBytes)
        let list = try ASN1Children(node, "signedAttrs")
        guard !list.nodes.isEmpty else { throw ASN1StructureError("signedAttrs is empty") }
        let attributes = try list.nodes.map(CMSAttribute.init(node:))
        self.attributes = attributes
        derEncoding = try DERCanonicalizer.encodeAsSetOf(node)
        let reader = AttributeReader(attributes: attributes)
        contentType = try reader.interpret(CMSObjectIdentifier.contentType) { try ASN1Read.oid($0, "content-type") }
        messageDigest = try reader.interpret(CMSObjectIdentifier.messageDigest) { node in
            try ASN1Read.requireTag(node, .octetString, "message-digest")
            return try ASN1Read.octetString(node, "message-digest")
        }
        signingTime = try reader.interpret(CMSObjectIdentifier.signingTime) { try ASN1Read.time($0, "signing-time") }
        signingCertificate = try reader.interpret(CMSObjectIdentifier.signingCertificate) {
            try ESSSigningCertificate(node: $0, version: .v1)
        }
        signingCertificateV2 = try reader.interpret(CMSObjectIdentifier.signingCertificateV2) {
            try ESSSigningCertificate(node: $0, version: .v2)
        }
        revocationInfoArchival = try reader.interpret(CMSObjectIdentifier.adobeRevocationInfoArchival) {
            try CMSRevocationInfoArchival(node: $0)
        }
    }
}

/// Reads single-valued attributes: each may appear once, with exactly one value.
struct AttributeReader {
    let attributes: [CMSAttribute]

    func single(_ oid: String) throws -> ASN1Node? {
        let matching = attributes.filter { $0.type == oid }
        guard let attribute = matching.first else { return nil }
        guard matching.count == 1 else {
            throw CMSError.invalidAttribute(oid: oid, reason: "appears \(matching.count) times")
        }
        guard attribute.values.count == 1 else {
            throw CMSError.invalidAttribute(oid: oid, reason: "has \(attribute.values.count) values, expected one")
        }
        do {
            return try ASN1Read.parse(attribute.values[0], CMSError.attributeName(oid))
        } catch {
            throw CMSError.invalidAttribute(oid: oid, reason: "\(error)")
        }
    }

    func interpret<T>(_ oid: String, _ body: (ASN1Node) throws -> T) throws -> T? {
        guard let node = try single(oid) else { return nil }
        do {
            return try body(node)
        } catch let error as CMSError {
            throw error
        } catch {
            throw CMSError.invalidAttribute(oid: oid, reason: "\(error)")
        }
    }
}
