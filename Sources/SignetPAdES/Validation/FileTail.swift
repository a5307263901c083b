import SignetPDF

/// What follows the last complete revision of a readable PDF: nothing (or only whitespace
/// and NUL padding), or bytes that are not a well-formed incremental update.
///
/// Such bytes are covered by no signature, and a lenient reader that rebuilds the
/// cross-reference table (qpdf does, and so do many viewers) reads objects from them; an
/// attacker appends `n 0 obj … endobj` redefining a signed page there. A file cut short in
/// the middle of an update looks the same. Either way the file is not what was signed, so
/// every signature fails (FORMAT_FAILURE) with `check`, and the report calls the file
/// damaged (`damage`).
struct FileTail {
    /// Where the bytes after the last revision start (after its `%%EOF` and end-of-line).
    let start: Int
    /// The bytes from `start` to the end of the file, padding included.
    let range: Range<Int>
    /// The failing check every signature gets, nil when the tail is harmless.
    let check: ValidationCheck?
    /// The damage in plain words, nil when the tail is harmless.
    let damage: String?

    /// Whether the file is damaged after its last revision.
    var isDamaged: Bool { check != nil }

    /// Keywords whose presence makes the tail "PDF syntax" (an update without its trailer).
    private static let keywords = ["obj", "endobj", "xref", "trailer", "startxref", "stream", "%%EOF"]

    init(_ document: PDFDocument) {
        let bytes = document.bytes
        let end = min(bytes.count, document.revisions.map { max($0.end, $0.endIncludingEOL) }.max() ?? 0)
        start = end
        range = end..<bytes.count
        let eof = Array("%%EOF".utf8)
        let lastEnd = document.revisions.map(\.end).max() ?? 0
        let terminated = lastEnd >= eof.count && lastEnd <= bytes.count && Array(bytes[(lastEnd - eof.count)..<lastEnd]) == eof
        let extra = bytes[end...].firstIndex { !Self.isPadding($0) }
        switch (terminated, extra) {
        case (true, nil):
            check = nil
            damage = nil
        case (false, _):
            // The reader accepted a last revision without %%EOF: it runs to the end of the file.
            check = .problem(.coverage, .formatFailure,
                             "The file ends without %%EOF after its last revision (at byte \(bytes.count)): it was cut short, so it is not the file that was signed.")
            damage = "the file ends without %%EOF after its last revision: it was cut short"
        case (true, let first?):
            let count = bytes.count - end
            let tail = Array(bytes[first...])
            if let keyword = Self.keywords.first(where: { RawSignatureScanner.find(Array($0.utf8), in: tail, from: 0) != nil }) {
                check = .problem(.modifications, .formatFailure,
                                 "\(count) bytes after the last %%EOF (from byte \(end)) contain PDF syntax (\"\(keyword)\") but are not a well-formed incremental update (no complete cross-reference section, trailer and %%EOF): the file was cut short or objects were appended. No signature covers them, and a reader that rebuilds the cross-reference table would read objects from them.")
                damage = "\(count) bytes after the last %%EOF (from byte \(end)) hold PDF syntax that is not a well-formed incremental update: the file was cut short or objects were appended"
            } else {
                check = .problem(.coverage, .formatFailure,
                                 "\(count) bytes after the last %%EOF (from byte \(end)) are neither PDF syntax nor whitespace or NUL padding: no signature covers them, a reader that rebuilds the cross-reference table could read objects from them, and the file is not what was signed.")
                damage = "\(count) bytes of data that is not PDF syntax follow the last %%EOF (from byte \(end))"
            }
        }
    }

    /// Whitespace (ISO 32000 §7.2.3, NUL included): harmless after `%%EOF`.
    static func isPadding(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 || byte == 0x0C || byte == 0x00
    }
}
