import SwiftASN1

/// DER encoders for the SignedData pieces Signet writes (PAdES signatures and timestamp
/// tokens). All SET OFs are sorted, as DER requires.
package enum CMSBuilder {
    /// The signed attributes as a DER `SET OF Attribute` (tag 0x31): the exact bytes the
    /// signature covers. Stored in the SignerInfo re-tagged as [0].
    package static func signedAttributes(contentType: String, messageDigest: [UInt8], signer: Certificate) throws -> [UInt8] {
        try signedAttributes(contentType: contentType, messageDigest: messageDigest,
                             signingCertificateV2: try ESSSigningCertificate.encodeV2(for: signer))
    }

    /// The same, with the signing-certificate-v2 value already encoded (it is the same for
    /// every signature of one signer).
    package static func signedAttributes(contentType: String, messageDigest: [UInt8], signingCertificateV2: [UInt8]) throws -> [UInt8] {
        var contentTypeValue = DER.Serializer()
        try contentTypeValue.serialize(try ASN1ObjectIdentifier(dotRepresentation: contentType))
        var digestValue = DER.Serializer()
        digestValue.appendPrimitiveNode(identifier: .octetString) { $0 += messageDigest }
        let attributes = [
            CMSAttribute(type: CMSObjectIdentifier.contentType, values: [contentTypeValue.serializedBytes]),
            CMSAttribute(type: CMSObjectIdentifier.messageDigest, values: [digestValue.serializedBytes]),
            CMSAttribute(type: CMSObjectIdentifier.signingCertificateV2, values: [signingCertificateV2]),
        ]
        return try set(attributes.map { try $0.derEncoded() })
    }

    /// A DER SET OF holding `elements` (each already DER), sorted.
    static func set(_ elements: [[UInt8]], identifier: ASN1Identifier = .set) -> [UInt8] {
        var coder = DER.Serializer()
        coder.appendConstructedNode(identifier: identifier) { coder in
            for element in elements.sorted(by: DERCanonicalizer.setElementLessThan) { coder.serializeRawBytes(element) }
        }
        return coder.serializedBytes
    }

    /// SignerInfo version 1 (issuerAndSerialNumber).
    package static func signerInfo(signer: CMSCertificateFields, digest: DigestAlgorithm, signedAttributes: [UInt8],
                           signatureAlgorithm: CMSAlgorithmIdentifier, signature: [UInt8],
                           unsignedAttributes: [CMSAttribute]) throws -> [UInt8] {
        var coder = DER.Serializer()
        try coder.appendConstructedNode(identifier: .sequence) { coder in
            try coder.serialize(1)
            coder.appendConstructedNode(identifier: .sequence) { coder in
                coder.serializeRawBytes(signer.issuerDER)
                coder.appendPrimitiveNode(identifier: .integer) { $0 += signer.serialNumber }
            }
            try CMSAlgorithmIdentifier(digest: digest).serialize(into: &coder)
            // [0] IMPLICIT: the SET OF's contents under a context tag.
            coder.serializeRawBytes([0xA0] + signedAttributes.dropFirst())
            try signatureAlgorithm.serialize(into: &coder)
            coder.appendPrimitiveNode(identifier: .octetString) { $0 += signature }
            if !unsignedAttributes.isEmpty {
                let unsigned = set(try unsignedAttributes.map { try $0.derEncoded() })
                coder.serializeRawBytes([0xA1] + unsigned.dropFirst())
            }
        }
        return coder.serializedBytes
    }

    /// ContentInfo { id-signedData, SignedData } with one SignerInfo.
    package static func contentInfo(digest: DigestAlgorithm, contentType: String, content: [UInt8]?,
                            certificates: [Certificate], revocationInfoChoices: [[UInt8]] = [],
                            signerInfo: [UInt8]) throws -> [UInt8] {
        var coder = DER.Serializer()
        try coder.appendConstructedNode(identifier: .sequence) { coder in
            try coder.serialize(try ASN1ObjectIdentifier(dotRepresentation: CMSObjectIdentifier.signedData))
            try coder.appendConstructedNode(identifier: .context(0)) { coder in
                try coder.appendConstructedNode(identifier: .sequence) { coder in
                    // RFC 5652 §5.1: version 5 with an "other" RevocationInfoChoice (an OCSP
                    // response, [1]); else 1 for id-data with v1 SignerInfos, 3 otherwise.
                    let hasOtherRevocationInfo = revocationInfoChoices.contains { $0.first == 0xA1 }
                    try coder.serialize(hasOtherRevocationInfo ? 5 : contentType == CMSObjectIdentifier.data ? 1 : 3)
                    var digestSet = DER.Serializer()
                    try CMSAlgorithmIdentifier(digest: digest).serialize(into: &digestSet)
                    coder.serializeRawBytes(set([digestSet.serializedBytes]))
                    try coder.appendConstructedNode(identifier: .sequence) { coder in
                        try coder.serialize(try ASN1ObjectIdentifier(dotRepresentation: contentType))
                        if let content {
                            coder.appendConstructedNode(identifier: .context(0)) { coder in
                                coder.appendPrimitiveNode(identifier: .octetString) { $0 += content }
                            }
                        }
                    }
                    var unique: [Certificate] = []
                    for certificate in certificates where !unique.contains(certificate) { unique.append(certificate) }
                    if !unique.isEmpty {
                        coder.serializeRawBytes(set(unique.map(\.der), identifier: .context(0)))
                    }
                    if !revocationInfoChoices.isEmpty {
                        coder.serializeRawBytes(set(revocationInfoChoices, identifier: .context(1)))
                    }
                    coder.serializeRawBytes(set([signerInfo]))
                }
            }
        }
        return coder.serializedBytes
    }
}
