import Foundation
import Testing
import SignetPDF
import SignetTestSupport

/// The third-party signed corpus: every file opens (or fails with the documented typed error),
/// with the revision structure established by reading the files (EOF markers, /Prev chains,
/// signature byte ranges) and by `qpdf --show-xref`.
@Suite struct CorpusTests {
    /// file → (revisions, xref style of the last revision, linearized).
    static let expected: [String: (revisions: Int, style: PDFXRefSection.Kind, linearized: Bool)] = [
        "dss/Signature-P-HU_MIC-1.pdf": (2, .table, false),
        "dss/Signature-P-HU_POL-3.pdf": (3, .table, false),
        "dss/Signature-P-PK7-2.pdf": (3, .stream, true),
        "dss/dss-2236/hide.pdf": (3, .table, false),
        "dss/dss-2236/replace.pdf": (2, .stream, true),
        "dss/dss-818/Signature-P-DE_CRY-2_HASH_FAILURE.pdf": (2, .table, false),
        "dss/dss-818/Signature-P-IT_ADO-1_HASH_FAILURE_ECDSA.pdf": (3, .hybrid, false),
        "dss/hello_signed_INCSAVE_signed.pdf": (4, .table, false),
        "dss/hello_signed_INCSAVE_signed_EDITED.pdf": (4, .table, false),
        "dss/pades-spoofing-replaced-reason.pdf": (3, .table, false),
        "dss/pdf-byterange-overlap.pdf": (3, .stream, true),
        "dss/pdf-signed-added-page.pdf": (3, .table, false),
        "dss/pdf-signed-original.pdf": (2, .table, false),
        "dss/pdf-signed-out-of-byteRange.pdf": (2, .table, false),
        "dss/pdf-spoofing-attack.pdf": (3, .stream, false),
        "dss/siwa.pdf": (2, .table, false),
        "pyhanko/coverage-anomalies/one-byterange.pdf": (2, .table, false),
        "pyhanko/coverage-anomalies/signature-gap-too-big.pdf": (2, .table, false),
        "pyhanko/coverage-anomalies/tail-uncovered.pdf": (2, .table, false),
        "pyhanko/coverage-anomalies/weird-byterange.pdf": (2, .table, false),
        "pyhanko/form-update-ap-indirect-sneaky-trailer.pdf": (2, .table, false),
        "pyhanko/form-update-override-appearance-stream-sneaky.pdf": (2, .table, false),
        "pyhanko/form-update-override-appearance-stream.pdf": (2, .table, false),
        "pyhanko/minimal-signed-twice-second-created.pdf": (2, .stream, true),
        "pyhanko/minimal-two-fields-signed-twice.pdf": (2, .stream, true),
        "pyhanko/pades-lta-dss-indirect-arrs-test.pdf": (5, .table, false),
        "pyhanko/pades-with-old-style-signing-cert-attr.pdf": (2, .table, false),
        "pyhanko/pdf-sig-with-econtent.pdf": (2, .table, false),
        "pyhanko/sig-no-signed-attrs.pdf": (2, .table, false),
        "pyhanko/sig-with-ski-sid.pdf": (3, .table, false),
    ]

    /// Files that cannot be read without reconstructing the xref, with the error expected.
    static let unreadable: [String: PDFError] = [
        // Ten bytes were cut inside the signed content, so every later offset is off by ten.
        "dss/pdf-signed-corrupted.pdf": .invalidXRef(reason: "no xref table or xref stream object at offset 150689", offset: 150689)
    ]

    static func open(_ file: String) throws -> PDFDocument {
        try PDFDocument(bytes: try readBytes(RepositoryPaths.corpus.appendingPathComponent(file)))
    }

    @Test func everyCorpusFileIsCovered() throws {
        let files = Set(try corpusFiles())
        #expect(files == Set(Self.expected.keys).union(Self.unreadable.keys))
        // expected.tsv lists the same files.
        let tsv = try String(contentsOf: RepositoryPaths.corpus.appendingPathComponent("expected.tsv"), encoding: .utf8)
        let listed = Set(tsv.split(separator: "\n").dropFirst().map { String($0.split(separator: "\t")[0]) })
        #expect(listed == files)
    }

    @Test(arguments: CorpusTests.expected.keys.sorted())
    func opensWithExpectedRevisions(file: String) throws {
        let doc = try Self.open(file)
        let expected = Self.expected[file]!
        #expect(doc.revisions.count == expected.revisions)
        #expect(doc.currentRevision.xrefKind == expected.style)
        #expect(doc.isLinearized == expected.linearized)
        #expect(doc.isEncrypted == false)
        // Revisions tile the file: each starts where the previous ended; the last ends at
        // the end of the file (after its EOL).
        var previousEnd = 0
        for revision in doc.revisions {
            #expect(revision.byteRange.lowerBound == previousEnd)
            #expect(revision.end > revision.byteRange.lowerBound || revision.index == 0)
            #expect(Array(doc.bytes[(revision.end - 5)..<revision.end]) == Array("%%EOF".utf8))
            #expect(revision.endIncludingEOL >= revision.end && revision.endIncludingEOL <= revision.end + 2)
            previousEnd = revision.end
        }
        #expect(doc.currentRevision.endIncludingEOL == doc.bytes.count)
        // Every page can be walked and every revision has a catalog.
        for revision in doc.revisions.indices {
            let view = try doc.view(revision: revision)
            #expect(try view.catalog().dictionary.type == PDFName("Catalog"))
            #expect(try view.pageCount() >= 1)
        }
    }

    @Test(arguments: CorpusTests.unreadable.keys.sorted())
    func unreadableFilesFailWithTypedErrors(file: String) throws {
        #expect(throws: Self.unreadable[file]!) { try Self.open(file) }
    }

    @Test func allObjectsParseExceptTheShadowAttackAlias() throws {
        for file in Self.expected.keys.sorted() {
            let doc = try Self.open(file)
            for revision in doc.revisions.indices {
                let check = try doc.checkAllObjects(asOf: revision)
                if file == "dss/dss-2236/hide.pdf" && revision == 2 {
                    // The attack's xref maps object 6 to the offset of "8 0 obj".
                    #expect(check.failures.count == 1)
                    #expect(check.failures.first?.0 == 6)
                    #expect(check.failures.first?.1 == .objectHeaderMismatch(expected: PDFReference(6, 0), found: PDFReference(8, 0), offset: 33735))
                } else {
                    #expect(check.failures.isEmpty, "\(file) revision \(revision): \(check.failures)")
                }
            }
        }
    }

    @Test func pageCountsMatchQpdf() throws {
        for file in Self.expected.keys.sorted() {
            let url = RepositoryPaths.corpus.appendingPathComponent(file)
            let qpdf = try ExternalTool.run("qpdf", ["--show-npages", url.path])
            let count = Int(qpdf.output.trimmingCharacters(in: .whitespacesAndNewlines))
            #expect(try Self.open(file).current.pageCount() == count, "\(file)")
        }
    }

    @Test func modificationBookkeeping() throws {
        // The added-page attack: the last revision redefines the page tree and adds a page.
        let added = try Self.open("dss/pdf-signed-added-page.pdf")
        #expect(try added.view(revision: 1).pageCount() == 1)
        #expect(try added.view(revision: 2).pageCount() == 2)
        let pagesRef = try added.current.catalog().dictionary["Pages"]!.referenceValue!
        #expect(try added.definingRevision(of: pagesRef.number) == 2)
        #expect(try added.definingRevision(of: pagesRef.number, asOf: 1) == 0)
        #expect(added.revisions[2].definedObjectNumbers.contains(pagesRef.number))
        #expect(try added.object(pagesRef, asOf: 1) != added.object(pagesRef, asOf: 2))

        // The empty incremental save defines nothing and says /Size 1.
        let incsave = try Self.open("dss/hello_signed_INCSAVE_signed.pdf")
        #expect(incsave.revisions[2].definedObjectNumbers.isEmpty)
        #expect(incsave.anomalies.contains { $0.kind == .sizeDecreased })
        #expect(incsave.nextObjectNumber >= 33)

        // The shadow "hide" attack redefines object 8 in the last revision.
        let hide = try Self.open("dss/dss-2236/hide.pdf")
        #expect(hide.revisions[2].definedObjectNumbers == [6, 8])
        #expect(try hide.object(PDFReference(8, 0), asOf: 1).streamValue?.dictionary[.subtype] == .name("Image"))
        #expect(try hide.object(PDFReference(8, 0)).streamValue?.dictionary.type == PDFName("Metadata"))

        // Replaced /Reason of a signature dictionary (object 42).
        let spoof = try Self.open("dss/pades-spoofing-replaced-reason.pdf")
        let before = try spoof.object(PDFReference(42, 0), asOf: 1).dictionaryValue
        let after = try spoof.object(PDFReference(42, 0)).dictionaryValue
        #expect(before?["Reason"]?.stringValue?.text == "DSS testing")
        #expect(after?["Reason"]?.stringValue?.text == "EVIL")
        #expect(before?["Contents"] == after?["Contents"])
        #expect(spoof.revisions[2].definedObjectNumbers.contains(42))

        // Hybrid-reference file: objects found through /XRefStm.
        let hybrid = try Self.open("dss/dss-818/Signature-P-IT_ADO-1_HASH_FAILURE_ECDSA.pdf")
        #expect(hybrid.revisions[1].sections[0].hybridStreamOffset != nil)
        #expect(hybrid.revisions[1].entries.values.contains { if case .compressed = $0 { return true } else { return false } })

        // Spoofing attack's xref stream says /Encrypt null: not encrypted, but noted.
        let nullEncrypt = try Self.open("dss/pdf-spoofing-attack.pdf")
        #expect(!nullEncrypt.isEncrypted)
        #expect(nullEncrypt.anomalies.contains { $0.kind == .nullTrailerEntry })

        // Signature wrapping: the attacker's xref sits in the signature gap, /Size too small.
        let siwa = try Self.open("dss/siwa.pdf")
        #expect(siwa.anomalies.contains { $0.kind == .sizeTooSmall })
        #expect(siwa.revisions[1].sections[0].offset == 22656)
    }

    /// Signature dictionaries: where /Contents sits must be known to the byte.
    struct SignatureFacts: Equatable, CustomStringConvertible {
        var gapIsContents: Bool
        var endsAtRevisionEnd: Bool
        var description: String { "(gap=\(gapIsContents), revEnd=\(endsAtRevisionEnd))" }
    }

    static func signatureFacts(_ doc: PDFDocument) throws -> [SignatureFacts] {
        var facts: [SignatureFacts] = []
        for field in try doc.current.allFormFields() where field.dictionary["FT"] == .name("Sig") {
            guard case .reference(let sigRef)? = field.dictionary["V"],
                  let sig = try doc.indirectObject(sigRef) else { continue }
            let range = (try doc.resolveArray(sig.object.dictionaryValue?["ByteRange"]) ?? []).compactMap(\.integerValue)
            let contents = sig.entryPositions["Contents"]?.valueRange
            let gap = range.count == 4 && contents != nil && range[0] == 0
                && range[1] == contents!.lowerBound && range[2] == contents!.upperBound
                && doc.bytes[range[1]] == 0x3C && doc.bytes[range[2] - 1] == 0x3E
            let end = range.count == 4 ? range[2] + range[3] : -1
            let revisionEnd = doc.revisions.contains { $0.end == end || $0.endIncludingEOL == end }
            facts.append(SignatureFacts(gapIsContents: gap, endsAtRevisionEnd: revisionEnd))
        }
        return facts
    }

    @Test func signatureContentsPositions() throws {
        let t = SignatureFacts(gapIsContents: true, endsAtRevisionEnd: true)
        let expected: [String: [SignatureFacts]] = [
            "dss/pdf-signed-original.pdf": [t],
            "dss/Signature-P-HU_MIC-1.pdf": [t],
            "dss/Signature-P-PK7-2.pdf": [t],
            "pyhanko/minimal-two-fields-signed-twice.pdf": [t, t],
            "pyhanko/minimal-signed-twice-second-created.pdf": [t, t],
            "pyhanko/coverage-anomalies/tail-uncovered.pdf": [SignatureFacts(gapIsContents: true, endsAtRevisionEnd: false)],
            "pyhanko/coverage-anomalies/signature-gap-too-big.pdf": [SignatureFacts(gapIsContents: false, endsAtRevisionEnd: false)],
            "pyhanko/coverage-anomalies/one-byterange.pdf": [SignatureFacts(gapIsContents: false, endsAtRevisionEnd: false)],
            "pyhanko/coverage-anomalies/weird-byterange.pdf": [SignatureFacts(gapIsContents: false, endsAtRevisionEnd: false)],
            "dss/pdf-signed-out-of-byteRange.pdf": [SignatureFacts(gapIsContents: false, endsAtRevisionEnd: false)],
            "dss/siwa.pdf": [SignatureFacts(gapIsContents: false, endsAtRevisionEnd: true)],
            "dss/pdf-byterange-overlap.pdf": [t, SignatureFacts(gapIsContents: false, endsAtRevisionEnd: true)],
            "dss/hello_signed_INCSAVE_signed.pdf": [t, t],
            "dss/hello_signed_INCSAVE_signed_EDITED.pdf": [t, SignatureFacts(gapIsContents: false, endsAtRevisionEnd: true)],
        ]
        for (file, facts) in expected.sorted(by: { $0.key < $1.key }) {
            let actual = try Self.signatureFacts(try Self.open(file))
            #expect(actual.sorted { "\($0)" < "\($1)" } == facts.sorted { "\($0)" < "\($1)" }, "\(file)")
        }
    }
}
