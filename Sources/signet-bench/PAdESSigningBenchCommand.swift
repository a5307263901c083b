public import ArgumentParser
import FoundationEssentials
import SignetCrypto
import SignetPKI
import SignetPAdES

extension PAdESLevel: ExpressibleByArgument {}

/// `signet-bench pades-signing`: one PDF signed repeatedly, in process, with the platform
/// seal of a key directory, its TSA in process (serials in memory, as pyHanko's
/// DummyTimeStamper has them), and for B-LTA its two CRLs as the only revocation data —
/// the same inputs benchmarks/pyhanko-signing.py gives pyHanko.
struct PAdESSigningBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pades-signing",
        abstract: "PAdES signatures per second on one PDF (B-T or B-LTA)."
    )

    @Option(help: "Key directory (signet keys init).") var keys = "keys"
    @Option(help: "The PDF to sign.") var pdf: String
    @Option(help: "B-T or B-LTA.") var level: PAdESLevel = .bT
    @Option(help: "Seconds to run.") var seconds: Double = 3

    func run() async throws {
        let directory = try KeyDirectory.load(from: keys)
        let tsa = try TimeStampAuthority(
            key: directory.timeStamping.privateKey, certificate: directory.timeStamping.certificate,
            chain: directory.timeStamping.chain, serials: TimeStampSerialCounter(inMemoryStartingAfter: 0),
            configuration: TimeStampAuthorityConfiguration(policy: KeyDirectory.timeStampPolicy))
        let revocation = CRLAndOCSPRevocationSource(
            knownCertificates: directory.chain, crls: [try directory.rootCRL(), try directory.issuingCRL()])
        let signer = PAdESSigner(
            cms: try CMSSigner(key: directory.seal.privateKey, certificate: directory.seal.certificate, chain: directory.seal.chain),
            timestampProvider: tsa, revocationSource: revocation)
        guard let document = FileManager.default.contents(atPath: pdf).map({ [UInt8]($0) }) else {
            throw BenchError("\(pdf): cannot read the file")
        }
        let request = SignatureRequest(fieldName: "Signature1")

        var count = 0, size = 0
        let clock = ContinuousClock()
        let start = clock.now
        while clock.now - start < .milliseconds(Int64(seconds * 1000)) {
            size = try await signer.sign(document, level: level, request: request).count
            count += 1
        }
        let rate = BenchRate(count: count, elapsed: clock.now - start)
        print("signet \(level.rawValue): " + rate.summary("signatures", ratePlaces: 2) + ", \(size) bytes)")
    }
}
