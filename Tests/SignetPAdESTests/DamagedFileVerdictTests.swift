import Foundation
import SignetPAdES
import SignetPDF
import SignetTestSupport
import Testing

/// Every report carries a verdict (a top-level `indication` and `subIndication` in the
/// JSON), unsigned PDFs are never valid, and damaged files — cut short, with data or
/// objects appended, with a broken cross-reference chain — are reported as damaged, with
/// the signatures still found listed and judged.
@Suite("Damaged and unsigned files get a verdict")
struct DamagedFileVerdictTests {
    private static func signedContract(_ pki: VerificationPKI, level: PAdESLevel = .bLTA) async throws -> [UInt8] {
        try await pki.padesSigner(try pki.signer()).sign(
            try VerificationSupport.base(), level: level, request: SignatureRequest(metadata: VerificationSupport.metadata))
    }

    /// The report as the JSON a program reads, as a dictionary.
    private static func json(_ report: ValidationReport) throws -> [String: Any] {
        let text = try ValidationReportFormatter.json(report)
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// The JSON carries `indication` and `subIndication` at the top, as the report says.
    private static func expectVerdictInJSON(_ report: ValidationReport, _ label: String,
                                            sourceLocation: SourceLocation = #_sourceLocation) throws {
        let object = try json(report)
        #expect(object["indication"] as? String == report.indication.rawValue, "\(label)", sourceLocation: sourceLocation)
        #expect(object["subIndication"] as? String == report.subIndication?.rawValue, "\(label)", sourceLocation: sourceLocation)
        #expect(object["indication"] != nil && object["subIndication"] != nil, "\(label): \(object.keys.sorted())", sourceLocation: sourceLocation)
    }

    /// `qpdf --check` reports `file` damaged, and `pyhanko sign validate` refuses it
    /// (judges no signature).
    private static func expectOraclesReject(_ file: URL, _ pki: VerificationPKI, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let qpdf = try QPDF.check(file)
        #expect(!qpdf.passed && qpdf.raw.combinedOutput.contains("damaged"), "qpdf --check: \(qpdf.raw.combinedOutput)",
                sourceLocation: sourceLocation)
        let pyhanko = try PyHanko.validate(file, trusting: [pki.rootFile])
        #expect(pyhanko.raw.status != 0 && pyhanko.verdicts.isEmpty, "pyHanko: \(pyhanko.raw.combinedOutput)", sourceLocation: sourceLocation)
    }

    private static func write(_ bytes: [UInt8], _ name: String, in dir: TemporaryDirectory) throws -> URL {
        let url = dir.file(name)
        try Data(bytes).write(to: url)
        return url
    }

    @Test("Unsigned PDFs from Ghostscript, LibreOffice and Cairo: noSignature, exit 3, TOTAL_FAILED / FORMAT_FAILURE, said plainly")
    func unsignedProducers() throws {
        for name in BaseDocuments.fixtures {
            let report = VerificationSupport.verify(try BaseDocuments.fixture(name), ValidationOptions())
            #expect(report.outcome == .noSignature, "\(name)")
            #expect(report.exitStatus == 3)
            #expect(report.indication == .totalFailed)
            #expect(report.subIndication == .formatFailure)
            #expect(report.file.damage == nil, "\(name): \(report.file.damage ?? "")")
            try Self.expectVerdictInJSON(report, name)
            let text = ValidationReportFormatter.text(report)
            #expect(text.contains("RESULT: NO SIGNATURE, NOT VALID (TOTAL_FAILED / FORMAT_FAILURE)"), "\(text)")
            #expect(report.summary.contains("not valid"))
        }
    }

    @Test("A signed contract cut at 10, 30, 50, 70 and 90 %, after its first revision and one byte short: damaged, never 'no signature'")
    func truncatedContract() async throws {
        let pki = try VerificationPKI()
        let signed = try await Self.signedContract(pki)
        let validator = PDFSignatureValidator(options: pki.options())
        #expect(validator.validate(pdf: signed).outcome == .passed)
        let revisions = try PDFDocument(bytes: signed).revisions
        let revisionEnds = Set(revisions.flatMap { [$0.end, $0.endIncludingEOL] })
        let firstSignature = try #require(VerificationSupport.find("/ByteRange", in: signed))
        // Inside the signature's revision, after the (unsigned) original: the reader then
        // reads the original only, and the signature is in the bytes that follow it.
        let afterOriginal = (revisions[0].endIncludingEOL + revisions[1].end) / 2
        try #require(afterOriginal > firstSignature)
        let cuts = [10, 30, 50, 70, 90].map { signed.count * $0 / 100 } + [afterOriginal, signed.count - 1]
        var outcomes: [ValidationReport.Outcome] = []
        for length in cuts where !revisionEnds.contains(length) {
            let report = validator.validate(pdf: Array(signed.prefix(length)))
            let label = "cut to \(length) of \(signed.count) bytes:\n\(ValidationReportFormatter.text(report))"
            outcomes.append(report.outcome)
            #expect(report.indication == .totalFailed, "\(label)")
            #expect(report.subIndication == .formatFailure, "\(label)")
            #expect(report.file.damage != nil, "\(label)")
            try Self.expectVerdictInJSON(report, label)
            if length > firstSignature {
                // Traces of the signature remain: it is listed, judged, and fails.
                #expect(report.outcome == .failed, "\(label)")
                #expect(report.exitStatus == 1)
                #expect(!report.signatures.isEmpty, "\(label)")
            } else {
                #expect(report.outcome == .unreadable, "\(label)")
                #expect(report.exitStatus == 4)
            }
            #expect(report.signatures.allSatisfy { $0.subIndication != .hashFailure }, "a cut is a structure fault, not a changed digest: \(label)")
        }
        #expect(outcomes.contains(.failed))
    }

    @Test("A B-LT contract whose last revision (the unsigned DSS update) lost its %%EOF: damaged, every signature FORMAT_FAILURE")
    func lastRevisionWithoutEOF() async throws {
        let pki = try VerificationPKI()
        let signed = try await Self.signedContract(pki, level: .bLT)
        let validator = PDFSignatureValidator(options: pki.options())
        #expect(validator.validate(pdf: signed).outcome == .passed)
        let eof = try #require((0...(signed.count - 5)).last { Array(signed[$0..<($0 + 5)]) == Array("%%EOF".utf8) })
        let revisions = try PDFDocument(bytes: signed).revisions
        try #require(revisions.count == 3 && revisions[2].end == eof + 5, "the DSS update is the last revision")
        for length in [eof, eof + 3] {
            let report = validator.validate(pdf: Array(signed.prefix(length)))
            let label = "cut to \(length) of \(signed.count):\n\(ValidationReportFormatter.text(report))"
            #expect(report.outcome == .failed, "\(label)")
            #expect((report.indication, report.subIndication) == (.totalFailed, .formatFailure), "\(label)")
            #expect(report.file.damage?.contains("without %%EOF") == true, "\(label)")
            for signature in report.signatures {
                #expect(signature.reasons.first?.contains("ends without %%EOF") == true, "\(label)")
            }
        }
    }

    @Test("4 KB of random bytes after a B-LTA contract: FORMAT_FAILURE, exit 1; qpdf calls the file damaged and pyHanko refuses it")
    func garbageAppended() async throws {
        let pki = try VerificationPKI()
        let signed = try await Self.signedContract(pki)
        var generator = SystemRandomNumberGenerator()
        let damaged = signed + (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let report = VerificationSupport.verify(damaged, pki.options())
        #expect(report.outcome == .failed, "\(ValidationReportFormatter.text(report))")
        #expect(report.exitStatus == 1)
        #expect((report.indication, report.subIndication) == (.totalFailed, .formatFailure))
        #expect(report.signatures.count == 2)
        for signature in report.signatures {
            #expect(signature.subIndication == .formatFailure)
            #expect(signature.reasons.first?.contains("bytes after the last %%EOF") == true, "\(signature.reasons)")
        }
        #expect(report.file.damage?.contains("follow the last %%EOF") == true)
        #expect(ValidationReportFormatter.text(report).contains("DAMAGED FILE"))
        try Self.expectVerdictInJSON(report, "garbage")

        let dir = try TemporaryDirectory("signet-damaged")
        try Self.expectOraclesReject(try Self.write(damaged, "garbage.pdf", in: dir), pki)
    }

    @Test("Objects appended without an xref, redefining the signed page content: FORMAT_FAILURE; qpdf rebuilds and shows them, pyHanko refuses")
    func objectsAppendedWithoutXRef() async throws {
        let pki = try VerificationPKI()
        let signed = try await Self.signedContract(pki)
        let page = try PDFDocument(bytes: signed).current.page(at: 0)
        let contents = try #require(page.dictionary[.contents]?.referenceValue ?? page.dictionary[.contents]?.arrayValue?.first?.referenceValue)
        // More than 1 KB, so the last startxref is beyond where readers look for it (the
        // last 1 KB) and a rebuilding reader takes these objects instead; a closing %%EOF
        // makes the file look complete.
        let padding = String(repeating: "% keep this comment line to push the end marker away\n", count: 24)
        let stream = "BT /F1 28 Tf 72 700 Td (CONTRACT VOID - AMOUNT 0) Tj ET\n" + padding
        let appended = "\n\(contents.number) \(contents.generation) obj\n<< /Length \(stream.utf8.count) >>\nstream\n\(stream)endstream\nendobj\n%%EOF\n"
        let attacked = signed + Array(appended.utf8)
        let report = VerificationSupport.verify(attacked, pki.options())
        #expect(report.outcome == .failed, "\(ValidationReportFormatter.text(report))")
        #expect(report.exitStatus == 1)
        #expect((report.indication, report.subIndication) == (.totalFailed, .formatFailure))
        for signature in report.signatures {
            #expect(signature.subIndication == .formatFailure)
            #expect(signature.reasons.first?.contains("contain PDF syntax") == true, "\(signature.reasons)")
        }
        try Self.expectVerdictInJSON(report, "appended objects")

        let dir = try TemporaryDirectory("signet-damaged")
        let file = try Self.write(attacked, "appended.pdf", in: dir)
        try Self.expectOraclesReject(file, pki)
        // What a rebuilding reader shows: the attacker's page content, not the signed one.
        let shown = try ExternalTool.run("qpdf", ["--show-object=\(contents.number),\(contents.generation)", "--filtered-stream-data", file.path])
        #expect(shown.output.contains("CONTRACT VOID"), "qpdf shows: \(shown.combinedOutput.prefix(400))")
    }

    @Test("Whitespace and NUL padding after the last %%EOF are harmless; an unsigned PDF with data appended is damaged and unsigned")
    func paddingAndUnsignedTail() async throws {
        let pki = try VerificationPKI()
        let signed = try await Self.signedContract(pki)
        let padded = signed + Array("\r\n \t\n".utf8) + [UInt8](repeating: 0, count: 2048)
        let report = VerificationSupport.verify(padded, pki.options())
        #expect(report.outcome == .passed, "\(ValidationReportFormatter.text(report))")
        #expect(report.file.damage == nil)

        let unsigned = try BaseDocuments.fixture("ghostscript.pdf") + Array("garbage that is not PDF".utf8)
        let damaged = VerificationSupport.verify(unsigned, ValidationOptions())
        #expect(damaged.outcome == .noSignature)
        #expect(damaged.exitStatus == 3)
        #expect((damaged.indication, damaged.subIndication) == (.totalFailed, .formatFailure))
        #expect(damaged.file.damage != nil)
        #expect(damaged.summary.hasPrefix("The file is damaged"), "\(damaged.summary)")
    }

    @Test("A broken xref chain (/Prev 0, a startxref that points nowhere) is a structure fault: FORMAT_FAILURE with the intact digest reported intact")
    func brokenCrossReferenceChain() async throws {
        let pki = try VerificationPKI()
        let signed = try await Self.signedContract(pki, level: .bB)
        let document = try PDFDocument(bytes: signed)
        let root = try #require(document.trailer[PDFName("Root")]?.referenceValue)
        let size = try #require(document.trailer[.size]?.integerValue)
        // An update that only adds a trailer, whose /Prev is 0 (the header, not an xref).
        let prevZero = signed + Array("xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size \(size) /Root \(root) /Prev 0 >>\nstartxref\n\(signed.count)\n%%EOF\n".utf8)
        // A last startxref that points past the end of the file.
        let nowhere = signed + Array("startxref\n\(signed.count * 10)\n%%EOF\n".utf8)
        for (label, bytes) in [("/Prev 0", prevZero), ("startxref nowhere", nowhere)] {
            let report = VerificationSupport.verify(bytes, pki.options(requireRevocationData: false))
            let text = "\(label):\n\(ValidationReportFormatter.text(report))"
            #expect(report.outcome == .failed, "\(text)")
            #expect(report.file.structureReadable == false)
            #expect(report.file.damage != nil)
            let signature = try #require(report.signatures.first)
            #expect(signature.subIndication == .formatFailure, "\(text)")
            #expect(signature.checks.contains { $0.kind == .integrity && $0.outcome == .passed }, "\(text)")
            #expect(!signature.checks.contains { $0.subIndication == .hashFailure }, "\(text)")
            #expect(signature.reasons.first?.contains("structure is damaged") == true, "\(text)")
            try Self.expectVerdictInJSON(report, label)
        }
    }

    @Test("Signed ranges past the end: a file cut short is FORMAT_FAILURE; the corpus's edited file that still ends with %%EOF stays HASH_FAILURE")
    func rangesPastTheEnd() throws {
        let original = try [UInt8](Data(contentsOf: RepositoryPaths.corpus.appendingPathComponent("dss/pdf-signed-original.pdf")))
        // Cut inside the last trailer: the structure cannot be read, the signed bytes are missing.
        let cut = VerificationSupport.verify(Array(original.prefix(original.count - 10)), ValidationOptions())
        let cutSignature = try #require(cut.signatures.first)
        #expect(cut.outcome == .failed)
        #expect(cutSignature.subIndication == .formatFailure, "\(ValidationReportFormatter.text(cut))")
        #expect(cutSignature.reasons.first?.contains("cut short") == true)
        #expect(cut.file.damage?.contains("run past its end") == true)

        // Ten bytes removed inside the signed content; the file still ends with its trailer.
        let corrupted = try [UInt8](Data(contentsOf: RepositoryPaths.corpus.appendingPathComponent("dss/pdf-signed-corrupted.pdf")))
        let edited = VerificationSupport.verify(corrupted, ValidationOptions())
        #expect(edited.signatures.first?.subIndication == .hashFailure, "\(ValidationReportFormatter.text(edited))")
        #expect(edited.signatures.first?.reasons.first?.contains("bytes were removed or changed") == true)
    }

    @Test("A damaged file with only traces of a signature (no /ByteRange left) lists it as a failed signature, not 'no signature'")
    func tracesOnly() throws {
        let base = try BaseDocuments.fixture("cairo-pango.pdf")
        let partial = base + Array("\n40 0 obj\n<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /Contents <3082".utf8)
        let report = VerificationSupport.verify(partial, ValidationOptions())
        #expect(report.outcome == .failed, "\(ValidationReportFormatter.text(report))")
        let signature = try #require(report.signatures.first)
        #expect(signature.subIndication == .formatFailure)
        #expect(signature.reasons.first?.contains("Only traces of a signature remain") == true, "\(signature.reasons)")

        // An empty signature field (no /V) is a place to sign, not a trace of a signature.
        let field = base + Array("\n40 0 obj\n<< /FT /Sig /T (Sign here) /Rect [0 0 10 10] >>\nendobj\n".utf8)
        let unsigned = VerificationSupport.verify(field, ValidationOptions())
        #expect(unsigned.outcome == .noSignature, "\(ValidationReportFormatter.text(unsigned))")
        let filled = base + Array("\n40 0 obj\n<< /FT /Sig /T (Signed) /V 41 0 R /Rect [0 0 10 10] >>\nendobj\n".utf8)
        #expect(VerificationSupport.verify(filled, ValidationOptions()).outcome == .failed)
    }

    @Test("A schema-1 report written before indication was always present still decodes, as TOTAL_FAILED / FORMAT_FAILURE")
    func olderReportsDecode() throws {
        let report = VerificationSupport.verify(try BaseDocuments.fixture("ghostscript.pdf"), ValidationOptions())
        var object = try Self.json(report)
        object.removeValue(forKey: "indication")
        object.removeValue(forKey: "subIndication")
        let data = try JSONSerialization.data(withJSONObject: object)
        let decoded = try ValidationReportFormatter.decode(json: data)
        #expect(decoded.indication == .totalFailed)
        #expect(decoded.subIndication == .formatFailure)
        #expect(decoded.outcome == .noSignature)
    }
}
