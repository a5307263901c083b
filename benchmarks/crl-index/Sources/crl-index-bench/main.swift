// Benchmark (not a test): what reading a CRL's issuer costs when a validation indexes the
// CRLs of a file's DSS, and what a large CRL costs a whole in-process validation.
//
//   benchmarks/crl-index.sh [entries] [repeats]
//
// 1. Index: Signet's revocation index over a CRL with `entries` entries (its issuer read by
//    walking DER headers, `DERHeaderCursor`), the same issuer read by SwiftASN1 (a full DER
//    parse), and OpenSSL parsing the same CRL (`CertificateRevocationList(der:)`).
// 2. Validation: `PDFSignatureValidator` on B-LT signatures whose DSS carries only small CRLs,
//    the signer's issuing CA's CRL with `entries` entries (needed: OpenSSL parses it), or
//    an unrelated CA's CRL with `entries` entries (not needed: only indexed); and the small
//    case again with one `CertificateCache` for all runs, as a service may own.
import FoundationEssentials
import Glibc
import SignetCrypto
import SignetPAdES
import SignetPKI
import SwiftASN1

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let entries = arguments.first ?? 100_000
let repeats = arguments.dropFirst().first ?? 20

/// The median wall-clock time of `repeats` runs of `body`, in milliseconds.
func median(_ repeats: Int, _ body: () throws -> Void) rethrows -> Double {
    var times: [Double] = []
    for _ in 0..<repeats {
        var start = timespec(), end = timespec()
        clock_gettime(CLOCK_MONOTONIC, &start)
        try body()
        clock_gettime(CLOCK_MONOTONIC, &end)
        times.append(Double(end.tv_sec - start.tv_sec) * 1e3 + Double(end.tv_nsec - start.tv_nsec) / 1e6)
    }
    return times.sorted()[times.count / 2]
}

func format(_ milliseconds: Double) -> String {
    let thousandths = Int((milliseconds * 1000).rounded())
    let fraction = String(thousandths % 1000)
    return "\(thousandths / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction) ms"
}

// MARK: - Issuer index, two ways

/// CertificateList → tbsCertList → issuer through SwiftASN1, which parses the whole CRL into
/// nodes first, and the name parsed as Signet's index does.
func issuerBySwiftASN1(_ der: [UInt8]) -> DistinguishedName? {
    guard let root = try? DER.parse(der), case .constructed(let list) = root.content,
          let tbsNode = list.first(where: { _ in true }), case .constructed(let tbs) = tbsNode.content else { return nil }
    var fields = tbs.makeIterator()
    var field = fields.next()
    if field?.identifier == .integer { field = fields.next() }  // version
    guard field?.identifier == .sequence, let issuer = fields.next(), issuer.identifier == .sequence else { return nil }
    return try? DistinguishedName(der: Array(issuer.encodedBytes))
}

// MARK: - A PKI, CRLs and signed PDFs

let now = Date()
func name(_ commonName: String) throws -> DistinguishedName {
    try DistinguishedName([(.country, "CN"), (.organization, "CRL Index Bench"), (.commonName, commonName)])
}
func authority(_ commonName: String, under parent: CertificateAuthority?) throws -> CertificateAuthority {
    let key = try PrivateKey.generate(.p256)
    guard let parent else {
        return try CertificateAuthority.makeRoot(subject: try name(commonName), key: key, notBefore: now.addingTimeInterval(-86_400),
                                                 notAfter: now.addingTimeInterval(10 * 365 * 86_400))
    }
    let certificate = try parent.issueSubordinate(subject: try name(commonName), key: try key.publicKey,
                                                  notBefore: now.addingTimeInterval(-3600), notAfter: now.addingTimeInterval(5 * 365 * 86_400))
    return try CertificateAuthority(certificate: certificate, privateKey: key)
}
func crl(_ ca: CertificateAuthority, entries count: Int) throws -> CertificateRevocationList {
    let revoked = (0..<count).map { index in
        RevokedCertificate(serialNumber: [0x40] + withUnsafeBytes(of: UInt64(index + 1).bigEndian, Array.init),
                           revocationDate: now.addingTimeInterval(-7200), reason: .keyCompromise, invalidityDate: nil)
    }
    return try ca.issueCRL(revoked: revoked, number: 1, thisUpdate: now.addingTimeInterval(-60), nextUpdate: now.addingTimeInterval(86_400))
}

let root = try authority("Root CA", under: nil)
let issuing = try authority("Issuing CA", under: root)
let unrelated = try authority("Unrelated CA", under: root)
let signerKey = try PrivateKey.generate(.p256)
var signerBuilder = CertificateBuilder.signer(subject: try name("Signer"), publicKey: try signerKey.publicKey,
                                              notBefore: now.addingTimeInterval(-3600), notAfter: now.addingTimeInterval(365 * 86_400))
signerBuilder.crlDistributionPoints = ["http://127.0.0.1/issuing.crl"]
let signer = try issuing.issue(signerBuilder)

let tsaKey = try PrivateKey.generate(.p256)
let tsa = try TimeStampAuthority(
    key: tsaKey,
    certificate: try issuing.issue(CertificateBuilder.timeStamping(
        subject: try name("TSA"), publicKey: try tsaKey.publicKey,
        notBefore: now.addingTimeInterval(-3600), notAfter: now.addingTimeInterval(365 * 86_400))),
    chain: [issuing.certificate, root.certificate], serials: TimeStampSerialCounter(),
    configuration: TimeStampAuthorityConfiguration(policy: "1.3.6.1.4.1.99999.1.1"))

let rootCRL = try crl(root, entries: 0)
let smallIssuingCRL = try crl(issuing, entries: 0)
let largeIssuingCRL = try crl(issuing, entries: entries)
let largeUnrelatedCRL = try crl(unrelated, entries: entries)

/// Revocation data for the chain: the given CRLs for the signer, the root's for the CA.
struct FixedRevocation: RevocationDataSource {
    let signerCRLs: [CertificateRevocationList]
    var knownCertificates: [Certificate] { [issuing.certificate, root.certificate] }
    func revocationData(for certificate: Certificate, issuer: Certificate) async throws -> ValidationMaterial {
        let crls = issuer == issuing.certificate ? signerCRLs : [rootCRL]
        return ValidationMaterial(crls: crls.map(\.der), ocspResponses: [])
    }
}

/// One page, nothing on it.
let blankPDF: [UInt8] = {
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    var text = "%PDF-1.7\n"
    var offsets: [Int] = []
    for (index, object) in objects.enumerated() {
        offsets.append(text.utf8.count)
        text += "\(index + 1) 0 obj\n\(object)\nendobj\n"
    }
    let xref = text.utf8.count
    text += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
    for offset in offsets {
        let digits = String(offset)
        text += String(repeating: "0", count: 10 - digits.count) + digits + " 00000 n \n"
    }
    text += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
    return Array(text.utf8)
}()

func signed(with crls: [CertificateRevocationList]) async throws -> [UInt8] {
    let signer = PAdESSigner(cms: try CMSSigner(key: signerKey, certificate: signer, chain: [issuing.certificate, root.certificate]),
                             timestampProvider: tsa, revocationSource: FixedRevocation(signerCRLs: crls))
    return try await signer.sign(blankPDF, level: .bLT, request: SignatureRequest())
}

// MARK: - Measurements

print("CRL with \(entries) entries: \(largeIssuingCRL.der.count / 1024) KiB; median of \(repeats) runs")
let der = largeIssuingCRL.der
precondition(issuerBySwiftASN1(der) == largeIssuingCRL.issuer)
var found = 0  // keeps the optimizer from dropping the calls
// Signet's revocation index: the issuer read by DERHeaderCursor, the name parsed.
let indexTime = median(repeats) {
    withExtendedLifetime(RevocationChecker(crlDER: [der], ocspDER: [], pool: CertificatePool())) { found += 1 }
}
print("  index (RevocationChecker)  \(format(indexTime))")
print("  issuer by SwiftASN1        \(format(median(repeats) { found += issuerBySwiftASN1(der) == nil ? 0 : 1 }))")
precondition(found == 2 * repeats)
print("  OpenSSL parse (Signet CRL) \(format(try median(repeats) { _ = try CertificateRevocationList(der: der) }))")

let validator = PDFSignatureValidator(options: ValidationOptions(trustAnchors: [root.certificate]))
let files: [(String, [UInt8])] = [
    ("small CRLs only", try await signed(with: [smallIssuingCRL])),
    ("large CRL of the signer's CA (needed)", try await signed(with: [largeIssuingCRL])),
    ("large CRL of an unrelated CA (not needed)", try await signed(with: [smallIssuingCRL, largeUnrelatedCRL])),
]
for (label, pdf) in files {
    let report = validator.validate(pdf: pdf)
    let time = median(repeats) { _ = validator.validate(pdf: pdf) }
    print("  validate, \(label): \(format(time)) (\(pdf.count / 1024) KiB, \(report.signatures.map(\.indication.rawValue)))")
}
// A service that owns one certificate cache for all its validations (ValidationOptions).
var serviceOptions = ValidationOptions(trustAnchors: [root.certificate])
serviceOptions.certificateCache = CertificateCache()
let service = PDFSignatureValidator(options: serviceOptions)
print("  validate, small CRLs only, one cache for all runs: \(format(median(repeats) { _ = service.validate(pdf: files[0].1) }))")
