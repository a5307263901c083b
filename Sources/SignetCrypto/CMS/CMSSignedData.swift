import SwiftASN1

/// A revocation entry of a SignedData in a format other than a CRL (RFC 5652 §10.2.1),
/// e.g. an OCSP response (RFC 5940).
public struct CMSOtherRevocationInfo: Sendable, Hashable {
    /// otherRevInfoFormat OID.
    public let format: String
    /// The otherRevInfo element (TLV) as stored.
    public let value: [UInt8]
}

/// A CMS ContentInfo holding SignedData (RFC 5652 §5), parsed from BER or DER.
///
/// Parsing checks structure only; the checks in `CMSSignedData+Verification` decide
/// whether the signature holds. Everything a validator needs is kept as stored.
public struct CMSSignedData: Sendable {
    /// The ContentInfo bytes (without any padding that followed them).
    public let encoded: [UInt8]
    /// The SignedData version.
    public let version: Int
    /// The digestAlgorithms set, as encoded.
    public let digestAlgorithms: [CMSAlgorithmIdentifier]
    /// eContentType: id-data for PDF signatures, id-ct-TSTInfo for timestamp tokens.
    public let encapsulatedContentType: String
    /// eContent, or nil when absent (a detached signature).
    public let encapsulatedContent: [UInt8]?
    /// The embedded X.509 certificates, in stored order (their `der` is the stored encoding).
    public let certificates: [Certificate]
    /// How many CertificateChoices of other kinds (attribute certificates, ...) were skipped.
    public let otherCertificateCount: Int
    /// Embedded CRLs (CertificateList DER), in stored order.
    public let crls: [[UInt8]]
    /// Embedded revocation entries in other formats.
    public let otherRevocationInfo: [CMSOtherRevocationInfo]
    /// The SignerInfos, in stored order.
    public let signerInfos: [CMSSignerInfo]
    /// Zero bytes that followed the ContentInfo (PDF /Contents padding), when allowed.
    public let trailingPadding: Int

    /// Embedded OCSP responses (id-ri-ocsp-response entries; RFC 5940).
    public var ocspResponses: [[UInt8]] {
        otherRevocationInfo.filter { $0.format == CMSObjectIdentifier.ocspResponseRevocationInfo }.map(\.value)
    }

    /// Whether eContent is absent (a detached signature).
    public var isDetached: Bool { encapsulatedContent == nil }

    /// Parses a ContentInfo with SignedData.
    ///
    /// - Parameters:
    ///   - bytes: BER or DER; indefinite lengths and constructed strings are accepted.
    ///   - allowingTrailingZeroPadding: accept zero bytes after the ContentInfo (a PDF
    ///     signature's /Contents slot is zero-filled); anything else after it is an error.
    ///   - certificateCache: where the embedded certificates are parsed, so that a
    ///     validation run parses each certificate it meets once; nil parses them here.
    public init(berEncoded bytes: [UInt8], allowingTrailingZeroPadding: Bool = false,
                certificateCache: CertificateCache? = nil) throws(CMSError) {
        var input = bytes
        var padding = 0
        if allowingTrailingZeroPadding, let length = BERLength.firstElementLength(bytes), length < bytes.count {
            guard bytes[length...].allSatisfy({ $0 == 0 }) else {
                throw .malformed("non-zero bytes follow the ContentInfo")
            }
            padding = bytes.count - length
            input = Array(bytes[..<length])
        }
        do {
            try self.init(parsing: input, padding: padding, certificateCache: certificateCache)
        } catch {
            throw CMSError.wrap(error)
        }
    }

    private init(parsing bytes: [UInt8], padding: Int, certificateCache: CertificateCache?) throws {
        encoded = bytes
        trailingPadding = padding
        let root = try ASN1Read.parse(bytes, "ContentInfo")
        var contentInfo = try ASN1Read.children(root, .sequence, "ContentInfo")
        let contentType = try ASN1Read.oid(try contentInfo.next(.objectIdentifier, "contentType"), "contentType")
        guard contentType == CMSObjectIdentifier.signedData else { throw CMSError.notSignedData(contentType: contentType) }
        var explicit = try ASN1Children(try contentInfo.next(.context(0), "content"), "content")
        try contentInfo.finish()
        let signedDataNode = try explicit.next(.sequence, "SignedData")
        try explicit.finish()

        var fields = try ASN1Children(signedDataNode, "SignedData")
        version = try ASN1Read.smallInteger(try fields.next(.integer, "version"), "SignedData version")
        let digestSet = try ASN1Read.children(try fields.next(.set, "digestAlgorithms"), .set, "digestAlgorithms")
        digestAlgorithms = try digestSet.nodes.map { try CMSAlgorithmIdentifier(node: $0, "digestAlgorithm") }

        var encapsulated = try ASN1Read.children(try fields.next(.sequence, "encapContentInfo"), .sequence, "EncapsulatedContentInfo")
        encapsulatedContentType = try ASN1Read.oid(try encapsulated.next(.objectIdentifier, "eContentType"), "eContentType")
        if let wrapper = encapsulated.optional(.context(0)) {
            var inner = try ASN1Children(wrapper, "eContent")
            let octets = try inner.next(.octetString, "eContent")
            try inner.finish()
            encapsulatedContent = try ASN1Read.octetString(octets, "eContent")
        } else {
            encapsulatedContent = nil
        }
        try encapsulated.finish()

        var certificates: [Certificate] = []
        var otherCertificates = 0
        if let set = fields.optional(.context(0)) {
            for choice in try ASN1Children(set, "certificates").nodes {
                guard choice.identifier == .sequence else {
                    otherCertificates += 1
                    continue
                }
                do {
                    let der = Array(choice.encodedBytes)
                    certificates.append(try certificateCache?.certificate(der: der) ?? Certificate(der: der))
                } catch {
                    throw ASN1StructureError("certificates: entry \(certificates.count + otherCertificates + 1) is not a readable X.509 certificate")
                }
            }
        }
        self.certificates = certificates
        otherCertificateCount = otherCertificates

        var crls: [[UInt8]] = []
        var others: [CMSOtherRevocationInfo] = []
        if let set = fields.optional(.context(1)) {
            for choice in try ASN1Children(set, "crls").nodes {
                if choice.identifier == .sequence {
                    crls.append(Array(choice.encodedBytes))
                } else if choice.identifier == .context(1) {
                    var parts = try ASN1Children(choice, "OtherRevocationInfoFormat")
                    let format = try ASN1Read.oid(try parts.next(.objectIdentifier, "otherRevInfoFormat"), "otherRevInfoFormat")
                    let value = Array(try parts.next("otherRevInfo").encodedBytes)
                    try parts.finish()
                    others.append(CMSOtherRevocationInfo(format: format, value: value))
                } else {
                    throw ASN1StructureError("crls: unexpected RevocationInfoChoice \(choice.identifier)")
                }
            }
        }
        self.crls = crls
        otherRevocationInfo = others

        let signerSet = try ASN1Read.children(try fields.next(.set, "signerInfos"), .set, "signerInfos")
        signerInfos = try signerSet.nodes.map(CMSSignerInfo.init(node:))
        try fields.finish()
    }
}
