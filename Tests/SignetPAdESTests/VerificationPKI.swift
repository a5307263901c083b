import Foundation
import SignetCrypto
import SignetPAdES
import SignetPKI
import SignetTestSupport

/// A PKI for verification tests whose CAs have existed for a year, so signer and TSA
/// certificates can be issued with validity periods in the past, TSAs can run on an
/// injected clock, and CRLs can be issued at any time. Nothing is served over the network:
/// revocation data reaches the signed PDFs through the DSS only.
final class VerificationPKI: Sendable {
    static let day: TimeInterval = 86_400
    /// Whole seconds: certificates store times to the second.
    let now = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))

    let root: CertificateAccess
    let issuing: CertificateAccess
    let directory: TemporaryDirectory
    /// The root certificate as a PEM file (for pyHanko, pdfsig and the CLI).
    let rootFile: URL

    /// A CA and its certificate (`CertificateAuthority` is a value; this names the role).
    struct CertificateAccess: Sendable {
        let authority: CertificateAuthority
        var certificate: Certificate { authority.certificate }
    }

    init(name: String = "Signet Verify Test") throws {
        directory = try TemporaryDirectory("signet-verify-pki")
        let rootAuthority = try CertificateAuthority.makeRoot(
            subject: try DistinguishedName([(.country, "CN"), (.organization, name), (.commonName, "\(name) Root CA")]),
            key: try PrivateKey.generate(.p256), notBefore: now.addingTimeInterval(-400 * Self.day),
            notAfter: now.addingTimeInterval(3650 * Self.day))
        root = CertificateAccess(authority: rootAuthority)
        let issuingKey = try PrivateKey.generate(.p256)
        issuing = CertificateAccess(authority: try CertificateAuthority(
            certificate: try rootAuthority.issueSubordinate(
                subject: try DistinguishedName([(.country, "CN"), (.organization, name), (.commonName, "\(name) Issuing CA")]),
                key: try issuingKey.publicKey, notBefore: now.addingTimeInterval(-400 * Self.day),
                notAfter: now.addingTimeInterval(3000 * Self.day), pathLength: 0,
                crlDistributionPoints: ["http://pki.invalid/root.crl"]),
            privateKey: issuingKey))
        rootFile = directory.file("root.pem")
        try root.certificate.pem.write(to: rootFile, atomically: true, encoding: .utf8)
    }

    /// A signer certificate valid from `notBefore` to `notAfter` (days relative to now),
    /// with a CRL distribution point, and its key (`existing`, or a new one of kind `spec`).
    func signer(_ person: String = "张三", organization: String = "示例商户有限公司", creditCode: String? = "NTRCN-91310000MA1FL8TQ6X",
                from notBefore: Double = -1, to notAfter: Double = 365, key spec: KeySpec = .p256,
                using existing: PrivateKey? = nil) throws -> (PrivateKey, Certificate) {
        let key = try existing ?? PrivateKey.generate(spec)
        var attributes: [(NameAttributeType, String)] = [(.country, "CN"), (.organization, organization)]
        if let creditCode { attributes.append((.organizationIdentifier, creditCode)) }
        attributes.append((.commonName, person))
        var builder = CertificateBuilder.signer(
            subject: try DistinguishedName(attributes), publicKey: try key.publicKey,
            notBefore: now.addingTimeInterval(notBefore * Self.day), notAfter: now.addingTimeInterval(notAfter * Self.day))
        builder.crlDistributionPoints = ["http://pki.invalid/issuing.crl"]
        return (key, try issuing.authority.issue(builder))
    }

    /// A TSA whose certificate is valid from 300 days ago for 5 years, whose clock reads
    /// `clockOffset` days from now.
    func timeStampAuthority(clockOffset: Double = 0) throws -> TimeStampAuthority {
        let key = try PrivateKey.generate(.p256)
        var builder = CertificateBuilder.timeStamping(
            subject: try DistinguishedName([(.country, "CN"), (.organization, "Signet Verify Test"), (.commonName, "Verify Test TSA")]),
            publicKey: try key.publicKey, notBefore: now.addingTimeInterval(-300 * Self.day), notAfter: now.addingTimeInterval(1800 * Self.day))
        builder.crlDistributionPoints = ["http://pki.invalid/issuing.crl"]
        let certificate = try issuing.authority.issue(builder)
        let offset = clockOffset * Self.day
        return try TimeStampAuthority(
            key: key, certificate: certificate, chain: [issuing.certificate, root.certificate],
            serials: TimeStampSerialCounter(inMemoryStartingAfter: 0),
            configuration: TimeStampAuthorityConfiguration(policy: "1.3.6.1.4.1.99999.2.1"),
            clock: { Date().addingTimeInterval(offset) })
    }

    /// CRLs of both CAs issued `issuedAt` days from now (valid a week), the issuing CA's
    /// listing `revoked`.
    func crls(issuedAt: Double = -0.01, revoked: [RevokedCertificate] = []) throws -> [CertificateRevocationList] {
        let thisUpdate = now.addingTimeInterval(issuedAt * Self.day)
        return [
            try root.authority.issueCRL(revoked: [], number: 1, thisUpdate: thisUpdate, nextUpdate: thisUpdate.addingTimeInterval(7 * Self.day)),
            try issuing.authority.issueCRL(revoked: revoked, number: 1, thisUpdate: thisUpdate, nextUpdate: thisUpdate.addingTimeInterval(7 * Self.day)),
        ]
    }

    /// A PAdES signer for `signer`, with `tsa` and the given CRLs for B-LT.
    func padesSigner(_ signer: (PrivateKey, Certificate), tsa: TimeStampAuthority? = nil,
                     crls: [CertificateRevocationList]? = nil) throws -> PAdESSigner {
        let source = try CRLAndOCSPRevocationSource(knownCertificates: [issuing.certificate, root.certificate], crls: crls ?? self.crls())
        return PAdESSigner(
            cms: try CMSSigner(key: signer.0, certificate: signer.1, chain: [issuing.certificate, root.certificate]),
            timestampProvider: try tsa ?? timeStampAuthority(), revocationSource: source)
    }

    /// Validation options trusting this PKI's root.
    func options(requireRevocationData: Bool = true, at time: Date? = nil) -> ValidationOptions {
        ValidationOptions(trustAnchors: [root.certificate], validationTime: time.map { .fixed($0) } ?? .current,
                          requireRevocationData: requireRevocationData)
    }
}

/// Base documents and helpers shared by the verification tests.
enum VerificationSupport {
    static let metadata = SignatureMetadata(signerName: "张三", reason: "同意《商户服务协议》", location: "上海")

    /// A one-page base PDF from the fixtures.
    static func base(_ name: String = "cairo-pango.pdf") throws -> [UInt8] {
        try [UInt8](Data(contentsOf: RepositoryPaths.fixtures.appendingPathComponent("pdf/\(name)")))
    }

    /// The validator's report for `pdf`.
    static func verify(_ pdf: [UInt8], _ options: ValidationOptions) -> ValidationReport {
        PDFSignatureValidator(options: options).validate(pdf: pdf)
    }

    /// The first offset of `needle` in `bytes` at or after `start`.
    static func find(_ needle: String, in bytes: [UInt8], from start: Int = 0) -> Int? {
        let pattern = Array(needle.utf8)
        guard !pattern.isEmpty, bytes.count >= pattern.count, start <= bytes.count - pattern.count else { return nil }
        return (start...(bytes.count - pattern.count)).first { i in bytes[i] == pattern[0] && Array(bytes[i..<(i + pattern.count)]) == pattern }
    }

    /// Where the first `/ByteRange [a b c d]` of `pdf` is (from `/` to `]`), and its numbers.
    static func firstByteRange(_ pdf: [UInt8]) -> (valueRange: Range<Int>, numbers: [Int])? {
        guard let start = find("/ByteRange", in: pdf), let close = find("]", in: pdf, from: start) else { return nil }
        let text = String(decoding: pdf[start...close], as: UTF8.self)
        let numbers = text.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        return (start..<(close + 1), numbers)
    }
}
