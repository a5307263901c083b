import Foundation
import SignetCrypto
import SignetPAdES
import SignetTestSupport
import Testing

/// One row of Tests/Fixtures/corpus/expected.tsv.
struct CorpusRow: CustomStringConvertible, Sendable {
    let file: String
    let verdict: String
    let reason: String
    let trust: String
    let relaxed: String
    let pyhanko: String

    var description: String { file }

    /// The outcome the verdict column means.
    static func outcome(_ verdict: String) -> ValidationReport.Outcome? {
        switch verdict {
        case "VALID": .passed
        case "INDETERMINATE": .indeterminate
        case "INVALID": .failed
        default: nil
        }
    }

    /// The ETSI sub-indications the reason text names (the verdict's one must be among
    /// them when it names any).
    var namedSubIndications: Set<SubIndication> {
        Set(SubIndication.allCases.filter { sub in
            // Whole-word match: REVOKED must not match REVOKED_NO_POE.
            reason.range(of: "(^|[^A-Z_])\(sub.rawValue)($|[^A-Z_])", options: .regularExpression) != nil
        })
    }

    static func load() throws -> [CorpusRow] {
        let text = try String(contentsOf: RepositoryPaths.corpus.appendingPathComponent("expected.tsv"), encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        let header = lines.removeFirst().split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        func column(_ name: String) throws -> Int {
            guard let index = header.firstIndex(of: name) else { throw OracleSetupError(description: "expected.tsv has no column \(name)") }
            return index
        }
        let (file, verdict, reason, trust, relaxed, pyhanko) = try (column("file"), column("verdict"), column("reason"), column("trust"),
                                                                    column("relaxed"), column("pyhanko"))
        return try lines.map { line in
            let cells = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard cells.count == header.count else { throw OracleSetupError(description: "malformed row: \(line.prefix(80))") }
            return CorpusRow(file: cells[file], verdict: cells[verdict], reason: cells[reason], trust: cells[trust],
                             relaxed: cells[relaxed], pyhanko: cells[pyhanko])
        }
    }

    func bytes() throws -> [UInt8] { [UInt8](try Data(contentsOf: RepositoryPaths.corpus.appendingPathComponent(file))) }

    func anchors() throws -> [Certificate] {
        trust == "none" ? [] : try Certificate.loadAll(contentsOfFile: RepositoryPaths.corpus.appendingPathComponent(trust).path)
    }

    static func allAnchors() throws -> [Certificate] {
        let directory = RepositoryPaths.corpus.appendingPathComponent("trust")
        return try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".pem") }.sorted()
            .flatMap { try Certificate.loadAll(contentsOfFile: directory.appendingPathComponent($0).path) }
    }
}

@Suite("The third-party corpus gets the verdicts of expected.tsv")
struct CorpusVerdictTests {
    static let rows: [CorpusRow] = (try? CorpusRow.load()) ?? []

    @Test("expected.tsv is complete and the fixtures are the real ones (SHA256SUMS)")
    func fixturesAreGenuine() throws {
        let rows = try CorpusRow.load()
        #expect(rows.count == 31)
        let sums = try String(contentsOf: RepositoryPaths.corpus.appendingPathComponent("SHA256SUMS"), encoding: .utf8)
        var listed: [String: String] = [:]
        for line in sums.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            let path = parts[1].trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "./", with: "", options: .anchored)
            listed[path.hasPrefix("*") ? String(path.dropFirst()) : path] = parts[0]
        }
        for row in rows {
            let digest = DigestAlgorithm.sha256.hash(try row.bytes()).hexString
            #expect(listed[row.file] == digest, "\(row.file): SHA-256 \(digest) is not the one in SHA256SUMS")
        }
        for (path, expected) in listed {
            let data = try [UInt8](Data(contentsOf: RepositoryPaths.corpus.appendingPathComponent(path)))
            #expect(DigestAlgorithm.sha256.hash(data).hexString == expected, "\(path) differs from SHA256SUMS")
        }
    }

    @Test("Verdict with the anchor of the trust column (validation now, revocation data required)", arguments: rows)
    func verdict(row: CorpusRow) throws {
        let expected = try #require(CorpusRow.outcome(row.verdict))
        let report = PDFSignatureValidator(options: ValidationOptions(trustAnchors: try row.anchors())).validate(pdf: try row.bytes())
        #expect(report.outcome == expected, "\(row.file): \(row.verdict) expected\n\(ValidationReportFormatter.text(report))")
        let named = row.namedSubIndications
        if expected != .passed, !named.isEmpty {
            let sub = try #require(report.subIndication)
            #expect(named.contains(sub), "\(row.file): \(sub) is not among \(named.map(\.rawValue).sorted()) named by the reason")
        }
        if expected == .passed {
            #expect(report.signatures.allSatisfy { $0.indication == .totalPassed })
        }
    }

    @Test("Relaxed verdict: at the claimed signing time, revocation data not required", arguments: rows)
    func relaxed(row: CorpusRow) throws {
        let expected = try #require(CorpusRow.outcome(row.relaxed))
        let options = ValidationOptions(trustAnchors: try row.anchors(), validationTime: .claimedSigningTime, requireRevocationData: false)
        let report = PDFSignatureValidator(options: options).validate(pdf: try row.bytes())
        #expect(report.outcome == expected, "\(row.file): relaxed \(row.relaxed) expected\n\(ValidationReportFormatter.text(report))")
    }

    @Test("Attacks fail whatever the trust; controls never fail, even with no anchor or every anchor", arguments: rows)
    func independentOfTrust(row: CorpusRow) throws {
        let bytes = try row.bytes()
        for anchors in [[], try CorpusRow.allAnchors()] {
            let report = PDFSignatureValidator(options: ValidationOptions(trustAnchors: anchors)).validate(pdf: bytes)
            if row.verdict == "INVALID" {
                #expect(report.outcome == .failed, "\(row.file) with \(anchors.count) anchors: \(report.outcome)")
            } else {
                #expect(report.outcome != .failed, "\(row.file) with \(anchors.count) anchors must not fail:\n\(ValidationReportFormatter.text(report))")
            }
        }
    }

    @Test("Files with several signatures: each signature gets its own verdict")
    func perSignatureVerdicts() throws {
        func report(_ file: String) throws -> ValidationReport {
            PDFSignatureValidator().validate(pdf: [UInt8](try Data(contentsOf: RepositoryPaths.corpus.appendingPathComponent(file))))
        }
        let overlap = try report("dss/pdf-byterange-overlap.pdf")
        #expect(overlap.signatures.map(\.indication) == [.indeterminate, .totalFailed])
        #expect(overlap.signatures.last?.subIndication == .formatFailure)

        let edited = try report("dss/hello_signed_INCSAVE_signed_EDITED.pdf")
        #expect(edited.signatures.map(\.indication) == [.indeterminate, .totalFailed])
        #expect(edited.signatures.last?.checks.contains { $0.subIndication == .hashFailure } == true,
                "the edited signature's digest no longer matches either")

        let spoofed = try report("dss/pades-spoofing-replaced-reason.pdf")
        let shown = try #require(spoofed.signatures.first { $0.inFinalForm })
        #expect(shown.indication == .totalFailed)
        #expect(shown.claims.reason == "EVIL")
        #expect(shown.reasons.first?.contains("not the one that was signed") == true)

        let corrupted = try report("dss/pdf-signed-corrupted.pdf")
        #expect(corrupted.file.structureReadable == false)
        #expect(corrupted.signatures.map(\.subIndication) == [.hashFailure])
    }

    @Test("The LTA file passes only through its timestamps: without them it would be expired")
    func longTermValidation() throws {
        let row = try #require(Self.rows.first { $0.file == "pyhanko/pades-lta-dss-indirect-arrs-test.pdf" })
        let report = PDFSignatureValidator(options: ValidationOptions(trustAnchors: try row.anchors())).validate(pdf: try row.bytes())
        let signature = try #require(report.signatures.first)
        #expect(signature.indication == .totalPassed)
        let proof = try #require(signature.proofOfExistence)
        let signer = try #require(signature.signer)
        #expect(proof.time < signer.notAfter)
        #expect(signer.notAfter < Date())
        #expect(signature.level == "PAdES-B-LTA")
    }
}
