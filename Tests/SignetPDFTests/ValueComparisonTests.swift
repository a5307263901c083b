import SignetPDF
import Testing

/// `PDFValueComparison`: values compared by meaning, across revisions, with bounds.
@Suite("PDF value comparison")
struct ValueComparisonTests {
    /// A one-revision document holding the given objects after the one-page objects 1–4.
    private func document(_ objects: [(Int, String)]) throws -> PDFDocument {
        var builder = PDFBuilder.onePage()
        for (number, body) in objects { builder.add(number, body) }
        return try PDFDocument(bytes: builder.build())
    }

    private func compare(_ document: PDFDocument, _ left: Int, _ right: Int, maxFollowed: Int? = nil) throws -> (Bool, [PDFValueComparison.FollowedReference]) {
        var comparison = PDFValueComparison(document: document, left: 0, right: 0)
        if let maxFollowed { comparison.maxFollowed = maxFollowed }
        var followed: [PDFValueComparison.FollowedReference] = []
        let equal = comparison.equal(try document.object(PDFReference(left)), try document.object(PDFReference(right)), followed: &followed)
        return (equal, followed)
    }

    @Test("Numbers by value, names by decoded bytes, strings literal or hex, dictionaries as maps with null as absent")
    func spellings() throws {
        let doc = try document([
            (5, "<</Box [0 0 612 792] /Name /A#42 /Text <4142> /Order 1 /Gone null>>"),
            (6, "<</Order 1.0 /Text (AB) /Name /AB /Box [0.0 0 612. 792.000]>>"),
            (7, "<</Order 1 /Text (AB) /Name /AB /Box [0 0 612.5 792]>>"),
            (8, "<</Order 1 /Text (Ab) /Name /AB /Box [0 0 612 792]>>"),
        ])
        #expect(try compare(doc, 5, 6).0)
        #expect(try compare(doc, 6, 5).0)
        #expect(try !compare(doc, 5, 7).0, "612.5 is not 612")
        #expect(try !compare(doc, 5, 8).0, "(Ab) is not (AB)")
        let comparison = PDFValueComparison(document: doc, left: 0, right: 0)
        #expect(!comparison.equal(.integer(1), .boolean(true)))
        #expect(!comparison.equal(.name("1"), .integer(1)))
        #expect(comparison.equal(nil, .null))
        #expect(comparison.differingKeys(try doc.object(PDFReference(5)).dictionaryValue, try doc.object(PDFReference(7)).dictionaryValue) == [PDFName("Box")])
    }

    @Test("A direct value and an object holding it are equal; the followed references are reported with their place")
    func directAndIndirect() throws {
        let doc = try document([
            (5, "<</Resources 6 0 R>>"),
            (6, "<</Font <</F1 7 0 R>>>>"),
            (7, "<</Type /Font /BaseFont /Helvetica>>"),
            (8, "<</Resources <</Font 9 0 R>>>>"),
            (9, "<</F1 <</BaseFont /Helvetica /Type /Font>>>>"),
            (10, "<</Resources <</Font <</F1 <</Type /Font /BaseFont /Courier>>>>>>>>"),
        ])
        let (equal, followed) = try compare(doc, 8, 5)
        #expect(equal)
        #expect(Set(followed.map { "\($0.reference) in \($0.holder?.description ?? "the value") at \($0.path)" }) == [
            "6 0 R in the value at /Resources", "7 0 R in 6 0 R at /Font/F1",
        ])
        #expect(try compare(doc, 5, 8).0)
        #expect(try !compare(doc, 5, 10).0, "Courier is not Helvetica")
        // The same reference is equal whatever its target (the caller judges the target).
        let comparison = PDFValueComparison(document: doc, left: 0, right: 0)
        var none: [PDFValueComparison.FollowedReference] = []
        #expect(comparison.equal(.reference(PDFReference(7)), .reference(PDFReference(7)), followed: &none) && none.isEmpty)
    }

    @Test("A reference to a missing object equals only itself")
    func missingObjects() throws {
        let doc = try document([(5, "<</X 99 0 R>>"), (6, "<<>>"), (7, "<</X null>>"), (8, "<</X 98 0 R>>")])
        #expect(try !compare(doc, 5, 6).0)
        #expect(try !compare(doc, 5, 7).0)
        #expect(try !compare(doc, 5, 8).0)
        #expect(try compare(doc, 5, 5).0)
    }

    @Test("Cycles end (pairs met again are assumed equal); the number of references followed is bounded")
    func cyclesAndBounds() throws {
        let doc = try document([
            (5, "<</Self 5 0 R /V 1>>"), (6, "<</Self 6 0 R /V 1>>"), (7, "<</Self 7 0 R /V 2>>"),
            (8, "<</Next 9 0 R>>"), (9, "<</Next 10 0 R>>"), (10, "<</Next 11 0 R>>"), (11, "<</End true>>"),
            (12, "<</Next 13 0 R>>"), (13, "<</Next 14 0 R>>"), (14, "<</Next 15 0 R>>"), (15, "<</End true>>"),
        ])
        #expect(try compare(doc, 5, 6).0)
        #expect(try !compare(doc, 5, 7).0)
        #expect(try compare(doc, 8, 12).0)
        #expect(try !compare(doc, 8, 12, maxFollowed: 2).0, "past the bound the answer is 'not equal'")
        var shallow = PDFValueComparison(document: doc, left: 0, right: 0)
        shallow.maxDepth = 3
        var deep: PDFObject = .integer(1)
        for _ in 0..<10 { deep = .array([deep]) }
        #expect(!shallow.equal(deep, .array([.array([.array([.array([.array([.array([.array([.array([.array([.array([.real(PDFReal(1))])])])])])])])])])])))
    }

    @Test("Streams: /Length ignored; re-encoded data equal when the decoded bytes are; data that cannot be decoded only byte for byte")
    func streams() throws {
        let doc = try document([
            (5, "<</Length 5 /Type /XObject>>\nstream\nhello\nendstream"),
            (6, "<</Type /XObject /Length 11 /Filter /ASCIIHexDecode>>\nstream\n68656C6C6F>\nendstream"),
            (7, "<</Type /XObject /Length 11 /Filter /ASCIIHexDecode>>\nstream\n68656C6C4F>\nendstream"),
            (8, "<</Type /Image /Length 5>>\nstream\nhello\nendstream"),
            (9, "<</Type /XObject /Length 5 /Filter /DCTDecode>>\nstream\nhello\nendstream"),
            (10, "<</Type /XObject /Length 5 /Filter /DCTDecode>>\nstream\nhellO\nendstream"),
            (11, "<</Type /XObject /Length 7 /Filter /DCTDecode>>\nstream\nhello\nendstream"),
        ])
        #expect(try compare(doc, 5, 6).0)
        #expect(try !compare(doc, 5, 7).0)
        #expect(try !compare(doc, 5, 8).0, "the dictionaries differ")
        #expect(try compare(doc, 9, 11).0, "same encoded bytes and filter")
        #expect(try !compare(doc, 9, 10).0, "undecodable and different")
        #expect(try !compare(doc, 5, 9).0, "another filter over data that cannot be decoded")
    }

    @Test("Across revisions: the left value as of one revision, the right one as of another")
    func acrossRevisions() throws {
        var builder = PDFBuilder.onePage()
        builder.add(5, "<</A 1>>")
        let first = builder.build()
        let update = Array("5 0 obj\n<</A 1.0 /B null>>\nendobj\n6 0 obj\n<</A 2>>\nendobj\n".utf8)
        let xref = first.count + update.count
        let offset5 = first.count, offset6 = first.count + Array("5 0 obj\n<</A 1.0 /B null>>\nendobj\n".utf8).count
        func entry(_ offset: Int) -> String { String(repeating: "0", count: 10 - String(offset).count) + String(offset) + " 00000 n\r\n" }
        let previous = try #require(first.firstIndex(of: "xref"))
        let tail = "xref\n5 2\n" + entry(offset5) + entry(offset6) + "trailer\n<</Size 7 /Root 1 0 R /Prev \(previous)>>\nstartxref\n\(xref)\n%%EOF\n"
        let doc = try PDFDocument(bytes: first + update + Array(tail.utf8))
        #expect(doc.revisions.count == 2)
        let comparison = PDFValueComparison(document: doc, left: 0, right: 1)
        #expect(comparison.equal(try doc.object(PDFReference(5), asOf: 0), try doc.object(PDFReference(5), asOf: 1)))
        #expect(!comparison.equal(try doc.object(PDFReference(5), asOf: 0), try doc.object(PDFReference(6), asOf: 1)))
        #expect(!comparison.equal(.dictionary(["X": .reference(PDFReference(6))]), .dictionary(["X": .dictionary(["A": 1])])),
                "object 6 does not exist as of revision 0")
    }
}
