import Foundation
import Testing
import SignetPDF
import SignetTestSupport

/// Malformed input: every outcome is a document or a `PDFError`, never a crash or a hang.
@Suite struct RobustnessTests {
    /// Opens `bytes` and touches everything a verifier would: every object of every revision,
    /// pages, form fields, stream data. Records an issue for any error that is not a PDFError.
    /// Returns whether the document opened.
    @discardableResult
    static func exercise(_ bytes: [UInt8], _ label: String) -> Bool {
        let doc: PDFDocument
        do {
            doc = try PDFDocument(bytes: bytes)
        } catch is PDFError {
            return false
        } catch {
            Issue.record("\(label): non-PDFError \(error)")
            return false
        }
        for revision in doc.revisions.indices {
            do {
                let view = try doc.view(revision: revision)
                _ = try doc.checkAllObjects(asOf: revision)
                for number in doc.revisions[revision].definedObjectNumbers {
                    if let entry = try doc.xrefEntry(for: number, asOf: revision),
                       case .stream(let s)? = try? doc.object(PDFReference(number, entry.entry.generation), asOf: revision) {
                        _ = try? doc.decodedData(of: s, asOf: revision)
                    }
                }
                _ = try? view.pages()
                _ = try? view.allFormFields()
                _ = try? view.info()
            } catch is PDFError {
            } catch {
                Issue.record("\(label): non-PDFError \(error)")
            }
        }
        return true
    }

    static func fixture(_ name: String) throws -> [UInt8] {
        try readBytes(RepositoryPaths.fixtures.appendingPathComponent("pdf").appendingPathComponent(name))
    }

    static func samples() throws -> [(String, [UInt8])] {
        let dir = try TemporaryDirectory("signet-pdf-robust")
        let base = RepositoryPaths.fixtures.appendingPathComponent("pdf/libreoffice-writer.pdf")
        let objstm = dir.file("objstm.pdf")
        let result = try ExternalTool.run("qpdf", ["--object-streams=generate", base.path, objstm.path])
        #expect(result.status == 0)
        return [
            ("libreoffice", try fixture("libreoffice-writer.pdf")),
            ("qpdf-objstm", try readBytes(objstm)),
            ("adobe-linearized-signed", try readBytes(RepositoryPaths.corpus.appendingPathComponent("pyhanko/minimal-two-fields-signed-twice.pdf"))),
            ("hybrid", try readBytes(RepositoryPaths.corpus.appendingPathComponent("dss/dss-818/Signature-P-IT_ADO-1_HASH_FAILURE_ECDSA.pdf"))),
        ]
    }

    @Test func truncatedAtManyOffsets() throws {
        for (name, bytes) in try Self.samples() {
            let step = max(1, bytes.count / 400)
            var opened = 0, total = 0
            for cut in stride(from: 0, to: bytes.count, by: step) {
                total += 1
                if Self.exercise(Array(bytes[0..<cut]), "\(name) cut at \(cut)") { opened += 1 }
            }
            // The last bytes are the newest %%EOF: cutting there must still open (anomaly only).
            #expect(Self.exercise(Array(bytes.dropLast(1)), "\(name) minus one byte"))
            #expect(total >= 300)
            _ = opened
        }
    }

    @Test func flippedBytesAtManyPositions() throws {
        var seed: UInt64 = 0x5EED
        func next() -> UInt64 { seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407; return seed >> 33 }
        for (name, bytes) in try Self.samples() {
            for _ in 0..<300 {
                var mutated = bytes
                let position = Int(next() % UInt64(bytes.count))
                let value = UInt8(truncatingIfNeeded: next())
                mutated[position] = value
                Self.exercise(mutated, "\(name) byte \(position) := \(value)")
            }
            // Several flips at once, concentrated in the tail (xref, trailer, xref streams).
            for _ in 0..<200 {
                var mutated = bytes
                let tail = min(bytes.count, 2048)
                for _ in 0..<4 {
                    let position = bytes.count - 1 - Int(next() % UInt64(tail))
                    mutated[position] = UInt8(truncatingIfNeeded: next())
                }
                Self.exercise(mutated, "\(name) tail flips")
            }
        }
    }

    @Test func garbageAndEmptyInput() {
        #expect(throws: PDFError.missingHeader) { try PDFDocument(bytes: []) }
        #expect(throws: PDFError.missingHeader) { try PDFDocument(bytes: Array("hello world".utf8)) }
        #expect(throws: PDFError.missingStartXRef(offset: 9)) { try PDFDocument(bytes: Array("%PDF-1.7\n".utf8)) }
        #expect(throws: PDFError.self) { try PDFDocument(bytes: Array("%PDF-1.7\nstartxref\n".utf8)) }
        #expect(throws: PDFError.invalidXRef(reason: "offset 99999 is outside the file (30 bytes)", offset: 99999)) {
            try PDFDocument(bytes: Array("%PDF-1.7\nstartxref\n99999\n%%EOF".utf8))
        }
        var seed: UInt32 = 1
        for _ in 0..<200 {
            var bytes = Array("%PDF-1.4\n".utf8)
            for _ in 0..<512 { seed = seed &* 1_103_515_245 &+ 12345; bytes.append(UInt8(seed >> 24)) }
            bytes += Array("\nstartxref\n9\n%%EOF\n".utf8)
            Self.exercise(bytes, "random body")
        }
    }

    @Test func deepNestingIsATypedError() throws {
        var b = PDFBuilder.onePage()
        b.add(5, String(repeating: "[", count: 50_000) + String(repeating: "]", count: 50_000))
        let bytes = b.build()
        let doc = try PDFDocument(bytes: bytes)
        let objectStart = try #require(bytes.firstIndex(of: "5 0 obj"))
        let error = try #require(throws: PDFError.self) { try doc.object(PDFReference(5, 0)) }
        #expect(error == .nestingTooDeep(limit: 256, offset: objectStart + 8 + 256))
    }

    @Test func prevLoopsAreTypedErrors() throws {
        // A section whose /Prev is itself.
        var b = PDFBuilder.onePage()
        let first = b.build()
        let xref = try #require(first.firstIndex(of: "xref\n"))
        b.trailerExtra = "/Prev \(xref)"
        #expect(throws: PDFError.xrefLoop(offset: xref)) { try PDFDocument(bytes: b.build()) }

        // Two sections pointing at each other.
        var base = PDFBuilder.onePage()
        base.trailerExtra = "/Prev 0000000000"
        var bytes = base.build()
        let baseXref = try #require(bytes.firstIndex(of: "xref\n"))
        let updateXref = bytes.count
        bytes += Array("xref\n0 1\n0000000000 65535 f\r\ntrailer\n<</Size 5 /Root 1 0 R /Prev \(baseXref)>>\nstartxref\n\(updateXref)\n%%EOF\n".utf8)
        let slot = try #require(bytes.firstIndex(of: "/Prev 0000000000")) + 6
        let digits = String(updateXref)
        bytes.replaceSubrange(slot..<slot + 10, with: Array((String(repeating: "0", count: 10 - digits.count) + digits).utf8))
        #expect(throws: PDFError.xrefLoop(offset: updateXref)) { try PDFDocument(bytes: bytes) }
    }

    @Test func streamLengths() throws {
        // Far past the end of the file: an error, never tolerated.
        var huge = PDFBuilder.onePage()
        huge.objects[3] = (4, "<</Length 999999999>>\nstream\nabc\nendstream")
        let hugeBytes = huge.build()
        let doc = try PDFDocument(bytes: hugeBytes)
        let keyword = try #require(hugeBytes.firstIndex(of: "stream\nabc"))
        let error = try #require(throws: PDFError.self) { try doc.object(PDFReference(4, 0)) }
        guard case .invalidStreamLength(_, let offset) = error else { Issue.record("\(error)"); return }
        #expect(offset == keyword)
        // Negative, missing, or of the wrong type.
        for dict in ["<</Length -1>>", "<<>>", "<</Length /X>>"] {
            var b = PDFBuilder.onePage()
            b.objects[3] = (4, "\(dict)\nstream\nabc\nendstream")
            #expect(throws: PDFError.self) { try PDFDocument(bytes: b.build()).object(PDFReference(4, 0)) }
        }
        // Wrong but inside the file, with endstream present: tolerated, visible as an anomaly.
        var off = PDFBuilder.onePage()
        off.objects[3] = (4, "<</Length 7>>\nstream\n0 0 m S\nendstream")
        let tolerant = try PDFDocument(bytes: off.build())
        let object = try #require(try tolerant.indirectObject(PDFReference(4, 0)))
        #expect(object.object.streamValue.map { Array($0.rawData) } == Array("0 0 m S".utf8))
        off.objects[3] = (4, "<</Length 3>>\nstream\n0 0 m S\nendstream")
        let short = try #require(try PDFDocument(bytes: off.build()).indirectObject(PDFReference(4, 0)))
        #expect(short.object.streamValue.map { Array($0.rawData) } == Array("0 0 m S".utf8))
        #expect(short.anomalies.map(\.kind) == [.streamLengthMismatch])
        // No endstream at all.
        var none = PDFBuilder.onePage()
        none.objects[3] = (4, "<</Length 3>>\nstream\nabcdef")
        #expect(throws: PDFError.self) { try PDFDocument(bytes: none.build()).object(PDFReference(4, 0)) }
    }

    @Test func circularReferences() throws {
        var b = PDFBuilder.onePage()
        b.add(5, "6 0 R")
        b.add(6, "5 0 R")
        b.objects[3] = (4, "<</Length 4 0 R>>\nstream\nabc\nendstream")
        b.add(7, "<</Length 8 0 R>>\nstream\nabc\nendstream")
        b.add(8, "7 0 R")
        let doc = try PDFDocument(bytes: b.build())
        #expect(throws: PDFError.self) { try doc.resolve(.reference(PDFReference(5, 0))) }
        let own = try #require(throws: PDFError.self) { try doc.object(PDFReference(4, 0)) }
        guard case .circularReference(PDFReference(4, 0), _) = own else { Issue.record("\(own)"); return }
        #expect(throws: PDFError.self) { try doc.object(PDFReference(7, 0)) }
        // A page tree cycle.
        var cyclic = PDFBuilder.onePage()
        cyclic.objects[1] = (2, "<</Type /Pages /Kids [3 0 R 2 0 R] /Count 2>>")
        let error = try #require(throws: PDFError.self) { try PDFDocument(bytes: cyclic.build()).current.pages() }
        guard case .invalidPageTree = error else { Issue.record("\(error)"); return }
    }

    @Test func objectNumbersAndOffsets() throws {
        // Object number overflow in an xref subsection header and in a reference.
        var bytes = PDFBuilder.onePage().build()
        let sub = try #require(bytes.firstIndex(of: "xref\n0 5"))
        bytes.replaceSubrange((sub + 5)..<(sub + 8), with: Array("99999999999999999999999 5".utf8))
        #expect(throws: PDFError.self) { try PDFDocument(bytes: bytes) }
        var big = PDFBuilder.onePage().build()
        let sub2 = try #require(big.firstIndex(of: "xref\n0 5"))
        big.replaceSubrange((sub2 + 5)..<(sub2 + 8), with: Array("8388607 5".utf8))
        let error = try #require(throws: PDFError.self) { try PDFDocument(bytes: big) }
        guard case .objectNumberOutOfRange = error else { Issue.record("\(error)"); return }

        // An xref entry pointing at another object's header.
        let good = PDFBuilder.onePage().build()
        let obj4 = try #require(good.firstIndex(of: "4 0 obj"))
        let swapped = PDFBuilder.onePage().build(xrefOverride: [3: obj4])
        #expect(throws: PDFError.objectHeaderMismatch(expected: PDFReference(3, 0), found: PDFReference(4, 0), offset: obj4)) {
            try PDFDocument(bytes: swapped).object(PDFReference(3, 0))
        }
        // Off by whitespace before the object: tolerated with an anomaly; one byte late: an error.
        let early = try PDFDocument(bytes: PDFBuilder.onePage().build(xrefOverride: [4: obj4 - 1]))
        #expect(try early.indirectObject(PDFReference(4, 0))?.anomalies.map(\.kind) == [.offsetPointsAtWhitespace])
        #expect(throws: PDFError.self) { try PDFDocument(bytes: PDFBuilder.onePage().build(xrefOverride: [4: obj4 + 1])).object(PDFReference(4, 0)) }
        // startxref off by whitespace: anomaly; into the middle of a token: error.
        let xref = try #require(good.firstIndex(of: "xref\n"))
        let lenient = try PDFDocument(bytes: PDFBuilder.onePage().build(startxrefOverride: xref - 1))
        #expect(lenient.anomalies.contains { $0.kind == .offsetPointsAtWhitespace })
        #expect(throws: PDFError.self) { try PDFDocument(bytes: PDFBuilder.onePage().build(startxrefOverride: xref + 1)) }
        // A wrong generation resolves to null (§7.3.10), not to the object.
        let doc = try PDFDocument(bytes: good)
        #expect(try doc.object(PDFReference(4, 1)) == .null)
        #expect(try doc.object(PDFReference(77, 0)) == .null)
    }

    @Test func objectStreamEdgeCases() throws {
        // A hand-made xref stream: object 5 lives in object stream 6; object 7 claims to live
        // in object stream 7 (itself); object 8 claims index 3 of a stream holding one object.
        var out = Array("%PDF-1.7\n".utf8)
        var offsets: [Int: Int] = [:]
        func add(_ n: Int, _ body: String) {
            offsets[n] = out.count
            out += Array("\(n) 0 obj\n\(body)\nendobj\n".utf8)
        }
        add(1, "<</Type /Catalog /Pages 2 0 R>>")
        add(2, "<</Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 10 10]>>")
        add(3, "<</Type /Page /Parent 2 0 R>>")
        let objstmBody = "5 0 <</InStream true>>"
        add(6, "<</Type /ObjStm /N 1 /First 4 /Length \(objstmBody.utf8.count)>>\nstream\n\(objstmBody)\nendstream")
        let xrefOffset = out.count
        var rows: [UInt8] = []
        func row(_ t: UInt8, _ f2: Int, _ f3: Int) { rows += [t, UInt8(f2 >> 8), UInt8(f2 & 0xFF), UInt8(f3)] }
        row(0, 0, 255)
        for n in 1...3 { row(1, offsets[n]!, 0) }
        row(0, 0, 0)  // 4
        row(2, 6, 0)  // 5 in 6
        row(1, offsets[6]!, 0)
        row(2, 7, 0)  // 7 in itself
        row(2, 6, 3)  // 8 at a bad index
        row(1, xrefOffset, 0)  // 9: the xref stream
        out += Array("9 0 obj\n<</Type /XRef /Size 10 /W [1 2 1] /Root 1 0 R /Length \(rows.count)>>\nstream\n".utf8)
        out += rows
        out += Array("\nendstream\nendobj\nstartxref\n\(xrefOffset)\n%%EOF\n".utf8)

        let doc = try PDFDocument(bytes: out)
        #expect(doc.currentRevision.xrefKind == .stream)
        let five = try #require(try doc.indirectObject(PDFReference(5, 0)))
        #expect(five.object == .dictionary(["InStream": true]))
        #expect(five.location == .objectStream(stream: PDFReference(6, 0), index: 0))
        #expect(five.byteRange == nil)
        #expect(throws: PDFError.self) { try doc.object(PDFReference(7, 0)) }
        #expect(throws: PDFError.self) { try doc.object(PDFReference(8, 0)) }
        #expect(try doc.current.pageCount() == 1)
        // Truncations of this file never crash either.
        for cut in 0..<out.count { Self.exercise(Array(out[0..<cut]), "objstm cut \(cut)") }
    }

    @Test func limitsAreConfigurable() throws {
        var options = PDFReadOptions()
        options.maxRevisions = 2
        let bytes = try readBytes(RepositoryPaths.corpus.appendingPathComponent("pyhanko/pades-lta-dss-indirect-arrs-test.pdf"))
        #expect(throws: PDFError.tooManyRevisions(limit: 2)) { try PDFDocument(bytes: bytes, options: options) }
        #expect(try PDFDocument(bytes: bytes).revisions.count == 5)
    }
}
