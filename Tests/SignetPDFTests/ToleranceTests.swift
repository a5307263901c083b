import Testing
import SignetPDF

/// Deviations that real files commonly show: tolerated, and always visible as anomalies.
@Suite struct ToleranceTests {
    @Test func leadingBytesAndTrailingData() throws {
        var b = PDFBuilder.onePage()
        b.header = "JUNK\n%PDF-1.7\n"
        var bytes = b.build()
        bytes += Array("garbage after the end".utf8)
        let doc = try PDFDocument(bytes: bytes)
        #expect(doc.headerOffset == 5)
        #expect(doc.headerVersion == "1.7")
        #expect(Set(doc.anomalies.map(\.kind)) == [.leadingBytesBeforeHeader, .trailingDataAfterEOF])
        let trailing = try #require(doc.anomalies.first { $0.kind == .trailingDataAfterEOF })
        #expect(trailing.offset == bytes.count - 21)
        #expect(try doc.current.pageCount() == 1)
    }

    @Test func missingEndobjAndBareStreamEOL() throws {
        var b = PDFBuilder.onePage()
        b.add(5, "<</A 1>>")
        b.add(6, "<</Length 3>>\nstream\rabc\nendstream")
        var bytes = b.build()
        // Remove the endobj of object 5.
        let five = try #require(bytes.firstIndex(of: "5 0 obj"))
        let endobj = try #require(bytes.firstIndex(of: "endobj", from: five))
        bytes.replaceSubrange(endobj..<endobj + 6, with: Array("      ".utf8))
        let doc = try PDFDocument(bytes: bytes)
        let object5 = try #require(try doc.indirectObject(PDFReference(5, 0)))
        #expect(object5.object == .dictionary(["A": 1]))
        #expect(object5.anomalies.map(\.kind) == [.missingEndobj])
        let object6 = try #require(try doc.indirectObject(PDFReference(6, 0)))
        #expect(object6.object.streamValue.map { Array($0.rawData) } == Array("abc".utf8))
        #expect(object6.anomalies.map(\.kind) == [.streamKeywordEOL])
        #expect(object6.streamDataRange.map { Array(bytes[$0]) } == Array("abc".utf8))
    }

    @Test func sizeLowerThanUsed() throws {
        var bytes = PDFBuilder.onePage().build()
        let size = try #require(bytes.firstIndex(of: "/Size 5"))
        bytes[size + 6] = 0x33  // /Size 3
        let doc = try PDFDocument(bytes: bytes)
        #expect(doc.anomalies.map(\.kind) == [.sizeTooSmall])
        #expect(doc.nextObjectNumber == 5)  // the writer allocates above what is used
        #expect(try doc.object(PDFReference(4, 0)).streamValue != nil)
    }

    @Test func duplicateKeysAreRefusedNotGuessed() throws {
        // Readers disagree on which of two /Contents wins; Signet refuses the object.
        var b = PDFBuilder.onePage()
        b.add(5, "<</Type /Sig /Contents <00> /Contents <01>>>")
        let doc = try PDFDocument(bytes: b.build())
        let error = try #require(throws: PDFError.self) { try doc.object(PDFReference(5, 0)) }
        guard case .duplicateKey(let key, _) = error else { Issue.record("\(error)"); return }
        #expect(key == "Contents")
    }

    @Test func entryPositionsOfAnObjectInTheFile() throws {
        var b = PDFBuilder.onePage()
        b.add(5, "<< /Type /Sig\n/ByteRange [0 1 2 3] /Contents <0A0B> /Sub <</X 1>> /R 4 0 R >>")
        let bytes = b.build()
        let doc = try PDFDocument(bytes: bytes)
        let object = try #require(try doc.indirectObject(PDFReference(5, 0)))
        let start = try #require(bytes.firstIndex(of: "5 0 obj"))
        #expect(object.byteRange == start..<(try #require(bytes.firstIndex(of: "endobj", from: start)) + 6))
        func text(_ range: Range<Int>?) -> String? { range.map { String(decoding: bytes[$0], as: UTF8.self) } }
        #expect(text(object.entryPositions["Contents"]?.valueRange) == "<0A0B>")
        #expect(text(object.entryPositions["Contents"]?.keyRange) == "/Contents")
        #expect(text(object.entryPositions["ByteRange"]?.valueRange) == "[0 1 2 3]")
        #expect(text(object.entryPositions["Sub"]?.valueRange) == "<</X 1>>")
        #expect(text(object.entryPositions["R"]?.valueRange) == "4 0 R")
        #expect(text(object.entryPositions["Type"]?.valueRange) == "/Sig")
        #expect(object.entryPositions["X"] == nil)  // nested keys are not recorded
    }
}
