import SwiftASN1

/// The signing act an event certificate is bound to, carried in a non-critical
/// certificate extension:
///
/// ```
/// id-signet-signingEvent OBJECT IDENTIFIER ::=
///     { joint-iso-itu-t(2) uuid(25) 246287525092287173062214666465094834299 }
///     -- UUID b949407f-d2b7-4713-bdb2-fb835882987b (X.667: no registration needed)
///
/// SignetSigningEvent ::= SEQUENCE {
///     contractNumber    UTF8String,
///     signingEventID    UTF8String,
///     documentSHA256    [0] IMPLICIT OCTET STRING OPTIONAL }
/// ```
///
/// The same facts appear in the subject's description attribute for people reading the
/// certificate; the extension is the machine-readable, authoritative form.
public struct SigningEventBinding: Sendable, Hashable {
    /// The extension's OID.
    public static let oid = "2.25.246287525092287173062214666465094834299"

    public var contractNumber: String
    public var signingEventID: String
    /// SHA-256 of the document as prepared for signing, if it was bound.
    public var documentSHA256: [UInt8]?

    public init(contractNumber: String, signingEventID: String, documentSHA256: [UInt8]? = nil) {
        self.contractNumber = contractNumber
        self.signingEventID = signingEventID
        self.documentSHA256 = documentSHA256
    }

    /// The DER extension value.
    public func derEncoded() throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.appendConstructedNode(identifier: .sequence) { coder in
            try coder.serialize(ASN1UTF8String(contractNumber))
            try coder.serialize(ASN1UTF8String(signingEventID))
            try coder.serializeOptionalImplicitlyTagged(documentSHA256.map { ASN1OctetString(contentBytes: $0[...]) },
                                                        withIdentifier: ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific))
        }
        return serializer.serializedBytes
    }

    /// Parses the DER extension value.
    public init(derEncoded bytes: [UInt8]) throws {
        let root = try DER.parse(bytes)
        self = try DER.sequence(root, identifier: .sequence) { nodes in
            let contract = try ASN1UTF8String(derEncoded: &nodes)
            let event = try ASN1UTF8String(derEncoded: &nodes)
            let digest = try DER.optionalImplicitlyTagged(&nodes, tag: ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific)) as ASN1OctetString?
            return SigningEventBinding(contractNumber: String(contract), signingEventID: String(event),
                                       documentSHA256: digest.map { Array($0.bytes) })
        }
    }
}

extension Certificate {
    /// The signing event this certificate is bound to (event certificates only); nil when
    /// the extension is absent or unreadable.
    public var signingEvent: SigningEventBinding? {
        guard let value = extensionValue(oid: SigningEventBinding.oid) else { return nil }
        return try? SigningEventBinding(derEncoded: value)
    }
}
