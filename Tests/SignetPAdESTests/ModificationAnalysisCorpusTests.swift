import Foundation
import SignetPAdES
import SignetPDF
import SignetTestSupport
import Testing

/// The modification analysis of every signature in the third-party corpus, checked against
/// `expected.tsv` (its `post_signing_changes` column) and against what each file is known
/// to contain.
@Suite("Modification analysis: third-party corpus")
struct ModificationAnalysisCorpusTests {
    /// What the analysis must say for one signature.
    enum Expectation: Equatable {
        /// The verdict, and categories that must be among the findings.
        case verdict(ModificationAnalysis.Verdict, [ModificationFinding.Category])
        /// No revision ends where the `/ByteRange` ends (or it is malformed): the signature's
        /// coverage is anomalous and the byte-range checks reject it, not this analysis.
        case noSignedRevision
    }

    /// Per file, per signature field.
    static let expectations: [String: [String: Expectation]] = [
        "pyhanko/minimal-two-fields-signed-twice.pdf": ["Sig2": .verdict(.allowed, [.signature, .metadata, .info]), "Sig1": .verdict(.untouched, [])],
        "pyhanko/minimal-signed-twice-second-created.pdf": [
            "Sig1": .verdict(.allowed, [.signatureField, .signature, .pageAnnotations, .acroForm]), "Signature3": .verdict(.untouched, []),
        ],
        "pyhanko/pades-lta-dss-indirect-arrs-test.pdf": [
            "Sig1": .verdict(.allowed, [.dss, .documentTimestamp, .signatureField, .pageAnnotations]),
            "Timestamp-977301ad-bec9-4cae-a0cd-f6a674c6e465": .verdict(.allowed, [.dss]),
        ],
        "pyhanko/pades-with-old-style-signing-cert-attr.pdf": ["Sig1": .verdict(.untouched, [])],
        "pyhanko/sig-no-signed-attrs.pdf": ["Sig1": .verdict(.untouched, [])],
        "pyhanko/sig-with-ski-sid.pdf": ["Sig1": .verdict(.untouched, [])],
        "pyhanko/pdf-sig-with-econtent.pdf": ["Sig1": .verdict(.untouched, [])],
        "pyhanko/coverage-anomalies/tail-uncovered.pdf": ["Sig1": .noSignedRevision],
        "pyhanko/coverage-anomalies/signature-gap-too-big.pdf": ["Sig1": .noSignedRevision],
        "pyhanko/coverage-anomalies/one-byterange.pdf": ["Sig1": .noSignedRevision],
        "pyhanko/coverage-anomalies/weird-byterange.pdf": ["Sig1": .noSignedRevision],
        "pyhanko/form-update-override-appearance-stream.pdf": ["Sig1": .verdict(.allowed, [.signature]), "Sig2": .verdict(.untouched, [])],
        "pyhanko/form-update-override-appearance-stream-sneaky.pdf": [
            "Sig1": .verdict(.disallowed, [.objectRedefined]), "Sig2": .verdict(.untouched, []),
        ],
        "pyhanko/form-update-ap-indirect-sneaky-trailer.pdf": [
            "Sig1": .verdict(.disallowed, [.signatureWidget]), "Sig2": .verdict(.untouched, []),
        ],
        // The wrapped signature's /ByteRange ends at the end of the file; the attack is in
        // the gap, which the byte-range checks reject.
        "dss/siwa.pdf": ["Signature1": .verdict(.untouched, [])],
        // The original field Sig1 is gone from the form; Sig2 holds the spoofed dictionary.
        "dss/pdf-spoofing-attack.pdf": ["Sig2": .verdict(.disallowed, [.signatureDictionaryReplaced, .formField])],
        "dss/pades-spoofing-replaced-reason.pdf": ["Signature1": .verdict(.disallowed, [.signatureDictionaryReplaced])],
        "dss/pdf-byterange-overlap.pdf": [
            "Signature1": .verdict(.allowed, [.signatureField, .signature]), "Signature2": .verdict(.untouched, []),
        ],
        "dss/pdf-signed-original.pdf": ["Signature1": .verdict(.untouched, [])],
        "dss/pdf-signed-out-of-byteRange.pdf": ["Signature1": .noSignedRevision],
        "dss/pdf-signed-added-page.pdf": ["Signature1": .verdict(.disallowed, [.pages])],
        "dss/hello_signed_INCSAVE_signed.pdf": [
            "Signature1": .verdict(.allowed, [.emptyUpdate, .signature]), "Signature2": .verdict(.untouched, []),
        ],
        // Signature2's /ByteRange was edited into Signature1's: it points at revision 1, whose
        // later changes are the allowed ones; its dictionary and digest checks reject it.
        "dss/hello_signed_INCSAVE_signed_EDITED.pdf": [
            "Signature1": .verdict(.allowed, [.emptyUpdate, .signature]), "Signature2": .verdict(.allowed, [.signature]),
        ],
        "dss/dss-2236/hide.pdf": ["Signature1": .verdict(.disallowed, [.objectRedefined, .unreadableRevision])],
        "dss/dss-2236/replace.pdf": ["Signature2": .verdict(.disallowed, [.formField])],
        "dss/dss-818/Signature-P-DE_CRY-2_HASH_FAILURE.pdf": ["Matthias Schlede  /  2014-11-13, 10:19:31 GMT  /  3955": .verdict(.untouched, [])],
        "dss/dss-818/Signature-P-IT_ADO-1_HASH_FAILURE_ECDSA.pdf": ["PrimeSign Signature1": .verdict(.untouched, [])],
        "dss/Signature-P-HU_MIC-1.pdf": ["Signature1": .verdict(.untouched, [])],
        "dss/Signature-P-PK7-2.pdf": ["SigCS-1432220521731": .verdict(.untouched, [])],
        "dss/Signature-P-HU_POL-3.pdf": [
            "Signature1": .verdict(.allowed, [.dss, .documentTimestamp, .pageAnnotations]), "Signature2": .verdict(.untouched, []),
        ],
    ]

    /// Files whose `post_signing_changes` names an attack that this analysis is not the
    /// one to catch (a byte-range, coverage or digest attack).
    static let caughtByByteRangeChecks: Set<String> = [
        "dss/siwa.pdf", "dss/pdf-byterange-overlap.pdf", "dss/hello_signed_INCSAVE_signed_EDITED.pdf",
        "dss/pdf-signed-corrupted.pdf", "dss/pdf-signed-out-of-byteRange.pdf",
        "pyhanko/coverage-anomalies/tail-uncovered.pdf", "pyhanko/coverage-anomalies/signature-gap-too-big.pdf",
        "pyhanko/coverage-anomalies/one-byterange.pdf", "pyhanko/coverage-anomalies/weird-byterange.pdf",
    ]

    /// Files SignetPDF refuses to open (strict cross-reference reading): the verifier
    /// reports them unreadable before any signature is checked.
    static let unreadable: Set<String> = ["dss/pdf-signed-corrupted.pdf"]

    struct Row {
        let file: String
        let verdict: String
        let postSigningChanges: String
    }

    static func rows() throws -> [Row] {
        let text = try String(contentsOf: RepositoryPaths.corpus.appendingPathComponent("expected.tsv"), encoding: .utf8)
        let lines = text.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        guard let header = lines.first, let file = header.firstIndex(of: "file"), let verdict = header.firstIndex(of: "verdict"),
              let changes = header.firstIndex(of: "post_signing_changes") else { throw OracleSetupError(description: "expected.tsv lacks its columns") }
        return lines.dropFirst().map { Row(file: $0[file], verdict: $0[verdict], postSigningChanges: $0[changes]) }
    }

    @Test("Every row of expected.tsv has an expectation here that agrees with its post_signing_changes column")
    func tableAgreesWithExpectedTSV() throws {
        let rows = try Self.rows()
        #expect(rows.count == 31)
        for row in rows {
            let column = row.postSigningChanges
            if Self.unreadable.contains(row.file) {
                #expect(row.verdict == "INVALID", "\(row.file)")
                continue
            }
            let expected = try #require(Self.expectations[row.file], "no expectation for \(row.file)")
            let verdicts = expected.values.compactMap { if case .verdict(let v, _) = $0 { v } else { nil } }
            if column == "none" {
                #expect(verdicts.allSatisfy { $0 == .untouched } && !verdicts.isEmpty, "\(row.file): \(column)")
            } else if column.hasPrefix("allowed") {
                #expect(verdicts.contains(.allowed) && !verdicts.contains(.disallowed), "\(row.file): \(column)")
                #expect(row.verdict != "INVALID", "\(row.file): an allowed-changes control must not be INVALID")
            } else if Self.caughtByByteRangeChecks.contains(row.file) {
                #expect(!verdicts.contains(.disallowed), "\(row.file): \(column)")
                #expect(row.verdict == "INVALID", "\(row.file)")
            } else {
                #expect(column.hasPrefix("ATTACK") || column.hasPrefix("DISALLOWED"), "\(row.file): \(column)")
                #expect(verdicts.contains(.disallowed), "\(row.file): \(column)")
                #expect(row.verdict == "INVALID", "\(row.file)")
            }
        }
        #expect(Set(Self.expectations.keys).union(Self.unreadable) == Set(rows.map(\.file)))
    }

    @Test("Each signature's post-signing verdict and findings", arguments: try rows().map(\.file))
    func corpusFile(_ file: String) throws {
        let bytes = try [UInt8](Data(contentsOf: RepositoryPaths.corpus.appendingPathComponent(file)))
        guard !Self.unreadable.contains(file) else {
            #expect(throws: PDFError.self) { try PDFDocument(bytes: bytes) }
            return
        }
        let document = try PDFDocument(bytes: bytes)
        let expected = try #require(Self.expectations[file])
        let analyzer = ModificationAnalyzer(document: document)
        let found = try ModificationFixtures.signatures(in: document)
        #expect(Set(found.map(\.name)) == Set(expected.keys), "signature fields of \(file)")
        for (name, revision) in found {
            guard let expectation = expected[name] else { continue }
            guard let revision else {
                #expect(expectation == .noSignedRevision, "\(file) \(name): no revision ends at its /ByteRange")
                continue
            }
            guard case .verdict(let verdict, let categories) = expectation else {
                Issue.record("\(file) \(name): expected no signed revision, found revision \(revision)")
                continue
            }
            let analysis = analyzer.analyze(after: revision)
            let report = analysis.findings.map { "[\($0.revision)] \($0.allowed ? "ok" : "NO") \($0.category) \($0.object ?? "-"): \($0.message)" }.joined(separator: "\n")
            #expect(analysis.verdict == verdict, "\(file) \(name):\n\(report)")
            for category in categories {
                #expect(analysis.categories.contains(category), "\(file) \(name): no \(category) finding in\n\(report)")
            }
            #expect(analysis.findings.allSatisfy { $0.revision > revision && $0.revision < document.revisions.count })
            #expect(analysis.findings.allSatisfy { !$0.message.isEmpty })
            #expect((analysis.verdict == .untouched) == (revision == document.revisions.count - 1))
            #expect((analysis.verdict == .disallowed) == analysis.findings.contains { !$0.allowed })
        }
    }

    @Test("Analysing after any revision of any corpus file gives an answer, never a crash", arguments: try rows().map(\.file))
    func everyRevision(_ file: String) throws {
        let bytes = try [UInt8](Data(contentsOf: RepositoryPaths.corpus.appendingPathComponent(file)))
        guard let document = try? PDFDocument(bytes: bytes) else { return }
        let analyzer = ModificationAnalyzer(document: document)
        for revision in document.revisions.indices {
            let analysis = analyzer.analyze(after: revision)
            #expect((analysis.verdict == .untouched) == (revision == document.revisions.count - 1), "\(file) after revision \(revision)")
            #expect(analysis == analyzer.analyze(after: revision), "the analysis is deterministic")
        }
        #expect(analyzer.analyze(after: document.revisions.count).verdict == .disallowed)
        #expect(analyzer.analyze(after: -1).verdict == .disallowed)
    }
}
