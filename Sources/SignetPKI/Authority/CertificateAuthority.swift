public import FoundationEssentials
public import SignetCrypto

/// A certificate authority: a CA certificate with its private key, issuing certificates,
/// CRLs and (through `OCSPResponder`) OCSP responses.
public struct CertificateAuthority: Sendable {
    /// The CA's own certificate.
    public let certificate: Certificate
    /// The CA's signing key (never printed: `PrivateKey.description` shows the algorithm only).
    public let privateKey: PrivateKey

    /// Pairs a CA certificate with its key. Refuses a key that does not match, and a
    /// certificate that cannot issue (no cA in basicConstraints, or keyUsage without
    /// keyCertSign).
    public init(certificate: Certificate, privateKey: PrivateKey) throws {
        guard try certificate.publicKey == privateKey.publicKey else {
            throw CertificateAuthorityError.keyDoesNotMatchCertificate(subject: certificate.subject.displayString)
        }
        guard certificate.isCA else {
            throw CertificateAuthorityError.notACertificateAuthority(subject: certificate.subject.displayString,
                                                                    reason: "basicConstraints does not say cA")
        }
        if let usage = certificate.keyUsage, !usage.contains(.keyCertSign) {
            throw CertificateAuthorityError.notACertificateAuthority(subject: certificate.subject.displayString,
                                                                    reason: "keyUsage lacks keyCertSign")
        }
        self.certificate = certificate
        self.privateKey = privateKey
    }

    /// Creates a self-signed root CA with a fresh `CertificateBuilder.certificateAuthority` profile.
    public static func makeRoot(
        subject: DistinguishedName, key: PrivateKey, notBefore: Date, notAfter: Date, pathLength: Int? = nil
    ) throws -> CertificateAuthority {
        let builder = CertificateBuilder.certificateAuthority(
            subject: subject, publicKey: try key.publicKey, notBefore: notBefore, notAfter: notAfter, pathLength: pathLength)
        return try CertificateAuthority(certificate: try builder.selfSigned(with: key), privateKey: key)
    }

    /// Issues a certificate: issuer name and authorityKeyIdentifier from this CA, a random
    /// serial unless the builder sets one, signed with SHA-256 (ECDSA or RSA by key type).
    /// The validity must lie within the CA's own.
    public func issue(_ builder: CertificateBuilder) throws -> Certificate {
        guard builder.notBefore >= certificate.notBefore, builder.notAfter <= certificate.notAfter else {
            throw CertificateAuthorityError.validityOutsideIssuer(
                notBefore: builder.notBefore, notAfter: builder.notAfter,
                issuerNotBefore: certificate.notBefore, issuerNotAfter: certificate.notAfter)
        }
        let aki = try certificate.subjectKeyIdentifier ?? certificate.publicKeySHA1()
        return try builder.sign(issuer: certificate.subject, authorityKeyIdentifier: aki, key: privateKey)
    }

    /// Issues a subordinate CA from a key, with keyCertSign + cRLSign and `pathLength`.
    public func issueSubordinate(
        subject: DistinguishedName, key: PublicKey, notBefore: Date, notAfter: Date, pathLength: Int? = 0,
        crlDistributionPoints: [String] = [], caIssuersURLs: [String] = []
    ) throws -> Certificate {
        var builder = CertificateBuilder.certificateAuthority(
            subject: subject, publicKey: key, notBefore: notBefore, notAfter: notAfter, pathLength: pathLength)
        builder.crlDistributionPoints = crlDistributionPoints
        builder.caIssuersURLs = caIssuersURLs
        return try issue(builder)
    }
}
