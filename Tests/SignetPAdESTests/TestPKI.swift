import Foundation
import SignetCrypto
import SignetPAdES
import SignetPKI
import SignetTestSupport

/// A throwaway PKI for signing tests: root → issuing CA → signers, a TSA, CRLs for both
/// CA levels, and the root written to a PEM file for pdfsig and pyHanko to trust.
final class TestPKI: Sendable {
    let root: CertificateAuthority
    let issuing: CertificateAuthority
    let tsa: TimeStampAuthority
    let tsaCertificate: Certificate
    let crls: [CertificateRevocationList]
    let directory: TemporaryDirectory
    /// The root certificate as a PEM file.
    let rootFile: URL

    // Whole seconds: certificates store times to the second.
    static let notBefore = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 - 86_400).rounded(.down))
    static let notAfter = notBefore.addingTimeInterval(5 * 365 * 86_400)

    /// Publishes `root.crl` and `issuing.crl` at the certificates' CRL distribution points.
    let server: LocalHTTPFileServer

    init() throws {
        directory = try TemporaryDirectory("signet-pades-pki")
        server = try LocalHTTPFileServer(directory: directory.url)
        rootCRL = server.url("root.crl")
        issuingCRL = server.url("issuing.crl")
        root = try CertificateAuthority.makeRoot(
            subject: DistinguishedName([(.country, "CN"), (.organization, "Signet Test"), (.commonName, "Signet Test Root CA")]),
            key: try PrivateKey.generate(.p256), notBefore: Self.notBefore, notAfter: Self.notAfter.addingTimeInterval(86_400))
        let issuingKey = try PrivateKey.generate(.p256)
        let crlURL = [rootCRL]
        issuing = try CertificateAuthority(
            certificate: try root.issueSubordinate(
                subject: DistinguishedName([(.country, "CN"), (.organization, "Signet Test"), (.commonName, "Signet Test Issuing CA")]),
                key: try issuingKey.publicKey, notBefore: Self.notBefore, notAfter: Self.notAfter, pathLength: 0,
                crlDistributionPoints: crlURL),
            privateKey: issuingKey)
        let tsaKey = try PrivateKey.generate(.p256)
        var tsaBuilder = CertificateBuilder.timeStamping(
            subject: try DistinguishedName([(.country, "CN"), (.organization, "Signet Test"), (.commonName, "Signet Test TSA")]),
            publicKey: try tsaKey.publicKey, notBefore: Self.notBefore, notAfter: Self.notAfter)
        tsaBuilder.crlDistributionPoints = [issuingCRL]
        tsaCertificate = try issuing.issue(tsaBuilder)
        tsa = try TimeStampAuthority(
            key: tsaKey, certificate: tsaCertificate, chain: [issuing.certificate, root.certificate],
            serials: TimeStampSerialCounter(inMemoryStartingAfter: 0),
            configuration: TimeStampAuthorityConfiguration(policy: "1.3.6.1.4.1.99999.1.1"))
        let now = Date()
        crls = [
            try root.issueCRL(revoked: [], number: 1, thisUpdate: now.addingTimeInterval(-60), nextUpdate: now.addingTimeInterval(7 * 86_400)),
            try issuing.issueCRL(revoked: [], number: 1, thisUpdate: now.addingTimeInterval(-60), nextUpdate: now.addingTimeInterval(7 * 86_400)),
        ]
        try Data(crls[0].der).write(to: directory.file("root.crl"))
        try Data(crls[1].der).write(to: directory.file("issuing.crl"))
        rootFile = directory.file("root.pem")
        try root.certificate.pem.write(to: rootFile, atomically: true, encoding: .utf8)
    }

    private let rootCRL: String
    private let issuingCRL: String

    /// A signer certificate for `organization` / `person`, and its key.
    func signer(organization: String, person: String) throws -> (PrivateKey, Certificate) {
        let key = try PrivateKey.generate(.p256)
        var builder = CertificateBuilder.signer(
            subject: try DistinguishedName([(.country, "CN"), (.organization, organization), (.commonName, person)]),
            publicKey: try key.publicKey, notBefore: Self.notBefore, notAfter: Self.notAfter.addingTimeInterval(-86_400))
        builder.crlDistributionPoints = [issuingCRL]
        return (key, try issuing.issue(builder))
    }

    /// A PAdES signer for a fresh signer certificate, with this PKI's TSA and CRLs.
    func padesSigner(organization: String = "示例商户有限公司", person: String = "张三") throws -> PAdESSigner {
        let (key, certificate) = try signer(organization: organization, person: person)
        return PAdESSigner(
            cms: try CMSSigner(key: key, certificate: certificate, chain: [issuing.certificate, root.certificate]),
            timestampProvider: tsa,
            revocationSource: revocationSource)
    }

    var revocationSource: CRLAndOCSPRevocationSource {
        CRLAndOCSPRevocationSource(knownCertificates: [issuing.certificate, root.certificate], crls: crls)
    }
}
