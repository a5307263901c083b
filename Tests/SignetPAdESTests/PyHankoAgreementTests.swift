import Foundation
import SignetCrypto
import SignetPAdES
import SignetPKI
import SignetPDF
import SignetTestSupport
import Testing

/// Signet's verdicts against `pyhanko sign validate` on the same files, where pyHanko gives
/// a comparable answer; the known, deliberate disagreements are checked too, so that the
/// documentation (corpus README, docs/verify-report.md) stays true.
@Suite("Agreement with pyHanko")
struct PyHankoAgreementTests {
    /// pyHanko's bottom line for a file: every signature intact and trusted with no illegal
    /// modification or nonstandard coverage.
    private func pyhankoAccepts(_ verdicts: [PyHankoVerdict], status: Int32) -> Bool {
        status == 0 && !verdicts.isEmpty && verdicts.allSatisfy {
            $0.isIntactAndTrusted && !$0.has("ILLEGAL_MODIFICATIONS") && !$0.has("NONSTANDARD_COVERAGE")
        }
    }

    private func write(_ pdf: [UInt8]) throws -> (TemporaryDirectory, URL) {
        let dir = try TemporaryDirectory("signet-agreement")
        let file = dir.file("file.pdf")
        try Data(pdf).write(to: file)
        return (dir, file)
    }

    @Test("Signet B-LTA contracts: both pass; one flipped byte: both reject; an unknown root: both untrusted")
    func signetContracts() async throws {
        let pki = try TestPKI()
        let signed = try await pki.padesSigner().sign(try VerificationSupport.base(), level: .bLTA,
                                                      request: SignatureRequest(metadata: VerificationSupport.metadata))
        let options = ValidationOptions(trustAnchors: [pki.root.certificate])

        let (dir, file) = try write(signed)
        let accepted = try PyHanko.validate(file, trusting: [pki.rootFile])
        #expect(pyhankoAccepts(accepted.verdicts, status: accepted.raw.status), "\(accepted.raw.combinedOutput)")
        #expect(VerificationSupport.verify(signed, options).outcome == .passed)

        var flipped = signed
        let stream = try #require(VerificationSupport.find("stream\n", in: signed))
        flipped[stream + 12] ^= 0x01
        let flippedFile = dir.file("flipped.pdf")
        try Data(flipped).write(to: flippedFile)
        let rejected = try PyHanko.validate(flippedFile, trusting: [pki.rootFile])
        #expect(rejected.raw.status != 0)
        #expect(!rejected.verdicts.contains { $0.status.first?.hasPrefix("INTACT") == true }, "\(rejected.raw.combinedOutput)")
        let ours = VerificationSupport.verify(flipped, options)
        #expect(ours.outcome == .failed)
        #expect(ours.signatures.first?.subIndication == .hashFailure)

        let other = try VerificationPKI(name: "Unrelated")
        let untrusted = try PyHanko.validate(file, trusting: [other.rootFile])
        #expect(untrusted.verdicts.first?.status.first == "INTACT:UNTRUSTED", "\(untrusted.raw.combinedOutput)")
        let oursUntrusted = VerificationSupport.verify(signed, other.options())
        #expect(oursUntrusted.outcome == .indeterminate)
        #expect(oursUntrusted.signatures.first?.subIndication == .noCertificateChainFound)
    }

    @Test("Page content replaced after signing: pyHanko reports illegal modifications, Signet fails the signature")
    func changedAfterSigning() async throws {
        let pki = try TestPKI()
        let signed = try await pki.padesSigner().sign(try VerificationSupport.base(), level: .bT,
                                                      request: SignatureRequest(metadata: VerificationSupport.metadata))
        let document = try PDFDocument(bytes: signed)
        let page = try document.current.page(at: 0)
        var update = try PDFIncrementalUpdate(document: document)
        let content = update.add(.stream(PDFStream(dictionary: PDFDictionary(), rawData: Array("BT /F1 24 Tf 72 700 Td (VOID) Tj ET".utf8))))
        var dictionary = page.dictionary
        dictionary[.contents] = .reference(content)
        try update.set(.dictionary(dictionary), for: page.reference)
        let tampered = try update.write().bytes

        let (dir, file) = try write(tampered)
        let theirs = try withExtendedLifetime(dir) { try PyHanko.validate(file, trusting: [pki.rootFile]) }
        #expect(!pyhankoAccepts(theirs.verdicts, status: theirs.raw.status), "\(theirs.raw.combinedOutput)")
        #expect(theirs.verdicts.first?.has("ILLEGAL_MODIFICATIONS") == true, "pyHanko: \(theirs.raw.combinedOutput)")
        let ours = VerificationSupport.verify(tampered, ValidationOptions(trustAnchors: [pki.root.certificate], requireRevocationData: false))
        #expect(ours.outcome == .failed)
        #expect(ours.signatures.first?.modifications.verdict == .disallowed)
    }

    /// Corpus files where pyHanko (strict mode) reaches a comparable bottom line.
    static let comparable = [
        "pyhanko/minimal-two-fields-signed-twice.pdf",
        "pyhanko/pdf-sig-with-econtent.pdf",
        "pyhanko/coverage-anomalies/tail-uncovered.pdf",
        "pyhanko/coverage-anomalies/signature-gap-too-big.pdf",
        "pyhanko/coverage-anomalies/one-byterange.pdf",
        "pyhanko/coverage-anomalies/weird-byterange.pdf",
        "pyhanko/form-update-override-appearance-stream-sneaky.pdf",
        "pyhanko/form-update-ap-indirect-sneaky-trailer.pdf",
        "dss/pdf-signed-added-page.pdf",
        "dss/dss-818/Signature-P-DE_CRY-2_HASH_FAILURE.pdf",
    ]

    @Test("Corpus files pyHanko judges comparably: integrity and modification findings agree", arguments: comparable)
    func corpusAgreement(file: String) throws {
        let row = try #require(CorpusVerdictTests.rows.first { $0.file == file })
        let url = RepositoryPaths.corpus.appendingPathComponent(file)
        let anchors = row.trust == "none" ? [RepositoryPaths.corpus.appendingPathComponent("trust/pyhanko-testing-ca-root.cert.pem")]
                                          : [RepositoryPaths.corpus.appendingPathComponent(row.trust)]
        let theirs = try PyHanko.validate(url, trusting: anchors)
        let ours = PDFSignatureValidator(options: ValidationOptions(trustAnchors: try row.anchors())).validate(pdf: try row.bytes())
        if ours.outcome == .failed {
            #expect(!pyhankoAccepts(theirs.verdicts, status: theirs.raw.status), "\(file): pyHanko accepts what Signet fails\n\(theirs.raw.combinedOutput)")
            // Where pyHanko sees the signature as intact, it must flag the modification or coverage Signet fails.
            for (index, verdict) in theirs.verdicts.enumerated() where verdict.status.first?.hasPrefix("INTACT") == true {
                guard index < ours.signatures.count, ours.signatures[index].indication == .totalFailed else { continue }
                #expect(verdict.has("ILLEGAL_MODIFICATIONS") || verdict.has("NONSTANDARD_COVERAGE"),
                        "\(file) \(verdict.fieldName): pyHanko finds nothing wrong, Signet: \(ours.signatures[index].reasons)")
            }
        } else {
            // The valid Adobe Reader file: pyHanko's signatures are intact and trusted (it
            // exits non-zero only for the untrusted GlobalSign timestamp, as the corpus notes).
            #expect(theirs.verdicts.count == ours.signatures.count)
            #expect(theirs.verdicts.allSatisfy { $0.isIntactAndTrusted }, "\(theirs.raw.combinedOutput)")
            #expect(theirs.verdicts.allSatisfy { !$0.has("ILLEGAL_MODIFICATIONS") })
        }
    }

    @Test("Known disagreement: pyHanko accepts form filling after an approval signature (dss-2236/replace.pdf); Signet fails it")
    func formFillingDisagreement() throws {
        let row = try #require(CorpusVerdictTests.rows.first { $0.file == "dss/dss-2236/replace.pdf" })
        let theirs = try PyHanko.validate(RepositoryPaths.corpus.appendingPathComponent(row.file),
                                          trusting: [RepositoryPaths.corpus.appendingPathComponent(row.trust)])
        #expect(theirs.raw.status == 0, "pyHanko's documented behaviour changed: \(theirs.raw.combinedOutput)")
        #expect(theirs.verdicts.first?.has("EXTENDED_WITH_FORM_FILLING") == true)
        let ours = PDFSignatureValidator(options: ValidationOptions(trustAnchors: try row.anchors())).validate(pdf: try row.bytes())
        #expect(ours.outcome == .failed)
        #expect(ours.signatures.first?.modifications.findings.contains { !$0.allowed && $0.category == "formField" } == true,
                "\(ours.signatures.first?.modifications.findings ?? [])")
    }
}
