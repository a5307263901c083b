import ArgumentParser
import FoundationEssentials
import SignetCrypto
import SignetPKI

/// `signet-bench event-signing`: the event-certificate signing step, repeated for a fixed
/// time on one thread: a fresh P-256 key, an event certificate from an in-memory issuing
/// CA, a PAdES CMS over a document digest, and a signature timestamp from the built-in TSA
/// (its serial counter in a file, fsynced per `--serial-reservation` serials).
struct EventSigningBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "event-signing",
        abstract: "Event-certificate signings per second (keygen + certificate + CMS + timestamp)."
    )

    @Option(help: "Seconds to run.") var seconds: Double = 3
    @Option(help: "Serial numbers the TSA reserves per counter-file write (1: fsync for every token).")
    var serialReservation: Int = 1

    func run() async throws {
        let now = Date()
        let root = try CertificateAuthority.makeRoot(
            subject: try DistinguishedName([(.country, "CN"), (.organization, "Signet Bench"), (.commonName, "Bench Root CA")]),
            key: try PrivateKey.generate(.p384), notBefore: now.addingTimeInterval(-86_400), notAfter: now.addingTimeInterval(10 * 365 * 86_400))
        let issuingKey = try PrivateKey.generate(.p256)
        let issuing = try CertificateAuthority(
            certificate: try root.issueSubordinate(
                subject: try DistinguishedName([(.country, "CN"), (.organization, "Signet Bench"), (.commonName, "Bench Issuing CA")]),
                key: try issuingKey.publicKey, notBefore: now.addingTimeInterval(-86_400), notAfter: now.addingTimeInterval(5 * 365 * 86_400)),
            privateKey: issuingKey)
        let chain = [issuing.certificate, root.certificate]
        let events = try EventCertificateAuthority(
            issuer: issuing, chain: chain,
            crlDistributionPoints: ["http://localhost:8080/pki/crl/issuing-ca.crl"], ocspURLs: ["http://localhost:8080/pki/ocsp"])

        let tsaKey = try PrivateKey.generate(.p256)
        let tsaCertificate = try issuing.issue(CertificateBuilder.timeStamping(
            subject: try DistinguishedName([(.country, "CN"), (.organization, "Signet Bench"), (.commonName, "Bench TSA")]),
            publicKey: try tsaKey.publicKey, notBefore: now.addingTimeInterval(-3600), notAfter: now.addingTimeInterval(365 * 86_400)))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("signet-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let tsa = try TimeStampAuthority(
            key: tsaKey, certificate: tsaCertificate, chain: chain,
            serials: try TimeStampSerialCounter(path: directory.appendingPathComponent("tsa-serial").path, reservation: serialReservation),
            configuration: TimeStampAuthorityConfiguration(policy: "1.3.6.1.4.1.99999.1.1"))

        let document = DigestAlgorithm.sha256.hash(Array("the merchant service agreement".utf8))
        let creditCode = "91350211MA2Y0KTE1" + String(UnifiedSocialCreditCode.checkCharacter(for: "91350211MA2Y0KTE1") ?? "0")
        var count = 0
        var bytes = 0
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start.advanced(by: .milliseconds(Int64(seconds * 1000)))
        while clock.now < deadline {
            let subject = EventSubject(organizationName: "示例商户有限公司", unifiedSocialCreditCode: creditCode,
                                       signerName: "张三", contractNumber: "BENCH-0001", signingEventID: "event-\(count)",
                                       documentSHA256: document)
            bytes += try await events.withEventCredential(for: subject) { credential in
                let signer = try CMSSigner(key: credential.privateKey, certificate: credential.certificate, chain: credential.chain)
                return try await signer.sign(messageDigest: document, timestampProvider: tsa).count
            }
            count += 1
        }
        let rate = BenchRate(count: count, elapsed: start.duration(to: clock.now))
        print("event-signing: " + rate.summary("signings", ratePlaces: 1)
              + ", CMS \(bytes / max(count, 1)) bytes, serial reservation \(serialReservation))")
    }
}
