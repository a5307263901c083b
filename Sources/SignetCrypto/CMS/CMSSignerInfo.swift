import SwiftASN1

/// How a SignerInfo names its signer's certificate.
public enum CMSSignerIdentifier: Sendable, Hashable, CustomStringConvertible {
    /// Issuer name and serial number (SignerInfo version 1).
    case issuerAndSerialNumber(issuer: DistinguishedName, serialNumber: [UInt8])
    /// Subject key identifier (SignerInfo version 3).
    case subjectKeyIdentifier([UInt8])

    /// The identifier in words: issuer and serial number, or key identifier.
    public var description: String {
        switch self {
        case .issuerAndSerialNumber(let issuer, let serial):
            "issuer \(issuer), serial \(ASN1Integers.minimal(serial).hexString.uppercased())"
        case .subjectKeyIdentifier(let ski): "subject key identifier \(ski.hexString)"
        }
    }

    /// Whether `certificate` is the one this identifier names.
    public func matches(_ certificate: Certificate) -> Bool {
        switch self {
        case .issuerAndSerialNumber(let issuer, let serial):
            guard let fields = try? CMSCertificateFields(certificate) else { return false }
            return ASN1Integers.equal(serial, fields.serialNumber) && issuer.matches(certificate.issuer)
        case .subjectKeyIdentifier(let ski):
            return CMSCertificateFields.keyIdentifier(of: certificate) == ski
        }
    }
}

/// One SignerInfo of a SignedData (RFC 5652 §5.3), parsed but not yet verified.
public struct CMSSignerInfo: Sendable {
    /// The SignerInfo version (1 with issuerAndSerialNumber, 3 with subjectKeyIdentifier).
    public let version: Int
    /// The signer's certificate identifier.
    public let signerIdentifier: CMSSignerIdentifier
    /// The digest algorithm as encoded.
    public let digestAlgorithmIdentifier: CMSAlgorithmIdentifier
    /// The signed attributes, or nil when the signature is directly over the content digest.
    public let signedAttributes: CMSSignedAttributes?
    /// The signature algorithm as encoded.
    public let signatureAlgorithm: CMSAlgorithmIdentifier
    /// The signature value.
    public let signature: [UInt8]
    /// The unsigned attributes, in stored order.
    public let unsignedAttributes: [CMSAttribute]

    /// The digest algorithm, if Signet supports it (the content must be hashed with it).
    public var digestAlgorithm: DigestAlgorithm? { digestAlgorithmIdentifier.digestAlgorithm }

    /// The signature scheme (RSA PKCS#1 v1.5 / PSS with its parameters, ECDSA, Ed25519).
    public var signatureScheme: SignatureScheme {
        get throws(CMSError) { try signatureAlgorithm.signatureScheme(digest: digestAlgorithm) }
    }

    /// The values (ContentInfo DER) of every signature-time-stamp unsigned attribute, in order.
    public var signatureTimeStampTokens: [[UInt8]] {
        unsignedAttributes.filter { $0.type == CMSObjectIdentifier.signatureTimeStampToken }.flatMap(\.values)
    }

    init(node: ASN1Node) throws {
        var fields = try ASN1Read.children(node, .sequence, "SignerInfo")
        version = try ASN1Read.smallInteger(try fields.next(.integer, "version"), "SignerInfo version")
        let sid = try fields.next("sid")
        if sid.identifier == .sequence {
            var parts = try ASN1Children(sid, "IssuerAndSerialNumber")
            let issuerDER = Array(try parts.next(.sequence, "issuer").encodedBytes)
            let serial = try ASN1Read.integerBytes(try parts.next(.integer, "serialNumber"), "serialNumber")
            try parts.finish()
            let issuer: DistinguishedName
            do { issuer = try DistinguishedName(der: issuerDER) } catch {
                throw ASN1StructureError("IssuerAndSerialNumber: unreadable issuer name")
            }
            signerIdentifier = .issuerAndSerialNumber(issuer: issuer, serialNumber: serial)
        } else if sid.identifier == .context(0) {
            signerIdentifier = .subjectKeyIdentifier(try ASN1Read.octetString(sid, "subjectKeyIdentifier"))
        } else {
            throw ASN1StructureError("SignerInfo: sid has tag \(sid.identifier)")
        }
        digestAlgorithmIdentifier = try CMSAlgorithmIdentifier(node: try fields.next(.sequence, "digestAlgorithm"), "digestAlgorithm")
        signedAttributes = try fields.optional(.context(0)).map(CMSSignedAttributes.init(node:))
        signatureAlgorithm = try CMSAlgorithmIdentifier(node: try fields.next(.sequence, "signatureAlgorithm"), "signatureAlgorithm")
        signature = try ASN1Read.octetString(try fields.next(.octetString, "signature"), "signature")
        if let unsigned = fields.optional(.context(1)) {
            let list = try ASN1Children(unsigned, "unsignedAttrs")
            unsignedAttributes = try list.nodes.map(CMSAttribute.init(node:))
        } else {
            unsignedAttributes = []
        }
        try fields.finish()
    }
}
