/// Makes detached CMS SignedData for PAdES (`/SubFilter /ETSI.CAdES.detached`) over a
/// digest the caller computed (the PDF's byte ranges).
///
/// The signed attributes are exactly content-type (id-data), message-digest and
/// signing-certificate-v2 (SHA-256 ESSCertIDv2 with issuerSerial), DER-sorted, with no
/// signing-time (PAdES puts the claimed time in the signature dictionary's /M). With a
/// timestamp provider the SignerInfo gets a signature-time-stamp unsigned attribute over
/// its signature value; timestamping fails closed.
public struct CMSSigner: Sendable {
    /// The signing key (in memory or external).
    public let key: any CMSSigningKey
    /// The signer's certificate.
    public let certificate: Certificate
    /// Further certificates to embed (issuing CAs), without the signer's.
    public let chain: [Certificate]
    /// The key's signature scheme.
    public let scheme: SignatureScheme
    /// The digest algorithm the content must be hashed with (follows the key: SHA-256 for
    /// P-256 and RSA, SHA-384 for P-384).
    public let digestAlgorithm: DigestAlgorithm

    private let certificateFields: CMSCertificateFields
    private let signingCertificateV2: [UInt8]

    /// Checks that `key` matches `certificate` and can sign digests.
    public init(key: any CMSSigningKey, certificate: Certificate, chain: [Certificate] = []) throws(CMSError) {
        self.key = key
        self.certificate = certificate
        self.chain = chain.filter { $0 != certificate }
        do {
            scheme = try key.signatureScheme
            certificateFields = try CMSCertificateFields(certificate)
            signingCertificateV2 = try ESSSigningCertificate.encodeV2(for: certificate)
        } catch {
            throw .signingFailed("unusable signing key or certificate: \(error)")
        }
        guard let digest = scheme.digest else { throw .unsupportedAlgorithm("\(scheme) cannot sign a precomputed digest") }
        digestAlgorithm = digest
        guard certificate.matches(key) else {
            throw .signingFailed("the signing key does not match the certificate \(certificate.subject)")
        }
    }

    /// A DER ContentInfo with detached SignedData over `messageDigest`.
    ///
    /// - Parameters:
    ///   - messageDigest: the content digest computed with `digestAlgorithm`.
    ///   - timestampProvider: when given, a signature-time-stamp is added; its errors
    ///     propagate and no unstamped CMS is returned.
    public func sign(messageDigest: [UInt8], timestampProvider: (any TimeStampProvider)? = nil) async throws -> [UInt8] {
        try await sign(messageDigest: messageDigest, timestampProvider: timestampProvider, validationData: nil)
    }

    /// A DER ContentInfo with detached SignedData over `messageDigest` that also carries
    /// validation data (CAdES for offline verification, e.g. an ASiC-E signature): once the
    /// signature (and its timestamp, when a provider is given) exists, `validationData` is
    /// asked, with the timestamp token, for the extra certificates (the TSA's chain), CRLs
    /// and OCSP responses to embed in SignedData `certificates` and `crls` (RFC 5940).
    /// PAdES signatures keep these in the PDF's DSS instead and use `sign(messageDigest:timestampProvider:)`.
    public func sign(messageDigest: [UInt8], timestampProvider: (any TimeStampProvider)?,
                     validationData: (@Sendable (TimeStampToken?) async throws -> CMSEmbeddedValidationData)?) async throws -> [UInt8] {
        guard messageDigest.count == digestAlgorithm.outputLength else {
            throw CMSError.digestLengthMismatch(expected: digestAlgorithm.outputLength, actual: messageDigest.count)
        }
        let signedAttributes: [UInt8]
        do {
            signedAttributes = try CMSBuilder.signedAttributes(contentType: CMSObjectIdentifier.data,
                                                               messageDigest: messageDigest, signingCertificateV2: signingCertificateV2)
        } catch {
            throw CMSError.signingFailed("cannot encode the signed attributes: \(error)")
        }
        let signature = try await signAndCheck(signedAttributes)

        var unsigned: [CMSAttribute] = []
        var stamp: TimeStampToken?
        if let timestampProvider {
            let imprint = digestAlgorithm.hash(signature)
            let token = try await timestampProvider.timestamp(digest: imprint, algorithm: digestAlgorithm)
            guard token.info.messageImprint.algorithm.digestAlgorithm == digestAlgorithm,
                  token.info.messageImprint.digest == imprint else {
                throw CMSError.timestampDoesNotCoverSignature
            }
            unsigned.append(CMSAttribute(type: CMSObjectIdentifier.signatureTimeStampToken, values: [token.encoded]))
            stamp = token
        }
        let extra = try await validationData?(stamp) ?? CMSEmbeddedValidationData()
        return try assemble(signedAttributes: signedAttributes, signature: signature, unsigned: unsigned, validationData: extra)
    }

    /// Signs the DER signed attributes and verifies the result with the certificate's key
    /// before it is used (catches a faulty external signer).
    private func signAndCheck(_ signedAttributes: [UInt8]) async throws -> [UInt8] {
        let signature: [UInt8]
        do {
            signature = try await key.signDigest(digestAlgorithm.hash(signedAttributes))
        } catch {
            throw CMSError.signingFailed("the signing key failed: \(error)")
        }
        guard (try? certificate.verifySignature(signature, message: signedAttributes, scheme: scheme)) == true else {
            throw CMSError.signingFailed("the signing key returned a signature that does not verify")
        }
        return signature
    }

    private func assemble(signedAttributes: [UInt8], signature: [UInt8], unsigned: [CMSAttribute],
                          validationData: CMSEmbeddedValidationData = CMSEmbeddedValidationData()) throws -> [UInt8] {
        do {
            let signerInfo = try CMSBuilder.signerInfo(
                signer: certificateFields, digest: digestAlgorithm, signedAttributes: signedAttributes,
                signatureAlgorithm: try CMSAlgorithmIdentifier(signature: scheme), signature: signature,
                unsignedAttributes: unsigned)
            return try CMSBuilder.contentInfo(digest: digestAlgorithm, contentType: CMSObjectIdentifier.data, content: nil,
                                              certificates: [certificate] + chain + validationData.certificates,
                                              revocationInfoChoices: try validationData.revocationInfoChoices(), signerInfo: signerInfo)
        } catch {
            throw CMSError.signingFailed("cannot encode the SignedData: \(error)")
        }
    }

    /// An upper bound on the size of `sign(...)`'s output when the timestamp token (if any)
    /// is at most `timestampTokenSize` bytes. Reserve at least this many bytes (twice as
    /// many hex digits) for a PDF /Contents.
    public func estimatedSize(timestampTokenSize: Int?) throws(CMSError) -> Int {
        let placeholderSignature = [UInt8](repeating: 0xFF, count: certificate.maximumSignatureSize)
        do {
            let attributes = try CMSBuilder.signedAttributes(
                contentType: CMSObjectIdentifier.data,
                messageDigest: [UInt8](repeating: 0, count: digestAlgorithm.outputLength), signingCertificateV2: signingCertificateV2)
            var unsigned: [CMSAttribute] = []
            if let timestampTokenSize {
                // Only the token's length matters for the encoding around it.
                unsigned.append(CMSAttribute(type: CMSObjectIdentifier.signatureTimeStampToken,
                                             values: [[UInt8](repeating: 0, count: timestampTokenSize)]))
            }
            return try assemble(signedAttributes: attributes, signature: placeholderSignature, unsigned: unsigned).count
        } catch let error as CMSError {
            throw error
        } catch {
            throw .signingFailed("cannot estimate the CMS size: \(error)")
        }
    }

    /// An upper bound on the size of `sign(...)`'s output with tokens from `timestampProvider`.
    public func estimatedSize(timestampProvider: (any TimeStampProvider)?) async throws -> Int {
        guard let timestampProvider else { return try estimatedSize(timestampTokenSize: nil) }
        return try estimatedSize(timestampTokenSize: try await timestampProvider.estimatedTokenSize(algorithm: digestAlgorithm))
    }
}
