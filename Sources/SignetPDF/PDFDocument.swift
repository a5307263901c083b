/// A parsed PDF file: its revisions and cross-reference data, with objects read on demand.
///
/// Opening reads only the header, the cross-reference sections along the `/Prev` chain from
/// the last `startxref`, and the trailers. Objects are parsed when asked for and cached; the
/// file's bytes are never copied (stream data are slices of `bytes`).
///
/// Strict by design, for signature work: there is no reconstruction of a broken
/// cross-reference table (it would hide attacks). A file whose xref chain cannot be read
/// fails to open with a `PDFError` carrying the byte offset. Tolerated deviations are listed
/// in `anomalies` (structure, found at open) and on each `PDFIndirectObject` (found when the
/// object is read). The tolerances:
/// - bytes before `%PDF-` within the first 1024 bytes (offsets are *not* shifted);
/// - xref, `startxref` and `/XRefStm` offsets that point at whitespace before their target;
/// - `/Size` lower than the object numbers used (the writer allocates above both);
/// - a stream `/Length` inside the file that does not end at `endstream` (see `PDFParser`);
/// - a missing `endobj`, missing `startxref`/`%%EOF` after a section;
/// - bytes after the last `%%EOF`.
///
/// Deliberately strict (errors, not guesses), because readers that guess differently are
/// what shadow and wrapping attacks exploit:
/// - a dictionary with a repeated key (`duplicateKey`);
/// - an xref offset that does not land on `N G obj` for the expected `N G` (after
///   whitespace): `objectHeaderMismatch`, no searching nearby;
/// - a `/Length` beyond the end of the file; malformed numbers, names and strings;
/// - `/Prev` loops, too many sections, object numbers above `maxObjectNumber`.
///
/// Revisions: each section on the `/Prev` chain starts a revision, except that in a
/// linearized file the first-page section and the main section it points forward to form
/// one revision (the original file). A forward `/Prev` anywhere else is kept as its own
/// revision and reported (`prevPointsForward`).
///
/// Thread-safe: immutable apart from an internal, lock-guarded object cache.
public final class PDFDocument: Sendable {
    /// The file's bytes, unchanged.
    public let bytes: [UInt8]
    /// The limits used while reading.
    public let options: PDFReadOptions
    /// The version from the `%PDF-x.y` header.
    public let headerVersion: String
    /// Where `%PDF-` starts (0 in a conforming file).
    public let headerOffset: Int
    /// The revisions, oldest first: `revisions[0]` is the original document, the last one
    /// is the current state.
    public let revisions: [PDFRevision]
    /// Whether the first object is a linearization dictionary (§F.2).
    public let isLinearized: Bool
    /// Structural deviations found while opening.
    public let anomalies: [PDFAnomaly]

    let cache = ObjectCache()

    /// Whether `bytes` has the `%PDF-` header where readers look for it (within the first
    /// 1024 bytes): the cheap "is this a PDF at all" test, without parsing.
    public static func hasHeader(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { DocumentOpener.headerOffset(in: $0) != nil }
    }

    /// Parses `bytes`. Throws `PDFError` if the header, the `startxref` or any section of
    /// the `/Prev` chain cannot be read.
    public init(bytes: [UInt8], options: PDFReadOptions = .default) throws {
        self.bytes = bytes
        self.options = options
        let opened = try bytes.withUnsafeBufferPointer { buffer in
            try DocumentOpener(buffer: buffer, source: bytes, options: options).open()
        }
        headerVersion = opened.version
        headerOffset = opened.headerOffset
        revisions = opened.revisions
        isLinearized = opened.isLinearized
        anomalies = opened.anomalies
    }

    /// The current (last) revision.
    public var currentRevision: PDFRevision { revisions[revisions.count - 1] }

    /// The current trailer.
    public var trailer: PDFDictionary { currentRevision.trailer }

    /// Whether the current trailer has a non-null `/Encrypt`. Objects can still be read
    /// (strings and streams stay encrypted); signing refuses with `PDFError.encrypted`.
    public var isEncrypted: Bool { trailer[.encrypt] != nil }

    /// Throws `PDFError.encrypted` if the document is encrypted.
    public func requireUnencrypted() throws {
        if isEncrypted { throw PDFError.encrypted }
    }

    /// The revision whose end (`end` or `endIncludingEOL`) is exactly `offset`, if any: the
    /// revision a signature covers when its `/ByteRange` ends there.
    public func revision(endingAt offset: Int) -> PDFRevision? {
        revisions.last { $0.end == offset || $0.endIncludingEOL == offset }
    }

    /// The revision whose bytes contain `offset` (the EOL after a `%%EOF` counts for the
    /// revision that `%%EOF` ends).
    public func revision(containing offset: Int) -> PDFRevision? {
        revisions.first { offset >= $0.byteRange.lowerBound && offset < max($0.endIncludingEOL, $0.end) }
    }

    /// One more than the highest object number used by any revision, or the largest
    /// `/Size` of any trailer, whichever is greater: the first number free for new objects.
    public var nextObjectNumber: Int {
        var next = 1
        let cap = options.maxObjectNumber + 1  // a hostile /Size must not push numbers to overflow
        for revision in revisions {
            if case .integer(let size)? = revision.trailer[.size] { next = max(next, min(size, cap)) }
            for section in revision.sections {
                if case .integer(let size)? = section.trailer[.size] { next = max(next, min(size, cap)) }
                if let ref = section.streamReference { next = max(next, ref.number + 1) }
            }
            if let highest = revision.entries.keys.max() { next = max(next, highest + 1) }
        }
        return next
    }
}
