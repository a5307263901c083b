public import Foundation
public import SignetCrypto
public import SignetPKI

extension KeyDirectory {
    /// A TSA of this PKI's issuing CA (recorded, so its OCSP responder answers for it) whose
    /// certificate ends at `end`: a TSA certificate near its end, for renewal tests.
    public func timeStampAuthority(named name: String, until end: Date) throws -> TimeStampAuthority {
        let key = try PrivateKey.generate(.p256)
        var builder = CertificateBuilder.timeStamping(
            subject: try DistinguishedName([(.country, "CN"), (.organization, manifest.organization), (.commonName, name)]),
            publicKey: try key.publicKey, notBefore: issuingAuthority.certificate.notBefore, notAfter: end)
        builder.crlDistributionPoints = manifest.urls.map { [$0.issuingCRL] } ?? []
        builder.ocspURLs = manifest.urls.map { [$0.ocsp] } ?? []
        let certificate = try issuingAuthority.issue(builder)
        try issuingDatabase.recordIssued(certificate)
        return try TimeStampAuthority(key: key, certificate: certificate, chain: chain,
                                      serials: TimeStampSerialCounter(inMemoryStartingAfter: 0),
                                      configuration: TimeStampAuthorityConfiguration(policy: "1.3.6.1.4.1.99999.3.1"))
    }
}
