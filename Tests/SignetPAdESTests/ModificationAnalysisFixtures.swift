import Foundation
import SignetCrypto
import SignetPAdES
import SignetPDF
import SignetTestSupport
import Testing

/// Signed documents and incremental updates for the modification-analysis tests.
enum ModificationFixtures {
    static let metadata = SignatureMetadata(signerName: "张三", reason: "同意《商户服务协议》", location: "上海")

    /// A visible signature (small enough for every base page), drawn from a one-page PDF.
    static func visible(page: Int = 1) throws -> VisibleSignature {
        VisibleSignature(page: page, x: 10, y: 10, width: 40, height: 20,
                         appearancePDF: try BaseDocuments.fixture("cairo-pango.pdf"))
    }

    /// `base` signed once by Signet at `level`.
    static func signed(
        _ base: [UInt8]? = nil, pki: TestPKI, level: PAdESLevel = .bB, field: String? = "merchant", visible: Bool = true
    ) async throws -> [UInt8] {
        let pdf = try base ?? BaseDocuments.fixture("ghostscript.pdf")
        let request = SignatureRequest(fieldName: field, visible: visible ? try Self.visible() : nil, metadata: metadata)
        return try await pki.padesSigner().sign(pdf, level: level, request: request)
    }

    /// `pdf` with one incremental update made by `body`.
    static func append(
        _ pdf: [UInt8], style: PDFIncrementalUpdate.XRefStyle = .automatic,
        _ body: (PDFDocument, inout PDFIncrementalUpdate) throws -> Void
    ) throws -> [UInt8] {
        let document = try PDFDocument(bytes: pdf)
        var update = try PDFIncrementalUpdate(document: document)
        update.xrefStyle = style
        try body(document, &update)
        return try update.write().bytes
    }

    /// Each signature field with a `/ByteRange`, and the revision that range ends at.
    static func signatures(in document: PDFDocument) throws -> [(name: String, revision: Int?)] {
        try document.current.allFormFields().compactMap { field in
            guard field.dictionary[PDFName("FT")]?.nameValue == PDFName("Sig"),
                  let value = try document.current.dictionary(field.dictionary[PDFName("V")]),
                  let range = value[PDFName("ByteRange")]?.arrayValue else { return nil }
            let numbers = range.compactMap(\.integerValue)
            guard numbers.count == 4 else { return (field.name, nil) }
            return (field.name, document.revision(endingAt: numbers[2] + numbers[3])?.index)
        }
    }

    /// The analysis after the revision signed by the signature in field `field`.
    static func analysis(of pdf: [UInt8], field: String = "merchant") throws -> ModificationAnalysis {
        let document = try PDFDocument(bytes: pdf)
        let signature = try #require(try signatures(in: document).first { $0.name == field }, "no signature field \(field)")
        let revision = try #require(signature.revision, "no revision ends at the /ByteRange of \(field)")
        return ModificationAnalyzer(document: document).analyze(after: revision)
    }

    /// The analysis of `pdf` after revision `revision` (for files whose later revisions are
    /// too broken to find the signature in).
    static func analysis(of pdf: [UInt8], after revision: Int) throws -> ModificationAnalysis {
        ModificationAnalyzer(document: try PDFDocument(bytes: pdf)).analyze(after: revision)
    }

    /// The findings as text, for failure messages.
    static func report(_ analysis: ModificationAnalysis) -> String {
        "\(analysis.verdict):\n" + analysis.findings.map {
            "[\($0.revision)] \($0.allowed ? "ok" : "NO") \($0.category.rawValue) \($0.object ?? "-"): \($0.message)"
        }.joined(separator: "\n")
    }

    /// Records an issue unless the analysis is disallowed with a finding of `category`
    /// (and every disallowed finding comes from the last revision).
    static func expectDisallowed(
        _ analysis: ModificationAnalysis, _ category: ModificationFinding.Category,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(analysis.verdict == .disallowed, "\(report(analysis))", sourceLocation: sourceLocation)
        #expect(analysis.disallowedFindings.contains { $0.category == category }, "expected a disallowed \(category) finding: \(report(analysis))",
                sourceLocation: sourceLocation)
    }

    /// Records an issue unless the analysis is allowed and has a finding of each of `categories`.
    static func expectAllowed(
        _ analysis: ModificationAnalysis, _ categories: [ModificationFinding.Category],
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(analysis.verdict == .allowed, "\(report(analysis))", sourceLocation: sourceLocation)
        for category in categories {
            #expect(analysis.findings.contains { $0.category == category && $0.allowed }, "expected an allowed \(category) finding: \(report(analysis))",
                    sourceLocation: sourceLocation)
        }
    }

    // MARK: Objects of a document

    static func catalog(_ document: PDFDocument) throws -> (reference: PDFReference, dictionary: PDFDictionary) {
        try document.current.catalog()
    }

    static func page(_ document: PDFDocument, _ index: Int = 0) throws -> PDFPage {
        try document.current.page(at: index)
    }

    /// The widget/field dictionary of signature field `name`.
    static func field(_ document: PDFDocument, _ name: String) throws -> (reference: PDFReference, dictionary: PDFDictionary) {
        let field = try #require(try document.current.allFormFields().first { $0.name == name })
        return (try #require(field.reference), field.dictionary)
    }

    /// A content stream drawing `text`.
    static func contentStream(_ text: String) throws -> PDFObject {
        .stream(try PDFStream.flateEncoded(data: Array("BT /F1 24 Tf 72 720 Td (\(text)) Tj ET".utf8)))
    }

    /// An XMP packet (well-formed unless `body` breaks it).
    static func xmp(_ body: String = "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">Service agreement</rdf:li></rdf:Alt></dc:title>") -> [UInt8] {
        Array("""
        <?xpacket begin="\u{FEFF}" id="W5M0MpCehiHzreSzNTczkc9d"?>
        <x:xmpmeta xmlns:x="adobe:ns:meta/">
          <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
            <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
              \(body)
              <xmp:ModifyDate>2026-11-22T10:00:00+08:00</xmp:ModifyDate>
            </rdf:Description>
          </rdf:RDF>
        </x:xmpmeta>
        <?xpacket end="w"?>
        """.utf8)
    }

    static func metadataStream(_ data: [UInt8]) -> PDFObject {
        .stream(PDFStream(dictionary: [.type: .name("Metadata"), .subtype: .name("XML")], rawData: data))
    }

    // MARK: Hand-written updates

    /// Appends an update whose objects sit in an object stream, with a cross-reference
    /// stream (the style of Adobe and qpdf), optionally freeing `free` objects. The trailer
    /// keeps `/Root`, `/Info` and `/ID` of the current one.
    /// `xrefNumber` gives the cross-reference stream an object number of one's choosing.
    static func appendInObjectStream(_ pdf: [UInt8], objects: [(PDFReference, PDFObject)], free: [Int] = [], xrefNumber: Int? = nil) throws -> [UInt8] {
        let document = try PDFDocument(bytes: pdf)
        var out = pdf
        if out.last != 0x0A { out.append(0x0A) }
        let streamNumber = document.nextObjectNumber
        let xrefNumber = xrefNumber ?? streamNumber + 1
        var header = "", body: [UInt8] = []
        for (ref, object) in objects {
            header += "\(ref.number) \(body.count) "
            body += PDFSerializer.serialize(object) + [0x0A]
        }
        let first = header.utf8.count
        var streamDict: PDFDictionary = [.type: .name("ObjStm"), PDFName("N"): .integer(objects.count), PDFName("First"): .integer(first)]
        let objectStream = try PDFStream.flateEncoded(dictionary: streamDict, data: Array(header.utf8) + body)
        streamDict = objectStream.dictionary
        let streamOffset = out.count
        PDFSerializer.appendIndirectObject(PDFReference(streamNumber), .stream(objectStream), to: &out)
        let xrefOffset = out.count

        var entries: [(Int, [UInt8])] = []
        for (index, (ref, _)) in objects.enumerated() { entries.append((ref.number, [2] + be(streamNumber, 4) + be(index, 2))) }
        for number in free { entries.append((number, [0] + be(0, 4) + be(1, 2))) }
        entries.append((streamNumber, [1] + be(streamOffset, 4) + be(0, 2)))
        entries.append((xrefNumber, [1] + be(xrefOffset, 4) + be(0, 2)))
        entries.sort { $0.0 < $1.0 }
        var index: [PDFObject] = []
        var data: [UInt8] = []
        for (number, row) in entries {
            index += [.integer(number), .integer(1)]
            data += row
        }
        let old = document.trailer
        var dict: PDFDictionary = [.type: .name("XRef"), .size: .integer(max(xrefNumber, streamNumber) + 1), .prev: .integer(document.currentRevision.sections[0].offset)]
        for key in [PDFName.root, .info, .id] { if let value = old[key] { dict[key] = value } }
        dict[PDFName("W")] = [1, 4, 2]
        dict[PDFName("Index")] = .array(index)
        PDFSerializer.appendIndirectObject(PDFReference(xrefNumber), .stream(try PDFStream.flateEncoded(dictionary: dict, data: data)), to: &out)
        out += Array("startxref\n\(xrefOffset)\n%%EOF\n".utf8)
        return out
    }

    /// Appends raw bytes as an update: `objects` are written at the offsets the xref table
    /// gives them (use this to point entries at garbage).
    static func appendRawUpdate(_ pdf: [UInt8], entries: [(number: Int, bytes: [UInt8])], trailerExtra: String = "") throws -> [UInt8] {
        let document = try PDFDocument(bytes: pdf)
        var out = pdf
        if out.last != 0x0A { out.append(0x0A) }
        var offsets: [(Int, Int)] = []
        for (number, bytes) in entries {
            offsets.append((number, out.count))
            out += bytes + [0x0A]
        }
        let xref = out.count
        var text = "xref\n"
        for (number, offset) in offsets.sorted(by: { $0.0 < $1.0 }) {
            let o = String(offset)
            text += "\(number) 1\n" + String(repeating: "0", count: 10 - o.count) + o + " 00000 n\r\n"
        }
        var kept = ""
        for key in [PDFName.root, .info, .id] {
            if let value = document.trailer[key] { kept += " \(key) \(PDFSerializer.string(value))" }
        }
        text += "trailer\n<</Size \(document.nextObjectNumber + 1)\(kept) /Prev \(document.currentRevision.sections[0].offset)\(trailerExtra)>>\nstartxref\n\(xref)\n%%EOF\n"
        return out + Array(text.utf8)
    }

    /// Appends a hybrid-reference update (ISO 32000-2 §7.5.8.4): a classic table that lists
    /// only the object stream and the cross-reference stream, and a trailer whose `/XRefStm`
    /// names a cross-reference stream listing `objects`, compressed in the object stream.
    /// Readers that ignore `/XRefStm` do not see the objects at all.
    static func appendHybrid(_ pdf: [UInt8], objects: [(PDFReference, PDFObject)]) throws -> [UInt8] {
        let document = try PDFDocument(bytes: pdf)
        var out = pdf
        if out.last != 0x0A { out.append(0x0A) }
        let streamNumber = document.nextObjectNumber, xrefNumber = streamNumber + 1
        var header = "", body: [UInt8] = []
        for (ref, object) in objects {
            header += "\(ref.number) \(body.count) "
            body += PDFSerializer.serialize(object) + [0x0A]
        }
        let objectStream = try PDFStream.flateEncoded(
            dictionary: [.type: .name("ObjStm"), PDFName("N"): .integer(objects.count), PDFName("First"): .integer(header.utf8.count)],
            data: Array(header.utf8) + body)
        let streamOffset = out.count
        PDFSerializer.appendIndirectObject(PDFReference(streamNumber), .stream(objectStream), to: &out)
        var index: [PDFObject] = [], data: [UInt8] = []
        for (position, (ref, _)) in objects.enumerated().sorted(by: { $0.element.0.number < $1.element.0.number }) {
            index += [.integer(ref.number), 1]
            data += [2] + be(streamNumber, 4) + be(position, 2)
        }
        let xrefStreamOffset = out.count
        let xrefStream = try PDFStream.flateEncoded(dictionary: [
            .type: .name("XRef"), .size: .integer(xrefNumber + 1), PDFName("W"): [1, 4, 2], PDFName("Index"): .array(index),
        ], data: data)
        PDFSerializer.appendIndirectObject(PDFReference(xrefNumber), .stream(xrefStream), to: &out)
        let tableOffset = out.count
        func entry(_ offset: Int) -> String { let o = String(offset); return String(repeating: "0", count: 10 - o.count) + o + " 00000 n\r\n" }
        var text = "xref\n\(streamNumber) 2\n" + entry(streamOffset) + entry(xrefStreamOffset)
        var kept = ""
        for key in [PDFName.root, .info, .id] {
            if let value = document.trailer[key] { kept += " \(key) \(PDFSerializer.string(value))" }
        }
        text += "trailer\n<</Size \(xrefNumber + 1)\(kept) /Prev \(document.currentRevision.sections[0].offset) /XRefStm \(xrefStreamOffset)>>\n"
        text += "startxref\n\(tableOffset)\n%%EOF\n"
        return out + Array(text.utf8)
    }

    private static func be(_ value: Int, _ width: Int) -> [UInt8] {
        (0..<width).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }
}
