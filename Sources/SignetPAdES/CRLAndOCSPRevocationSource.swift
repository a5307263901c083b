public import SignetCrypto

/// A `RevocationDataSource` over material at hand: CRLs (each used for the certificates its
/// issuer signed) and, optionally, a way to get an OCSP response for a certificate (an
/// in-process responder, or a client). Certificates with neither fail LTV extension.
public struct CRLAndOCSPRevocationSource: RevocationDataSource {
    public let knownCertificates: [Certificate]
    public let crls: [CertificateRevocationList]
    public let ocsp: (@Sendable (_ certificate: Certificate, _ issuer: Certificate) async throws -> [UInt8]?)?

    public init(
        knownCertificates: [Certificate],
        crls: [CertificateRevocationList],
        ocsp: (@Sendable (_ certificate: Certificate, _ issuer: Certificate) async throws -> [UInt8]?)? = nil
    ) {
        self.knownCertificates = knownCertificates
        self.crls = crls
        self.ocsp = ocsp
    }

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
