public import FoundationEssentials

/// What `TimeStampToken.verify` established.
public struct TimeStampVerification: Sendable {
    /// The TSA certificate that signed the token.
    public let tsaCertificate: Certificate
    /// The chain from the TSA certificate to an anchor, when trust was checked.
    public let chain: [Certificate]?
    /// The token's genTime.
    public let genTime: Date
    /// The token's claimed accuracy.
    public let accuracy: TimeStampAccuracy?
}

extension TimeStampToken {
    /// The token's CMS checks: TSA certificate found (in the token or `extraCertificates`),
    /// message-digest over the TSTInfo, signature over the DER signed attributes, and the
    /// signing-certificate(-v2) binding, which RFC 3161 §2.4.1 requires.
    ///
    /// - Returns: the TSA certificate.
    @discardableResult
    public func checkSignature(extraCertificates: [Certificate] = []) throws(TimeStampError) -> Certificate {
        let result: CMSSignerVerification
        do {
            result = try signedData.verifySigner(
                at: 0, contentDigest: nil,
                options: CMSVerificationOptions(requireSigningCertificateReference: true, extraCertificates: extraCertificates))
        } catch {
            throw .signature(error)
        }
        if let failure = result.failures.first { throw .signature(failure) }
        guard result.isValid, let certificate = result.signerCertificate else {
            throw .signature(.signerCertificateNotFound(signerInfo.signerIdentifier.description))
        }
        return certificate
    }

    /// The TSA certificate must have an extended key usage extension, marked critical,
    /// with timeStamping as its only purpose (RFC 3161 §2.3), and a key usage, if present,
    /// limited to digitalSignature / nonRepudiation.
    public static func checkTimeStampingCertificate(_ certificate: Certificate) throws(TimeStampError) {
        let usages = certificate.extendedKeyUsage
        guard usages.contains(ExtendedKeyUsage.timeStamping) else {
            throw .notATimeStampingCertificate("no timeStamping extended key usage")
        }
        guard usages.count == 1 else {
            throw .notATimeStampingCertificate("the extended key usage has other purposes besides timeStamping")
        }
        guard certificate.isExtensionCritical("2.5.29.37") == true else {
            throw .notATimeStampingCertificate("the extended key usage extension is not critical")
        }
        if let usage = certificate.keyUsage {
            let allowed: KeyUsage = [.digitalSignature, .nonRepudiation]
            guard !usage.isDisjoint(with: allowed), usage.isSubset(of: allowed) else {
                throw .notATimeStampingCertificate("key usage must be digitalSignature and/or nonRepudiation only")
            }
        }
    }

    /// The message imprint must be `digest` computed with `algorithm`.
    public func checkImprint(digest: [UInt8], algorithm: DigestAlgorithm) throws(TimeStampError) {
        let imprint = info.messageImprint
        guard imprint.algorithm.digestAlgorithm == algorithm else {
            throw .imprintMismatch("the token uses \(imprint.algorithm.oid), expected \(algorithm)")
        }
        guard imprint.algorithm.hasNoParameters else {
            throw .imprintMismatch("unexpected parameters in the imprint's hash algorithm")
        }
        guard imprint.digest == digest else {
            throw .imprintMismatch("the imprint \(imprint.digest.hexString) differs from \(digest.hexString)")
        }
    }

    /// The message imprint must be the digest of `data` with the token's own algorithm
    /// (for a signature timestamp: the signature value; for a document timestamp: the
    /// PDF byte ranges).
    public func checkImprint(covering data: some Sequence<UInt8>) throws(TimeStampError) {
        guard let algorithm = info.messageImprint.algorithm.digestAlgorithm else {
            throw .imprintMismatch("unsupported imprint algorithm \(info.messageImprint.algorithm.oid)")
        }
        try checkImprint(digest: algorithm.hash(data), algorithm: algorithm)
    }

    /// The token must echo `nonce`.
    public func checkNonce(_ nonce: [UInt8]) throws(TimeStampError) {
        guard let actual = info.nonce, ASN1Integers.equal(actual, nonce) else {
            throw .nonceMismatch(expected: nonce, actual: info.nonce)
        }
    }

    /// A directoryName tsa field must name the TSA certificate's subject (other
    /// GeneralName forms are not interpreted).
    public func checkTSAName(_ tsaCertificate: Certificate) throws(TimeStampError) {
        guard let name = info.tsaName else { return }
        guard name.matches(tsaCertificate.subject) else {
            throw .tsaNameMismatch("the token names \(name), signed by \(tsaCertificate.subject)")
        }
    }

    /// Every check: CMS signature and ESS binding, TSA certificate purpose, TSA name,
    /// imprint, nonce (when given) and, when `trust` is given, the chain to an anchor.
    public func verify(digest: [UInt8], algorithm: DigestAlgorithm, nonce: [UInt8]? = nil,
                       trust: TimeStampTrust?, extraCertificates: [Certificate] = []) throws(TimeStampError) -> TimeStampVerification {
        let tsaCertificate = try checkSignature(extraCertificates: extraCertificates)
        try Self.checkTimeStampingCertificate(tsaCertificate)
        try checkTSAName(tsaCertificate)
        try checkImprint(digest: digest, algorithm: algorithm)
        if let nonce { try checkNonce(nonce) }
        let chain = try trust?.validateChain(for: tsaCertificate, untrusted: signedData.certificates + extraCertificates)
        return TimeStampVerification(tsaCertificate: tsaCertificate, chain: chain, genTime: info.genTime, accuracy: info.accuracy)
    }
}
