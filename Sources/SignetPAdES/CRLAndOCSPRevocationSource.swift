public import SignetCrypto

/// A `RevocationDataSource` over material at hand: CRLs (each used for the certificates its
/// issuer signed) and, optionally, a way to get an OCSP response for a certificate (an
/// in-process responder, or a client). Certificates with neither fail LTV extension.
public struct CRLAndOCSPRevocationSource: RevocationDataSource {
    /// CA certificates that may complete a chain.
    public let knownCertificates: [Certificate]
    /// CRLs; each is used for the certificates its issuer signed.
    public let crls: [CertificateRevocationList]
    /// Fetches a DER OCSP response for a certificate and its issuer (nil result: none available).
    public let ocsp: (@Sendable (_ certificate: Certificate, _ issuer: Certificate) async throws -> [UInt8]?)?

    /// A source over `knownCertificates`, `crls` and, optionally, an OCSP fetcher.
    public init(
        knownCertificates: [Certificate],
        crls: [CertificateRevocationList],
        ocsp: (@Sendable (_ certificate: Certificate, _ issuer: Certificate) async throws -> [UInt8]?)? = nil
    ) {
        self.knownCertificates = knownCertificates
        self.crls = crls
        self.ocsp = ocsp
    }

    /// The OCSP response (if `ocsp` gives one) and the CRLs issued by `issuer`; throws
    /// `PAdESError.noRevocationData` when there are neither.
    public func revocationData(for certificate: Certificate, issuer: Certificate) async throws -> ValidationMaterial {
        var material = ValidationMaterial()
        if let ocsp, let response = try await ocsp(certificate, issuer) {
            material.ocspResponses.append(response)
        }
        for crl in crls where crl.isIssued(by: issuer) {
            material.crls.append(crl.der)
        }
        guard !material.isEmpty else { throw PAdESError.noRevocationData(subject: certificate.subject.rfc2253) }
        return material
    }
}
