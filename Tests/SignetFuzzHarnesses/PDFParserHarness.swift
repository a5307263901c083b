import SignetPDF

/// What the import path and `signet verify` read first: `PDFDocument` (header, every xref
/// section and revision, trailers), then the page tree, then objects and their streams
/// through the filters (Flate, predictors, ASCIIHex, ASCII85, RunLength, LZW...).
public enum PDFParserHarness {
    /// Objects resolved per input, and streams decoded: enough to reach the object and filter
    /// code, few enough that one input stays fast (a hostile xref may define millions).
    static let maxObjects = 256
    static let maxStreams = 32

    /// Parses `bytes` as a PDF with the product's default limits; errors are the expected
    /// outcome for most inputs.
    public static func run(_ bytes: [UInt8]) {
        _ = PDFDocument.hasHeader(bytes)
        guard let document = try? PDFDocument(bytes: bytes) else { return }
        _ = document.isEncrypted
        _ = document.nextObjectNumber
        _ = try? document.current.pageCount()
        var streams = 0
        for number in document.currentRevision.definedObjectNumbers.prefix(maxObjects) {
            guard let (entry, _) = try? document.xrefEntry(for: number) else { continue }
            guard let object = try? document.object(PDFReference(number, entry.generation)) else { continue }
            if case .stream(let stream) = object, streams < maxStreams {
                streams += 1
                _ = try? document.decodedData(of: stream)
            }
        }
    }
}
