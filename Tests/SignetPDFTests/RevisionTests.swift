import Testing
import SignetPDF

/// Reading objects as of a revision, across updates written by the writer itself.
@Suite struct RevisionTests {
    @Test func objectsAsOfEachRevision() throws {
        var builder = PDFBuilder.onePage()
        builder.add(5, "(first)")
        let v0 = try PDFDocument(bytes: builder.build())
        var u1 = try PDFIncrementalUpdate(document: v0)
        try u1.set(.string(PDFString("second")), for: PDFReference(5, 0))
        let added = u1.add(.integer(1))
        let v1 = try PDFDocument(bytes: try u1.write().bytes)
        var u2 = try PDFIncrementalUpdate(document: v1)
        u2.xrefStyle = .stream
        try u2.set(.string(PDFString("third")), for: PDFReference(5, 0))
        let v2 = try PDFDocument(bytes: try u2.write().bytes)

        #expect(v2.revisions.count == 3)
        #expect(v2.revisions.map(\.xrefKind) == [.table, .table, .stream])
        for (r, text) in ["first", "second", "third"].enumerated() {
            #expect(try v2.object(PDFReference(5, 0), asOf: r) == .string(PDFString(text)))
            #expect(try v2.definingRevision(of: 5, asOf: r) == r)
        }
        #expect(try v2.object(added, asOf: 0) == .null)
        #expect(try v2.object(added, asOf: 2) == .integer(1))
        #expect(try v2.definingRevision(of: added.number) == 1)
        #expect(try v2.definingRevision(of: 3) == 0)
        #expect(v2.revisions[1].definedObjectNumbers == [5, added.number])
        #expect(v2.revisions[1].freedObjectNumbers == [])
        #expect(v2.revision(endingAt: v2.revisions[1].end)?.index == 1)
        #expect(v2.revision(endingAt: v2.revisions[1].endIncludingEOL)?.index == 1)
        #expect(v2.revision(endingAt: v2.revisions[1].end - 1) == nil)
        #expect(v2.revision(containing: 0)?.index == 0)
        #expect(v2.revision(containing: v2.bytes.count - 1)?.index == 2)
        #expect(throws: PDFError.self) { try v2.view(revision: 3) }
    }

    @Test func indirectLengthRedefinedInALaterRevision() throws {
        // Stream 4's /Length is object 5. Both 3 and 6 frame valid data ("abc" / "abc   "),
        // so a later update that redefines 5 changes what the stream holds. Each revision
        // must see its own version, whatever was read first.
        var builder = PDFBuilder()
        builder.add(1, "<</Type /Catalog /Pages 2 0 R>>")
        builder.add(2, "<</Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 10 10]>>")
        builder.add(3, "<</Type /Page /Parent 2 0 R /Contents 4 0 R>>")
        builder.add(4, "<</Length 5 0 R>>\nstream\nabc   \nendstream")
        builder.add(5, "3")
        let v0 = try PDFDocument(bytes: builder.build())
        var update = try PDFIncrementalUpdate(document: v0)
        try update.set(.integer(6), for: PDFReference(5, 0))
        let bytes = try update.write().bytes
        for order in [[0, 1], [1, 0]] {
            let doc = try PDFDocument(bytes: bytes)
            var seen: [Int: [UInt8]] = [:]
            for r in order {
                let stream = try #require(try doc.object(PDFReference(4, 0), asOf: r).streamValue)
                seen[r] = Array(stream.rawData)
            }
            #expect(seen[0] == Array("abc".utf8))
            #expect(seen[1] == Array("abc   ".utf8))
        }
    }

    @Test func freedObjectsResolveToNull() throws {
        var builder = PDFBuilder.onePage()
        builder.add(5, "(gone)")
        var bytes = builder.build()
        let prev = try #require(bytes.firstIndex(of: "xref\n"))
        let xref = bytes.count
        bytes += Array("xref\n0 1\n0000000000 65535 f\r\n5 1\n0000000000 00001 f\r\ntrailer\n<</Size 6 /Root 1 0 R /Prev \(prev)>>\nstartxref\n\(xref)\n%%EOF\n".utf8)
        let doc = try PDFDocument(bytes: bytes)
        #expect(doc.revisions[1].freedObjectNumbers == [5])
        #expect(doc.revisions[1].definedObjectNumbers == [])
        #expect(try doc.object(PDFReference(5, 0)) == .null)
        #expect(try doc.object(PDFReference(5, 0), asOf: 0) == .string(PDFString("gone")))
    }
}
