package import Foundation
package import SignetCrypto
package import SignetPKI
package import SignetTestSupport
package import Testing

/// A small PKI for the SignetCrypto and SignetPKI tests: root → issuing CA → end
/// entities, with the URLs the development PKI uses.
package struct TestPKI {
    package static let crlURL = "http://localhost:8080/pki/crl/issuing-ca.crl"
    package static let rootCRLURL = "http://localhost:8080/pki/crl/root-ca.crl"
    package static let ocspURL = "http://localhost:8080/pki/ocsp"

    package let now: Date
    package let root: CertificateAuthority
    package let issuing: CertificateAuthority

    /// CAs named "<name> Root CA" and "<name> Issuing CA", valid from a year ago.
    package init(name: String = "Signet Test", now: Date = Date(), rootKey: KeySpec = .p384, issuingKey: KeySpec = .p256) throws {
        self.now = now
        root = try CertificateAuthority.makeRoot(
            subject: try DistinguishedName([(.country, "CN"), (.organization, name), (.commonName, "\(name) Root CA")]),
            key: try PrivateKey.generate(rootKey),
            notBefore: now.addingTimeInterval(-365 * 86_400), notAfter: now.addingTimeInterval(20 * 365 * 86_400))
        let issuingKey = try PrivateKey.generate(issuingKey)
        let issuingCert = try root.issueSubordinate(
            subject: try DistinguishedName([(.country, "CN"), (.organization, name), (.commonName, "\(name) Issuing CA")]),
            key: try issuingKey.publicKey,
            notBefore: now.addingTimeInterval(-365 * 86_400), notAfter: now.addingTimeInterval(10 * 365 * 86_400),
            pathLength: 0, crlDistributionPoints: [Self.rootCRLURL])
        issuing = try CertificateAuthority(certificate: issuingCert, privateKey: issuingKey)
    }

    /// A signer certificate for an organization person, with CRL and OCSP pointers.
    package func issueSigner(
        commonName: String = "张三", organization: String = "示例商户有限公司",
        creditCode: String = "91350211MA2XYZ1234", key: PrivateKey? = nil,
        notBefore: Date? = nil, notAfter: Date? = nil, keyUsage: KeyUsage = [.digitalSignature, .nonRepudiation],
        serialNumber: [UInt8]? = nil
    ) throws -> (Certificate, PrivateKey) {
        let key = try key ?? PrivateKey.generate(.p256)
        var builder = CertificateBuilder.signer(
            subject: try DistinguishedName([
                (.country, "CN"), (.organization, organization), (.organizationIdentifier, "NTRCN-\(creditCode)"),
                (.serialNumber, creditCode), (.commonName, commonName),
            ]),
            publicKey: try key.publicKey,
            notBefore: notBefore ?? now.addingTimeInterval(-3600), notAfter: notAfter ?? now.addingTimeInterval(365 * 86_400))
        builder.keyUsage = keyUsage
        builder.serialNumber = serialNumber
        builder.crlDistributionPoints = [Self.crlURL]
        builder.ocspURLs = [Self.ocspURL]
        return (try issuing.issue(builder), key)
    }

    /// A delegated OCSP responder certificate issued by the issuing CA.
    package func issueOCSPResponder() throws -> (Certificate, PrivateKey) {
        let key = try PrivateKey.generate(.p256)
        let builder = CertificateBuilder.ocspResponder(
            subject: try DistinguishedName([(.country, "CN"), (.organization, "Signet Test"), (.commonName, "Signet Test OCSP Responder")]),
            publicKey: try key.publicKey, notBefore: now.addingTimeInterval(-3600), notAfter: now.addingTimeInterval(365 * 86_400))
        return (try issuing.issue(builder), key)
    }

    /// A TSA certificate issued by the issuing CA.
    package func issueTSA() throws -> (Certificate, PrivateKey) {
        let key = try PrivateKey.generate(.p256)
        var builder = CertificateBuilder.timeStamping(
            subject: try DistinguishedName([(.country, "CN"), (.organization, "Signet Test"), (.commonName, "Signet Test TSA")]),
            publicKey: try key.publicKey, notBefore: now.addingTimeInterval(-3600), notAfter: now.addingTimeInterval(365 * 86_400))
        builder.crlDistributionPoints = [Self.crlURL]
        builder.ocspURLs = [Self.ocspURL]
        return (try issuing.issue(builder), key)
    }
}

/// Writes `text` to a file in `dir` and returns its path.
package func write(_ text: String, _ name: String, in dir: TemporaryDirectory) throws -> String {
    let url = dir.file(name)
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url.path
}

/// Writes bytes to a file in `dir` and returns its path.
package func write(_ bytes: [UInt8], _ name: String, in dir: TemporaryDirectory) throws -> String {
    let url = dir.file(name)
    try Data(bytes).write(to: url)
    return url.path
}

/// Runs openssl and returns stdout + stderr, recording a failure when the exit status
/// differs from `expectedStatus`.
@discardableResult
package func openssl(_ arguments: [String], expectedStatus: Int32? = 0, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
    let result = try ExternalTool.run("openssl", arguments)
    if let expectedStatus {
        #expect(result.status == expectedStatus, "openssl \(arguments.joined(separator: " ")): \(result.combinedOutput)",
                sourceLocation: sourceLocation)
    }
    return result.combinedOutput
}

extension Date {
    /// Whole seconds, as X.509 encodes times.
    package var roundedDown: Date { Date(timeIntervalSince1970: timeIntervalSince1970.rounded(.down)) }
}

/// "Mar  5 10:00:00 2026 GMT", as openssl prints ASN1 times.
package func opensslDate(_ date: Date) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "GMT")
    formatter.dateFormat = "MMM d HH:mm:ss yyyy"
    var text = formatter.string(from: date) + " GMT"
    // openssl pads the day to two characters with a space.
    if let space = text.firstIndex(of: " "), text[text.index(after: space)...].prefix(while: { $0 != " " }).count == 1 {
        text.insert(" ", at: text.index(after: space))
    }
    return text
}
