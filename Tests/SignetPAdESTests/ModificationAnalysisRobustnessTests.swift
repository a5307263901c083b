import Foundation
import SignetCrypto
import SignetPAdES
import SignetPDF
import SignetTestSupport
import Testing

/// Unreadable, hostile and unusual later revisions: always an answer (disallowed when
/// something cannot be read), never a crash or a hang.
@Suite("Modification analysis: robustness")
struct ModificationAnalysisRobustnessTests {
    typealias F = ModificationFixtures

    @Test("A later revision whose objects are garbage is disallowed (unreadable), not a crash")
    func garbageObjects() async throws {
        let signed = try await F.signed(pki: try TestPKI())
        let document = try PDFDocument(bytes: signed)
        let last = document.revisions.count - 1
        let catalog = try F.catalog(document)
        let page = try F.page(document)
        // The catalog redefined as garbage bytes.
        let garbage = try F.appendRawUpdate(signed, entries: [(catalog.reference.number, Array("\u{7}\u{0}garbage ))) << >> endobj".utf8))])
        let first = try F.analysis(of: garbage, after: last)
        F.expectDisallowed(first, .unreadableRevision)
        // A page redefined as a stream whose length runs past the end of the file.
        let truncated = try F.appendRawUpdate(signed, entries: [(page.reference.number, Array("\(page.reference.number) 0 obj\n<</Length 999999>>stream\nabc".utf8))])
        F.expectDisallowed(try F.analysis(of: truncated, after: last), .unreadableRevision)
        // An object whose cross-reference entry points beyond the end of the file.
        var beyond = signed
        beyond += Array("\nxref\n\(catalog.reference.number) 1\n9999999999 00000 n\r\ntrailer\n<</Size 999 /Root \(catalog.reference) /Info \(PDFSerializer.string(document.trailer[.info] ?? .null)) /Prev \(document.currentRevision.sections[0].offset)>>\nstartxref\n\(signed.count + 1)\n%%EOF\n".utf8)
        F.expectDisallowed(try F.analysis(of: beyond, after: last), .unreadableRevision)
    }

    @Test("An object stream of a later revision that does not decode: its objects are unreadable")
    func brokenObjectStream() async throws {
        let signed = try await F.signed(pki: try TestPKI())
        let document = try PDFDocument(bytes: signed)
        let catalog = try F.catalog(document)
        var bytes = try F.appendInObjectStream(signed, objects: [(catalog.reference, .dictionary(catalog.dictionary))])
        // Corrupt the deflated data of the object stream (the first stream after the signed bytes).
        let start = try #require(Self.firstIndex(of: Array("stream\n".utf8), in: bytes, from: signed.count))
        for i in (start + 9)..<(start + 20) { bytes[i] ^= 0x5A }
        F.expectDisallowed(try F.analysis(of: bytes, after: document.revisions.count - 1), .unreadableRevision)
    }

    @Test("A later cross-reference section that is garbage: the file does not open (strict reader), the error is typed")
    func garbageSection() async throws {
        let signed = try await F.signed(pki: try TestPKI())
        let appended = signed + Array("\n%%%% garbage update\nxref\n0 zz\ntrailer <<>>\nstartxref\n\(signed.count + 1)\n%%EOF\n".utf8)
        #expect(throws: PDFError.self) { try PDFDocument(bytes: appended) }
        // Bytes after the last %%EOF without a new startxref are not a revision: the document
        // keeps its revisions and reports the trailing data (the coverage check's concern).
        let trailing = try PDFDocument(bytes: signed + Array("\nrandom trailing bytes\n".utf8))
        #expect(trailing.anomalies.contains { $0.kind == .trailingDataAfterEOF })
        #expect(ModificationAnalyzer(document: trailing).analyze(after: trailing.revisions.count - 1).verdict == .untouched)
    }

    @Test("Cycles in a later revision (page tree, field kids) end the walk with a disallowed finding")
    func cycles() async throws {
        let signed = try await F.signed(pki: try TestPKI())
        let document = try PDFDocument(bytes: signed)
        let root = try #require(try F.catalog(document).dictionary[PDFName("Pages")]?.referenceValue)
        let looped = try F.append(signed) { document, update in
            var tree = try #require(try document.object(root).dictionaryValue)
            tree[.kids] = .array((tree[.kids]?.arrayValue ?? []) + [.reference(root)])
            try update.set(.dictionary(tree), for: root)
        }
        let last = document.revisions.count - 1
        let first = try F.analysis(of: looped, after: last)
        F.expectDisallowed(first, .pages)
        let fieldLoop = try F.append(signed) { document, update in
            let field = try F.field(document, "merchant")
            var dict = field.dictionary
            dict[.kids] = [.reference(field.reference)]
            try update.set(.dictionary(dict), for: field.reference)
        }
        let second = try F.analysis(of: fieldLoop, after: last)
        F.expectDisallowed(second, .formField)
    }

    @Test("Hybrid-reference updates: objects hidden from table-only readers are analysed like any other")
    func hybrid() async throws {
        let signed = try await F.signed(pki: try TestPKI())
        let document = try PDFDocument(bytes: signed)
        var catalog = try F.catalog(document)
        catalog.dictionary[PDFName("OpenAction")] = .dictionary([PDFName("S"): .name("JavaScript"), PDFName("JS"): .string(PDFString("x"))])
        let attack = try F.appendHybrid(signed, objects: [(catalog.reference, .dictionary(catalog.dictionary))])
        let opened = try PDFDocument(bytes: attack)
        #expect(opened.currentRevision.xrefKind == .hybrid)
        F.expectDisallowed(try F.analysis(of: attack), .catalog)
        let info = try #require(document.trailer[.info]?.referenceValue)
        let benign = try F.appendHybrid(signed, objects: [(info, .dictionary([PDFName("Producer"): .string(PDFString("Signet"))]))])
        F.expectAllowed(try F.analysis(of: benign), [.info])
    }

    @Test("Byte flips in a later update never crash the analysis; its verdict always matches its findings")
    func byteFlips() async throws {
        let pki = try TestPKI()
        let signed = try await F.signed(pki: pki)
        let stamped = try await DocumentTimestamper(provider: pki.tsa).timestamp(signed)
        var generator = SplitMix64(seed: 0x5EED)
        var opened = 0
        for _ in 0..<150 {
            var bytes = stamped
            for _ in 0..<3 {
                let index = signed.count + Int(generator.next() % UInt64(stamped.count - signed.count))
                bytes[index] = UInt8(truncatingIfNeeded: generator.next())
            }
            guard let document = try? PDFDocument(bytes: bytes), document.revisions.count == 3 else { continue }
            opened += 1
            let analysis = ModificationAnalyzer(document: document).analyze(after: 1)
            #expect(analysis.verdict != .untouched)
            #expect((analysis.verdict == .disallowed) == analysis.findings.contains { !$0.allowed })
            #expect(analysis.findings.allSatisfy { !$0.message.isEmpty && $0.revision == 2 })
        }
        #expect(opened > 10, "most variants should still open")
    }

    static func firstIndex(of needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        var i = start
        while i + needle.count <= haystack.count {
            if haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}

/// A small deterministic generator (SplitMix64) for reproducible fuzzing.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
