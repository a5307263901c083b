import SignetCrypto

/// Repairs the dates cairo 1.16 writes in the document information dictionary: a fix of
/// Cairo's output bytes, not a date formatter (the date handed to Cairo is ISO 8601 text from
/// `TimeText`; the PDF dates Signet writes itself come from `PDFDateFormat`).
///
/// cairo 1.16 writes `/CreationDate (20250301100000+08'00)`, without the `D:` prefix that
/// ISO 32000-1 §7.9.4 requires (fixed in cairo 1.17.6). This inserts `D:` and shifts the
/// byte offsets of the cross-reference table and `startxref` accordingly. Output that
/// already has the prefix (newer cairo) is returned unchanged; output that does not have the
/// expected classic cross-reference layout is refused rather than guessed at.
enum CairoDateFix {
    static func apply(_ pdf: [UInt8]) throws(RenderError) -> [UInt8] {
        var insertions: [Int] = []
        for key in ["/CreationDate (", "/ModDate ("] {
            let pattern = Array(key.utf8)
            guard let start = lastIndex(of: pattern, in: pdf) else { continue }
            let valueStart = start + pattern.count
            if valueStart < pdf.count, pdf[valueStart] >= UInt8(ascii: "0"), pdf[valueStart] <= UInt8(ascii: "9") {
                insertions.append(valueStart)
            }
        }
        guard !insertions.isEmpty else { return pdf }
        insertions.sort()
        let prefix = Array("D:".utf8)
        func shifted(_ offset: Int) -> Int { offset + prefix.count * insertions.filter { $0 <= offset }.count }

        guard let startxrefAt = lastIndex(of: Array("startxref\n".utf8), in: pdf) else {
            throw .cairo("unexpected PDF layout: no startxref")
        }
        let numberStart = startxrefAt + "startxref\n".utf8.count
        var numberEnd = numberStart
        while numberEnd < pdf.count, pdf[numberEnd] >= UInt8(ascii: "0"), pdf[numberEnd] <= UInt8(ascii: "9") { numberEnd += 1 }
        guard let xrefOffset = Int(String(decoding: pdf[numberStart..<numberEnd], as: UTF8.self)),
              xrefOffset < pdf.count, pdf[xrefOffset...].starts(with: Array("xref\n".utf8)),
              insertions.allSatisfy({ $0 < xrefOffset })
        else { throw .cairo("unexpected PDF layout: startxref does not point at a classic xref table after the info dictionary") }

        // Subsection header "0 N\n", then N entries of exactly 20 bytes "oooooooooo ggggg n \n".
        var cursor = xrefOffset + 5
        guard let headerEnd = pdf[cursor...].firstIndex(of: UInt8(ascii: "\n")) else { throw .cairo("unexpected xref header") }
        let header = String(decoding: pdf[cursor..<headerEnd], as: UTF8.self).split(separator: " ")
        guard header.count == 2, header[0] == "0", let count = Int(header[1]), headerEnd + 1 + 20 * count <= pdf.count else {
            throw .cairo("unexpected xref subsection '\(header.joined(separator: " "))'")
        }
        cursor = headerEnd + 1
        var out: [UInt8] = []
        out.reserveCapacity(pdf.count + prefix.count * insertions.count)
        var copied = 0
        for insertion in insertions {
            out += pdf[copied..<insertion]
            out += prefix
            copied = insertion
        }
        out += pdf[copied..<cursor]
        for entry in 0..<count {
            let at = cursor + 20 * entry
            let line = Array(pdf[at..<(at + 20)])
            guard line[10] == UInt8(ascii: " "), line[16] == UInt8(ascii: " "),
                  let offset = Int(String(decoding: line[0..<10], as: UTF8.self))
            else { throw .cairo("unexpected xref entry \(entry)") }
            if line[17] == UInt8(ascii: "n") {
                out += Array(zeroPadded(shifted(offset), width: 10).utf8)
                out += line[10...]
            } else {
                out += line
            }
        }
        let trailerStart = cursor + 20 * count
        out += pdf[trailerStart..<numberStart]
        out += Array(String(shifted(xrefOffset)).utf8)
        out += pdf[numberEnd...]
        return out
    }

    static func lastIndex(of pattern: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= pattern.count else { return nil }
        var index = bytes.count - pattern.count
        while index >= 0 {
            if bytes[index] == pattern[0], bytes[index..<(index + pattern.count)].elementsEqual(pattern) { return index }
            index -= 1
        }
        return nil
    }
}
