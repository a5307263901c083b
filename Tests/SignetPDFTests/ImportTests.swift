import Foundation
import Testing
import SignetPDF
import SignetTestSupport

/// Importing a page of another PDF (the seal, rendered by cairo) as a Form XObject.
@Suite struct ImportTests {
    /// Renders page 1 of `url` in grey at 36 dpi and returns (width, height, pixels).
    func render(_ url: URL, in dir: TemporaryDirectory) throws -> (Int, Int, [UInt8]) {
        let prefix = dir.file("render-\(UUID().uuidString)")
        let result = try ExternalTool.run("pdftoppm", ["-gray", "-r", "36", "-f", "1", "-l", "1", "-singlefile", url.path, prefix.path])
        #expect(result.status == 0, "\(result.errorOutput)")
        let pgm = try readBytes(URL(fileURLWithPath: prefix.path + ".pgm"))
        // P5\n<w> <h>\n255\n<data>
        var fields: [Int] = []
        var i = 2
        while fields.count < 3 {
            while ByteSet.whitespace.contains(pgm[i]) { i += 1 }
            var v = 0
            while pgm[i] >= 0x30 && pgm[i] <= 0x39 { v = v * 10 + Int(pgm[i] - 0x30); i += 1 }
            fields.append(v)
        }
        i += 1
        return (fields[0], fields[1], Array(pgm[i...]))
    }

    enum ByteSet { static let whitespace: Set<UInt8> = [0x20, 0x0A, 0x0D, 0x09] }

    @Test func sealPageBecomesAFormXObjectDrawnOnAnotherPDF() throws {
        let dir = try TemporaryDirectory("signet-pdf-import")
        let fixtures = RepositoryPaths.fixtures.appendingPathComponent("pdf")
        let targetURL = fixtures.appendingPathComponent("ghostscript.pdf")
        let target = try PDFDocument(bytes: try readBytes(targetURL))
        let seal = try PDFDocument(bytes: try readBytes(fixtures.appendingPathComponent("cairo-pango.pdf")))

        var update = try PDFIncrementalUpdate(document: target)
        var importer = try PDFObjectImporter(source: seal)
        let xobject = try importer.importPageAsFormXObject(pageIndex: 0, into: &update)
        #expect(!importer.mapping.isEmpty)  // fonts and their streams were copied

        // Draw it on page 1 (top-left area, scaled): new content stream + resources entry.
        let page = try target.current.page(at: 0)
        let sealBox = try #require(try seal.current.page(at: 0).mediaBox)
        let scale = 200 / sealBox.width
        let ops = "q \(PDFReal(scale).text) 0 0 \(PDFReal(scale).text) 300 600 cm /SignetSeal Do Q"
        let drawRef = update.add(.stream(try PDFStream.flateEncoded(data: Array(ops.utf8))))
        var pageDict = page.dictionary
        var resources = try target.current.dictionary(page.resources) ?? PDFDictionary()
        var xobjects = try target.current.dictionary(resources["XObject"]) ?? PDFDictionary()
        xobjects["SignetSeal"] = .reference(xobject)
        resources["XObject"] = .dictionary(xobjects)
        pageDict[.resources] = .dictionary(resources)
        let oldContents = pageDict[.contents].map { $0.arrayValue ?? [$0] } ?? []
        pageDict[.contents] = .array(oldContents + [.reference(drawRef)])
        try update.set(.dictionary(pageDict), for: page.reference)
        let output = try update.write()
        let outURL = dir.file("with-seal.pdf")
        try writeBytes(output.bytes, to: outURL)
        if let keep = ProcessInfo.processInfo.environment["SIGNET_PDF_KEEP"] {
            try writeBytes(output.bytes, to: URL(fileURLWithPath: keep).appendingPathComponent("with-seal.pdf"))
        }

        let check = try ExternalTool.run("qpdf", ["--check", outURL.path])
        #expect(check.status == 0, "\(check.combinedOutput)")

        // The XObject is a Form with the seal's MediaBox and its content decoded intact.
        let reread = try PDFDocument(bytes: output.bytes)
        let form = try #require(try reread.object(xobject).streamValue)
        #expect(form.dictionary[.type] == .name("XObject"))
        #expect(form.dictionary[.subtype] == .name("Form"))
        #expect(PDFRectangle(form.dictionary["BBox"]) == sealBox)
        let sealPage = try seal.current.page(at: 0)
        let sealContent = try seal.decodedData(of: try #require(try seal.current.resolve(sealPage.dictionary[.contents]!).streamValue))
        #expect(try reread.decodedData(of: form) == sealContent)
        let fonts = try reread.current.dictionary(try reread.current.dictionary(form.dictionary[.resources])?["Font"])
        #expect(fonts?.isEmpty == false)
        #expect(try reread.checkAllObjects().failures.isEmpty)

        // Rendering: the page changed only where the seal is drawn, and something is drawn there.
        let (w, h, before) = try render(targetURL, in: dir)
        let (w2, h2, after) = try render(outURL, in: dir)
        #expect(w == w2 && h == h2)
        let dpiScale = 36.0 / 72.0
        let box = (x0: Int(300 * dpiScale) - 2, x1: Int((300 + 200) * dpiScale) + 2,
                   y0: h - Int((600 + sealBox.height * scale) * dpiScale) - 2, y1: h - Int(600 * dpiScale) + 2)
        var inside = 0, outside = 0
        for y in 0..<h {
            for x in 0..<w where before[y * w + x] != after[y * w + x] {
                if x >= box.x0 && x <= box.x1 && y >= box.y0 && y <= box.y1 { inside += 1 } else { outside += 1 }
            }
        }
        #expect(inside > 20, "seal not visible: \(inside) changed pixels in its box")
        #expect(outside == 0, "\(outside) pixels changed outside the seal's box")
    }

    @Test func importRenumbersAndSkipsPageTreeNodes() throws {
        var source = PDFBuilder.onePage()
        source.add(5, "<</A 6 0 R /Page 3 0 R /Self 5 0 R>>")
        source.add(6, "[5 0 R (x)]")
        let src = try PDFDocument(bytes: source.build())
        let target = try PDFDocument(bytes: PDFBuilder.onePage().build())
        var update = try PDFIncrementalUpdate(document: target)
        var importer = try PDFObjectImporter(source: src)
        let copied = try importer.importObject(.reference(PDFReference(5, 0)), into: &update)
        let new5 = try #require(copied.referenceValue)
        #expect(new5.number >= target.nextObjectNumber)
        let objects = update.objects
        let dict = try #require(objects[new5]?.dictionaryValue)
        #expect(dict["Self"] == .reference(new5))  // cycles keep their shape
        let new6 = try #require(dict["A"]?.referenceValue)
        #expect(objects[new6] == .array([.reference(new5), .string(PDFString("x"))]))
        let pageCopy = try #require(dict["Page"]?.referenceValue)
        #expect(objects[pageCopy] == .null)  // the page tree is not dragged along
        #expect(importer.mapping.count == 3)
    }
}
