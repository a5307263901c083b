public import FoundationEssentials
public import SignetCrypto

extension CertificateAuthority {
    /// Issues a v2 CRL listing `revoked`, with cRLNumber `number`, authorityKeyIdentifier,
    /// thisUpdate/nextUpdate, reason codes (left out for `nil`, as RFC 5280 recommends
    /// for "unspecified") and invalidity dates; signed with SHA-256.
    ///
    /// Throws `CRLError.notACRLIssuer` when the CA's keyUsage lacks cRLSign and
    /// `CRLError.invalidUpdateTimes` unless nextUpdate is after thisUpdate.
    public func issueCRL(
        revoked: [RevokedCertificate], number: UInt64, thisUpdate: Date, nextUpdate: Date
    ) throws -> CertificateRevocationList {
        try CertificateRevocationList.sign(issuer: certificate, key: privateKey, revoked: revoked, number: number,
                                           thisUpdate: thisUpdate, nextUpdate: nextUpdate)
    }
}
