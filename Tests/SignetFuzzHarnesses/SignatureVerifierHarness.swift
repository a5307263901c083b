public import Foundation
public import SignetCrypto
import SignetPAdES

/// What `signet verify` runs on a whole PDF: `PDFSignatureValidator` and both report formats.
/// Offline by construction: the validator has no network transport, revocation comes only
/// from data in the file (`RevocationChecker` over embedded CRLs and OCSP responses), and
/// `scripts/fuzz.sh` runs this harness in a network namespace with no interfaces but
/// loopback (docs/fuzzing.md). The trust anchors are fixed: every certificate in
/// `Tests/Fixtures/corpus/trust/`, plus those in `$SIGNET_FUZZ_TRUST` (a directory of PEM
/// files, for the seeds `scripts/fuzz-seeds.sh` signs with a run-time CA). The validation
/// time is fixed too, so a run does not depend on the day.
public struct SignatureVerifierHarness: Sendable {
    /// The harness with the fixture anchors (loaded once per process).
    public static let shared = SignatureVerifierHarness(trustAnchors: fixtureTrustAnchors())

    /// The judging time: 2026-06-01T00:00:00Z.
    public static let validationTime = Date(timeIntervalSince1970: 1_780_272_000)

    private let validator: PDFSignatureValidator

    /// A harness trusting exactly `trustAnchors`, with revocation data required.
    public init(trustAnchors: [Certificate]) {
        let time = Self.validationTime
        validator = PDFSignatureValidator(options: ValidationOptions(trustAnchors: trustAnchors, validationTime: .current,
                                                                     requireRevocationData: true, clock: { time }))
    }

    /// Validates `bytes` and formats the report as text and JSON.
    public func run(_ bytes: [UInt8]) {
        let report = validator.validate(pdf: bytes, fileName: "fuzz.pdf")
        _ = report.exitStatus
        _ = ValidationReportFormatter.text(report)
        _ = try? ValidationReportFormatter.json(report)
    }

    /// The certificates of `Tests/Fixtures/corpus/trust/*.pem` and `$SIGNET_FUZZ_TRUST/*.pem`.
    public static func fixtureTrustAnchors() -> [Certificate] {
        var directories = [FuzzPaths.root.appendingPathComponent("Tests/Fixtures/corpus/trust")]
        if let extra = ProcessInfo.processInfo.environment["SIGNET_FUZZ_TRUST"], !extra.isEmpty {
            directories.append(URL(fileURLWithPath: extra))
        }
        var anchors: [Certificate] = []
        for directory in directories {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
            for name in names.sorted() where name.hasSuffix(".pem") {
                anchors += (try? Certificate.loadAll(contentsOfFile: directory.appendingPathComponent(name).path)) ?? []
            }
        }
        return anchors
    }
}

/// The repository, found from this file's path (harnesses run from any directory).
enum FuzzPaths {
    /// The directory holding the root Package.swift.
    static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
}
