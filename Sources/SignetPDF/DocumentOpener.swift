/// Reads the header and the chain of cross-reference sections, and groups the sections into
/// revisions with their byte spans.
struct DocumentOpener {
    let buffer: UnsafeBufferPointer<UInt8>
    let source: [UInt8]
    let options: PDFReadOptions

    struct Result {
        var version: String
        var headerOffset: Int
        var revisions: [PDFRevision]
        var isLinearized: Bool
        var anomalies: [PDFAnomaly]
    }

    /// A section plus what follows it: `startxref N %%EOF`.
    struct Located {
        var section: PDFXRefSection
        var startXRef: Int
        var end: Int
        var endWithEOL: Int
    }

    /// Where `%PDF-` starts: within the first 1024 bytes, as readers allow; nil when absent.
    static func headerOffset(in buffer: UnsafeBufferPointer<UInt8>) -> Int? {
        ByteSearch.firstIndex(of: Array("%PDF-".utf8), in: buffer, from: 0, limit: min(buffer.count, 1024 + 5))
    }

    func open() throws -> Result {
        var anomalies: [PDFAnomaly] = []
        // Header.
        guard let header = Self.headerOffset(in: buffer) else {
            throw PDFError.missingHeader
        }
        if header > 0 {
            anomalies.append(PDFAnomaly(.leadingBytesBeforeHeader, offset: 0, "\(header) bytes before %PDF-"))
        }
        var versionEnd = header + 5
        while versionEnd < buffer.count, versionEnd < header + 16, ByteClass.isRegular(buffer[versionEnd]) { versionEnd += 1 }
        let version = String(decoding: UnsafeBufferPointer(rebasing: buffer[(header + 5)..<versionEnd]), as: UTF8.self)

        // The last startxref.
        guard let startxrefKeyword = ByteSearch.lastIndex(of: Keyword.startxref, in: buffer, before: buffer.count) else {
            throw PDFError.missingStartXRef(offset: buffer.count)
        }
        var parser = PDFParser(buffer: buffer, source: source, position: startxrefKeyword + Keyword.startxref.count, options: options)
        parser.skipWhitespace()
        guard let startXRef = try parser.readUnsignedInteger() else {
            throw PDFError.missingStartXRef(offset: startxrefKeyword)
        }

        // Follow /Prev.
        var reader = XRefReader(buffer: buffer, source: source, options: options)
        var chain: [Located] = []
        var visited = Set<Int>()
        var next: Int? = startXRef
        while let offset = next {
            guard visited.insert(offset).inserted else { throw PDFError.xrefLoop(offset: offset) }
            guard chain.count < options.maxRevisions else { throw PDFError.tooManyRevisions(limit: options.maxRevisions) }
            let section = try reader.readSection(at: offset)
            chain.append(locateEnd(of: section, anomalies: &anomalies))
            switch section.trailer[.prev] {
            case nil: next = nil
            case .integer(let prev)?:
                guard prev >= 0 && prev < buffer.count else {
                    throw PDFError.invalidXRef(reason: "/Prev \(prev) is outside the file", offset: section.offset)
                }
                next = prev
            case let other?:
                throw PDFError.invalidXRef(reason: "/Prev is a \(other.typeName)", offset: section.offset)
            }
        }
        anomalies += reader.anomalies

        let linearized = isLinearized(after: versionEnd)

        // Group into revisions, newest first. A section whose /Prev points forward is the
        // first-page section of a linearized file: one revision with the main section.
        var groups: [[Located]] = []
        var k = 0
        while k < chain.count {
            var group = [chain[k]]
            if k + 1 < chain.count, chain[k + 1].section.offset > chain[k].section.offset {
                if linearized && chain[k + 1].section.trailer[.prev] == nil {
                    group.append(chain[k + 1])
                    k += 1
                } else {
                    anomalies.append(PDFAnomaly(.prevPointsForward, offset: chain[k].section.offset,
                                                "/Prev points forward to \(chain[k + 1].section.offset)"))
                }
            }
            groups.append(group)
            k += 1
        }
        groups.reverse()

        var revisions: [PDFRevision] = []
        var previousEnd = 0
        for (index, group) in groups.enumerated() {
            var entries: [Int: PDFXRefEntry] = [:]
            for located in group.reversed() {
                for (number, entry) in located.section.entries where number != 0 { entries[number] = entry }
            }
            let last = group.max { $0.end < $1.end }!
            if index > 0 && last.end <= previousEnd {
                anomalies.append(PDFAnomaly(.revisionsOutOfOrder, offset: group[0].section.offset,
                                            "revision \(index) ends at \(last.end), before the previous one (\(previousEnd))"))
            }
            // The startxref ending a revision must point at its newest section (for a linearized
            // file, the main section's startxref points back at the first-page section).
            if last.startXRef != group[0].section.offset {
                anomalies.append(PDFAnomaly(.startxrefMismatch, offset: last.end,
                                            "startxref \(last.startXRef) ends the revision whose section is at \(group[0].section.offset)"))
            }
            let start = index == 0 ? 0 : min(previousEnd, last.end)
            revisions.append(PDFRevision(
                index: index, sections: group.map(\.section), entries: entries, trailer: group[0].section.trailer,
                startXRef: last.startXRef, byteRange: start..<last.end, endIncludingEOL: last.endWithEOL))
            previousEnd = max(previousEnd, last.end)
            checkSize(group: group, entries: entries, previous: revisions.count > 1 ? revisions[revisions.count - 2] : nil, anomalies: &anomalies)
            for (key, value) in group[0].section.trailer.entries where value.isNull {
                anomalies.append(PDFAnomaly(.nullTrailerEntry, offset: group[0].section.offset, "trailer entry \(key) is null (treated as absent)"))
            }
        }

        // Anything after the last %%EOF.
        let maxEnd = revisions.map(\.endIncludingEOL).max() ?? 0
        var tail = maxEnd
        while tail < buffer.count && ByteClass.isWhitespace(buffer[tail]) { tail += 1 }
        if tail < buffer.count {
            anomalies.append(PDFAnomaly(.trailingDataAfterEOF, offset: tail, "\(buffer.count - tail) bytes after the last revision's %%EOF"))
        }
        return Result(version: version, headerOffset: header, revisions: revisions, isLinearized: linearized, anomalies: anomalies)
    }

    /// Finds `startxref N %%EOF` after a section. If it is not directly there, the first
    /// `%%EOF` after the section ends the revision (anomaly); with none, the end of file.
    func locateEnd(of section: PDFXRefSection, anomalies: inout [PDFAnomaly]) -> Located {
        var parser = PDFParser(buffer: buffer, source: source, position: section.endOffset, options: options)
        parser.skipPlainWhitespace()
        var startXRef = -1
        if ByteSearch.matches(Keyword.startxref, in: buffer, at: parser.position) {
            parser.position += Keyword.startxref.count
            parser.skipPlainWhitespace()
            if let value = try? parser.readUnsignedInteger() { startXRef = value }
            parser.skipPlainWhitespace()
        }
        var end: Int
        if startXRef >= 0, ByteSearch.matches(Keyword.eof, in: buffer, at: parser.position) {
            end = parser.position + Keyword.eof.count
        } else if let eof = ByteSearch.firstIndex(of: Keyword.eof, in: buffer, from: section.endOffset) {
            anomalies.append(PDFAnomaly(.missingEOFMarker, offset: section.endOffset, "section at \(section.offset) is not followed directly by startxref and %%EOF"))
            end = eof + Keyword.eof.count
            if let sx = ByteSearch.lastIndex(of: Keyword.startxref, in: buffer, before: eof, lowerBound: section.endOffset) {
                var p = PDFParser(buffer: buffer, source: source, position: sx + Keyword.startxref.count, options: options)
                p.skipPlainWhitespace()
                startXRef = (try? p.readUnsignedInteger()) ?? -1
            }
        } else {
            anomalies.append(PDFAnomaly(.missingEOFMarker, offset: section.endOffset, "no %%EOF after the section at \(section.offset)"))
            end = buffer.count
        }
        var withEOL = end
        if withEOL < buffer.count && buffer[withEOL] == 0x0D { withEOL += 1 }
        if withEOL < buffer.count && buffer[withEOL] == 0x0A { withEOL += 1 }
        return Located(section: section, startXRef: startXRef, end: end, endWithEOL: withEOL)
    }

    func isLinearized(after position: Int) -> Bool {
        var parser = PDFParser(buffer: buffer, source: source, position: position, options: options)
        parser.skipWhitespace()
        guard let ref = try? parser.readObjectHeader(), ref.number > 0,
              case .dictionary(let dict)? = try? parser.parseObject() else { return false }
        return dict.contains(PDFName("Linearized"))
    }

    func checkSize(group: [Located], entries: [Int: PDFXRefEntry], previous: PDFRevision?, anomalies: inout [PDFAnomaly]) {
        let trailer = group[0].section.trailer
        guard case .integer(let size)? = trailer[.size] else { return }
        if let highest = entries.keys.max(), highest >= size {
            anomalies.append(PDFAnomaly(.sizeTooSmall, offset: group[0].section.offset, "/Size \(size) but object \(highest) is defined"))
        }
        if let previous, case .integer(let previousSize)? = previous.trailer[.size], size < previousSize {
            anomalies.append(PDFAnomaly(.sizeDecreased, offset: group[0].section.offset, "/Size \(size) after \(previousSize)"))
        }
    }
}
