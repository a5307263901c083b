import Foundation
import Testing
import SignetPDF
import SignetTestSupport

/// Incremental updates on foreign files, checked with qpdf and by re-reading.
@Suite struct WriterTests {
    /// Base files: the committed foreign PDFs, qpdf rewrites of one of them, and corpus files
    /// that already carry signatures (linearized xref streams, hybrid references).
    static func baseFiles(in dir: TemporaryDirectory) throws -> [(name: String, url: URL)] {
        let fixtures = RepositoryPaths.fixtures.appendingPathComponent("pdf")
        var files: [(String, URL)] = ["libreoffice-writer.pdf", "cairo-pango.pdf", "ghostscript.pdf"].map {
            ($0, fixtures.appendingPathComponent($0))
        }
        let base = fixtures.appendingPathComponent("libreoffice-writer.pdf").path
        let variants: [(String, [String])] = [
            ("qpdf-object-streams.pdf", ["--object-streams=generate"]),
            ("qpdf-qdf.pdf", ["--qdf", "--object-streams=disable"]),
            ("qpdf-linearized.pdf", ["--linearize"]),
            ("qpdf-linearized-object-streams.pdf", ["--linearize", "--object-streams=generate"]),
            ("qpdf-xref-stream-no-objstm.pdf", ["--object-streams=generate", "--compress-streams=n"]),
        ]
        for (name, args) in variants {
            let out = dir.file(name)
            let result = try ExternalTool.run("qpdf", args + [base, out.path])
            #expect(result.status == 0, "qpdf \(args): \(result.errorOutput)")
            files.append((name, out))
        }
        for corpus in ["pyhanko/minimal-two-fields-signed-twice.pdf", "dss/dss-818/Signature-P-IT_ADO-1_HASH_FAILURE_ECDSA.pdf",
                       "pyhanko/pades-lta-dss-indirect-arrs-test.pdf"] {
            files.append((corpus, RepositoryPaths.corpus.appendingPathComponent(corpus)))
        }
        return files
    }

    @Test func incrementalUpdatesOnForeignFiles() throws {
        let dir = try TemporaryDirectory("signet-pdf-writer")
        let bases = try Self.baseFiles(in: dir)
        #expect(bases.count == 11)
        var checked = 0
        defer { #expect(checked == bases.count) }
        for (name, url) in bases {
            defer { checked += 1 }
            let original = try readBytes(url)
            let doc = try PDFDocument(bytes: original)
            let catalog = try doc.current.catalog()
            var update = try PDFIncrementalUpdate(document: doc)
            // A new object, a replaced one (the catalog), and a signature-like dictionary
            // with placeholders.
            let note = update.add(.dictionary(["Type": .name("SignetTest"), "Text": .string(PDFString("incremental (update)"))]))
            var newCatalog = catalog.dictionary
            newCatalog["SignetTest"] = .reference(note)
            try update.set(.dictionary(newCatalog), for: catalog.reference)
            let sig = update.allocate()
            let sigDict: PDFDictionary = [
                "Type": .name("Sig"), "Filter": .name("Adobe.PPKLite"), "SubFilter": .name("ETSI.CAdES.detached"),
                "M": .string(PDFString("D:20260101000000Z")),
            ]
            try update.set(.dictionary(sigDict), for: sig, placeholders: ["ByteRange": .byteRange(), "Contents": .hexString(byteCount: 64)])
            update.documentIDSecondElement = Array(repeating: 0xAB, count: 16)
            var output = try update.write()

            // The original is a prefix; placeholders are where they were reported.
            #expect(Array(output.bytes.prefix(original.count)) == original, "\(name)")
            let contents = try #require(output.placeholder(for: "Contents", in: sig))
            let byteRange = try #require(output.placeholder(for: "ByteRange", in: sig))
            #expect(output.bytes[contents.range.lowerBound] == 0x3C && output.bytes[contents.range.upperBound - 1] == 0x3E)
            #expect(contents.range.count == 2 + 128)
            #expect(Array(output.bytes[byteRange.range]) == Array("[0 ********** ********** **********]".utf8))
            let ranges = output.byteRange(excluding: contents)
            try output.patchByteRange(byteRange, with: ranges)
            try output.patchHexString(contents, with: [0x30, 0x82, 0x01, 0x02])
            #expect(output.bytes.count == ranges[2] + ranges[3])

            let outURL = dir.file("updated-" + name.replacingOccurrences(of: "/", with: "_"))
            try writeBytes(output.bytes, to: outURL)
            if let keep = ProcessInfo.processInfo.environment["SIGNET_PDF_KEEP"] {
                try writeBytes(output.bytes, to: URL(fileURLWithPath: keep).appendingPathComponent(outURL.lastPathComponent))
            }
            let check = try ExternalTool.run("qpdf", ["--check", outURL.path])
            let baseCheck = try ExternalTool.run("qpdf", ["--check", url.path])
            // qpdf must be as happy with the update as with the original (0 = clean, 3 = warnings).
            #expect(check.status == baseCheck.status, "\(name): \(check.combinedOutput)")
            #expect(check.status == 0 || check.status == 3, "\(name): \(check.combinedOutput)")
            let shown = try ExternalTool.run("qpdf", ["--show-object=\(catalog.reference.number)", outURL.path])
            #expect(shown.output.contains("/SignetTest \(note.number) 0 R"), "\(name): \(shown.output)")

            // Re-read: one more revision, same xref style, placeholders at the parsed positions.
            let reread = try PDFDocument(bytes: output.bytes)
            #expect(reread.revisions.count == doc.revisions.count + 1)
            let last = reread.currentRevision
            let expectedStyle: PDFXRefSection.Kind = doc.currentRevision.xrefKind == .stream ? .stream : .table
            #expect(last.xrefKind == expectedStyle, "\(name)")
            #expect(last.endIncludingEOL == output.bytes.count)
            #expect(last.end == output.bytes.count - 1)
            #expect(reread.revisions[doc.revisions.count - 1].end == doc.currentRevision.end)
            #expect(Set(last.definedObjectNumbers).isSuperset(of: [note.number, sig.number, catalog.reference.number]))
            #expect(reread.anomalies.filter { $0.kind != .offsetPointsAtWhitespace } .count
                    <= doc.anomalies.filter { $0.kind != .offsetPointsAtWhitespace }.count, "\(name): \(reread.anomalies)")
            let parsedSig = try #require(try reread.indirectObject(sig))
            #expect(parsedSig.entryPositions["Contents"]?.valueRange == contents.range)
            #expect(parsedSig.entryPositions["ByteRange"]?.valueRange == byteRange.range)
            #expect(try reread.resolveArray(parsedSig.object.dictionaryValue?["ByteRange"]) == ranges.map { .integer($0) })
            #expect(parsedSig.object.dictionaryValue?["Contents"]?.stringValue?.bytes.prefix(4) == [0x30, 0x82, 0x01, 0x02])
            #expect(try reread.current.catalog().dictionary["SignetTest"] == .reference(note))
            #expect(try reread.view(revision: doc.revisions.count - 1).catalog().dictionary["SignetTest"] == nil)
            #expect(reread.current.documentID?.second.bytes == Array(repeating: 0xAB, count: 16))
            if let oldID = doc.current.documentID {
                #expect(reread.current.documentID?.first == oldID.first)
            }
            #expect(note.number >= doc.nextObjectNumber)
            #expect(try reread.current.pageCount() == doc.current.pageCount())
            let all = try reread.checkAllObjects()
            #expect(all.failures.isEmpty, "\(name): \(all.failures)")
        }
    }

    @Test func xrefStyleCanBeForced() throws {
        let doc = try PDFDocument(bytes: PDFBuilder.onePage().build())
        for style in [PDFIncrementalUpdate.XRefStyle.table, .stream] {
            var update = try PDFIncrementalUpdate(document: doc)
            update.xrefStyle = style
            update.add(.integer(42))
            let output = try update.write()
            let reread = try PDFDocument(bytes: output.bytes)
            #expect(reread.currentRevision.xrefKind == (style == .table ? .table : .stream))
            #expect(try reread.object(PDFReference(5, 0)) == .integer(42))
            let trailer = reread.trailer
            #expect(trailer[.prev] == .integer(doc.currentRevision.sections[0].offset))
            #expect(trailer[.root] == .reference(PDFReference(1, 0)))
            #expect(trailer[.size] == .integer(style == .table ? 6 : 7))
            #expect(reread.current.documentID == nil)
        }
    }

    @Test func writerRefusesBadRequests() throws {
        let doc = try PDFDocument(bytes: PDFBuilder.onePage().build())
        var update = try PDFIncrementalUpdate(document: doc)
        #expect(throws: PDFError.self) { try update.set(.null, for: PDFReference(99, 0)) }
        #expect(throws: PDFError.self) { try update.set(.null, for: PDFReference(1, 3)) }
        #expect(throws: PDFError.self) { try update.set(.integer(1), for: PDFReference(1, 0), placeholders: ["X": .hexString(byteCount: 4)]) }
        _ = update.allocate()
        #expect(throws: PDFError.self) { try update.write() }

        var ok = try PDFIncrementalUpdate(document: doc)
        let ref = ok.allocate()
        try ok.set(.dictionary(["A": 1]), for: ref, placeholders: ["Contents": .hexString(byteCount: 2)])
        var output = try ok.write()
        let slot = try #require(output.placeholder(for: "Contents", in: ref))
        #expect(throws: PDFError.self) { try output.patchHexString(slot, with: [1, 2, 3]) }
        #expect(throws: PDFError.self) { try output.patchByteRange(slot, with: [0, 1, 2, 3]) }
    }

    @Test func encryptedDocumentsAreRefused() throws {
        let dir = try TemporaryDirectory("signet-pdf-encrypted")
        let plain = dir.file("plain.pdf"), encrypted = dir.file("encrypted.pdf")
        try writeBytes(PDFBuilder.onePage().build(), to: plain)
        let result = try ExternalTool.run("qpdf", ["--encrypt", "user", "owner", "256", "--", plain.path, encrypted.path])
        #expect(result.status == 0, "\(result.errorOutput)")
        let doc = try PDFDocument(bytes: try readBytes(encrypted))
        #expect(doc.isEncrypted)
        #expect(throws: PDFError.encrypted) { try PDFIncrementalUpdate(document: doc) }
        #expect(PDFError.encrypted.description == "encrypted PDFs are not supported")
    }

    @Test func fileWithoutFinalEOLGetsOne() throws {
        var bytes = PDFBuilder.onePage().build()
        bytes.removeLast()  // ends in %%EOF
        let doc = try PDFDocument(bytes: bytes)
        var update = try PDFIncrementalUpdate(document: doc)
        update.add(.boolean(true))
        let output = try update.write()
        #expect(Array(output.bytes.prefix(bytes.count)) == bytes)
        #expect(output.bytes[bytes.count] == 0x0A)
        let reread = try PDFDocument(bytes: output.bytes)
        #expect(reread.revisions[0].end == bytes.count)
        #expect(reread.revisions[0].endIncludingEOL == bytes.count + 1)
        #expect(reread.revisions[1].byteRange.lowerBound == bytes.count)
    }
}
