import SwiftASN1

/// The parts of a certificate's DER that CMS identifies it by, read exactly as encoded:
/// issuer Name, serial number INTEGER and the subject public key bits.
package struct CMSCertificateFields {
    /// The issuer Name element (TLV) as encoded in the certificate.
    let issuerDER: [UInt8]
    /// The serial number's INTEGER content octets (two's complement).
    let serialNumber: [UInt8]
    /// The subjectPublicKey BIT STRING value without its unused-bits octet (what the
    /// RFC 5280 §4.2.1.2 key identifier method 1 hashes).
    let subjectPublicKeyBits: [UInt8]

    package init(_ certificate: Certificate) throws {
        let root = try ASN1Read.parse(certificate.der, "certificate")
        var outer = try ASN1Read.children(root, .sequence, "Certificate")
        var tbs = try ASN1Read.children(try outer.next(.sequence, "tbsCertificate"), .sequence, "TBSCertificate")
        _ = tbs.optional(.context(0))
        serialNumber = try ASN1Read.integerBytes(try tbs.next(.integer, "serialNumber"), "serialNumber")
        _ = try tbs.next(.sequence, "signature")
        issuerDER = Array(try tbs.next(.sequence, "issuer").encodedBytes)
        _ = try tbs.next(.sequence, "validity")
        _ = try tbs.next(.sequence, "subject")
        var spki = try ASN1Read.children(try tbs.next(.sequence, "subjectPublicKeyInfo"), .sequence, "SubjectPublicKeyInfo")
        _ = try spki.next(.sequence, "algorithm")
        let bits = try ASN1Read.primitive(try spki.next(.bitString, "subjectPublicKey"), "subjectPublicKey")
        subjectPublicKeyBits = Array(bits.dropFirst())
    }

    /// The subject key identifier: the extension if present, else the SHA-1 of the key bits.
    static func keyIdentifier(of certificate: Certificate) -> [UInt8]? {
        if let ski = certificate.subjectKeyIdentifier { return ski }
        guard let fields = try? CMSCertificateFields(certificate) else { return nil }
        return DigestAlgorithm.sha1.hash(fields.subjectPublicKeyBits)
    }
}
