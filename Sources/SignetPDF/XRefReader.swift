/// Reads cross-reference sections (§7.5.4 tables, §7.5.8 streams, §7.5.8.4 hybrids).
struct XRefReader {
    let buffer: UnsafeBufferPointer<UInt8>
    let source: [UInt8]
    let options: PDFReadOptions
    var anomalies: [PDFAnomaly] = []

    /// Reads the section at `offset` (a table if `xref` is there, else a stream object).
    mutating func readSection(at offset: Int) throws -> PDFXRefSection {
        guard offset >= 0, offset < buffer.count else {
            throw PDFError.invalidXRef(reason: "offset \(offset) is outside the file (\(buffer.count) bytes)", offset: offset)
        }
        var parser = PDFParser(buffer: buffer, source: source, position: offset, options: options)
        parser.skipPlainWhitespace()
        if parser.position != offset {
            anomalies.append(PDFAnomaly(.offsetPointsAtWhitespace, offset: offset, "cross-reference offset points at whitespace"))
        }
        if ByteSearch.matches(Keyword.xref, in: buffer, at: parser.position) {
            return try readTable(at: parser.position, sectionOffset: offset)
        }
        return try readStream(at: offset)
    }

    // MARK: Classic tables

    private mutating func readTable(at start: Int, sectionOffset: Int) throws -> PDFXRefSection {
        var parser = PDFParser(buffer: buffer, source: source, position: start, options: options)
        try parser.expectKeyword(Keyword.xref)
        var entries: [Int: PDFXRefEntry] = [:]
        var subsections: [PDFXRefSubsection] = []
        while true {
            parser.skipWhitespace()
            let tokenStart = parser.position
            guard tokenStart < buffer.count else { throw PDFError.unexpectedEndOfInput(offset: tokenStart) }
            let run = parser.readRegularRun()
            if parser.run(run, is: Keyword.trailer) { break }
            parser.position = tokenStart
            guard let first = try parser.readUnsignedInteger() else {
                throw PDFError.invalidXRef(reason: "expected a subsection header or trailer, found \(parser.describe(run.isEmpty ? tokenStart..<tokenStart + 1 : run))", offset: tokenStart)
            }
            parser.skipWhitespace()
            guard let count = try parser.readUnsignedInteger() else {
                throw PDFError.invalidXRef(reason: "subsection header without a count", offset: parser.position)
            }
            guard first <= options.maxObjectNumber, count <= options.maxObjectNumber + 1 - first else {
                throw PDFError.objectNumberOutOfRange(first &+ count, offset: tokenStart)
            }
            // Each entry takes at least 18 bytes ("0000000000 00000 n"); reject impossible counts early.
            guard count <= (buffer.count - parser.position) / 18 + 1 else {
                throw PDFError.invalidXRef(reason: "subsection of \(count) entries does not fit in the file", offset: tokenStart)
            }
            subsections.append(PDFXRefSubsection(first: first, count: count))
            for k in 0..<count {
                parser.skipPlainWhitespace()
                let entryStart = parser.position
                guard let field1 = try parser.readUnsignedInteger() else {
                    throw PDFError.invalidXRef(reason: "malformed entry for object \(first + k)", offset: entryStart)
                }
                parser.skipPlainWhitespace()
                guard let field2 = try parser.readUnsignedInteger() else {
                    throw PDFError.invalidXRef(reason: "malformed entry for object \(first + k)", offset: entryStart)
                }
                parser.skipPlainWhitespace()
                let typeRun = parser.readRegularRun()
                guard typeRun.count == 1, buffer[typeRun.lowerBound] == 0x6E || buffer[typeRun.lowerBound] == 0x66 else {
                    throw PDFError.invalidXRef(reason: "entry type must be n or f for object \(first + k)", offset: entryStart)
                }
                guard field2 <= 65535 else { throw PDFError.objectNumberOutOfRange(field2, offset: entryStart) }
                let number = first + k
                let entry: PDFXRefEntry = buffer[typeRun.lowerBound] == 0x6E
                    ? .inUse(offset: field1, generation: field2) : .free(nextFree: field1, generation: field2)
                if entries.updateValue(entry, forKey: number) != nil {
                    anomalies.append(PDFAnomaly(.xrefEntryIrregular, offset: entryStart, "object \(number) listed twice in one table; the last entry is used"))
                }
            }
        }
        parser.skipWhitespace()
        guard parser.position < buffer.count, ByteSearch.matches([0x3C, 0x3C], in: buffer, at: parser.position) else {
            throw PDFError.invalidXRef(reason: "trailer is not followed by a dictionary", offset: parser.position)
        }
        var noPositions: [PDFName: PDFEntryPosition]? = nil
        let trailer = try parser.parseDictionary(depth: 0, positions: &noPositions)
        let end = parser.position

        guard let xrefStm = trailer[PDFName("XRefStm")] else {
            return PDFXRefSection(kind: .table, offset: sectionOffset, streamReference: nil, hybridStreamOffset: nil,
                                  entries: entries, subsections: subsections, trailer: trailer, endOffset: end)
        }
        guard case .integer(let streamOffset) = xrefStm else {
            throw PDFError.invalidXRef(reason: "/XRefStm is not an integer", offset: start)
        }
        let stream = try readStream(at: streamOffset)
        var merged = entries
        var hidden = 0
        for (number, entry) in stream.entries {
            if let existing = merged[number], existing.isInUse { continue }
            if merged[number] != nil { hidden += 1 }
            merged[number] = entry
        }
        if hidden > 0 {
            anomalies.append(PDFAnomaly(.hybridReference, offset: streamOffset, "\(hidden) objects marked free in the table are defined by the /XRefStm stream"))
        }
        return PDFXRefSection(kind: .hybrid, offset: sectionOffset, streamReference: stream.streamReference, hybridStreamOffset: streamOffset,
                              entries: merged, subsections: subsections + stream.subsections, trailer: trailer, endOffset: end)
    }

    // MARK: Cross-reference streams

    private mutating func readStream(at offset: Int) throws -> PDFXRefSection {
        var parser = PDFParser(buffer: buffer, source: source, options: options)
        let object: PDFIndirectObject
        do {
            object = try parser.parseIndirectObject(at: offset, expected: nil) { ref in
                throw PDFError.invalidXRef(reason: "a cross-reference stream's /Length must be direct (\(ref))", offset: offset)
            }
        } catch PDFError.objectHeaderMismatch(_, nil, let at) {
            throw PDFError.invalidXRef(reason: "no xref table or xref stream object at offset \(offset)", offset: at)
        }
        anomalies += object.anomalies
        guard case .stream(let stream) = object.object else {
            throw PDFError.invalidXRef(reason: "object \(object.reference.number) at the xref offset is a \(object.object.typeName), not a stream", offset: offset)
        }
        let dict = stream.dictionary
        guard dict.type == PDFName("XRef") else {
            throw PDFError.invalidXRef(reason: "stream object \(object.reference.number) is not /Type /XRef", offset: offset)
        }
        guard case .integer(let size)? = dict[.size], size >= 0, size <= options.maxObjectNumber + 1 else {
            throw PDFError.invalidXRef(reason: "/Size missing or out of range", offset: offset)
        }
        guard case .array(let wArray)? = dict[PDFName("W")], wArray.count == 3 else {
            throw PDFError.invalidXRef(reason: "/W must be an array of three integers", offset: offset)
        }
        var widths: [Int] = []
        for item in wArray {
            guard case .integer(let w) = item, w >= 0, w <= 8 else {
                throw PDFError.invalidXRef(reason: "/W entries must be integers from 0 to 8", offset: offset)
            }
            widths.append(w)
        }
        var subsections: [PDFXRefSubsection] = []
        if let index = dict[PDFName("Index")] {
            guard case .array(let items) = index, items.count % 2 == 0 else {
                throw PDFError.invalidXRef(reason: "/Index must be an array of integer pairs", offset: offset)
            }
            var i = 0
            while i < items.count {
                guard case .integer(let first) = items[i], case .integer(let count) = items[i + 1], first >= 0, count >= 0,
                      first <= options.maxObjectNumber, count <= options.maxObjectNumber + 1 - first
                else { throw PDFError.invalidXRef(reason: "/Index pair out of range", offset: offset) }
                subsections.append(PDFXRefSubsection(first: first, count: count))
                i += 2
            }
        } else {
            subsections = [PDFXRefSubsection(first: 0, count: size)]
        }
        let rowLength = widths.reduce(0, +)
        guard rowLength > 0 else { throw PDFError.invalidXRef(reason: "/W describes empty rows", offset: offset) }
        let data = try StreamDecoder.decode(stream, options: options, offset: offset)
        var totalRows = 0
        for s in subsections {
            totalRows += s.count
            guard totalRows <= data.count / rowLength else {
                throw PDFError.invalidXRef(reason: "xref stream data (\(data.count) bytes) is shorter than /Index and /W require", offset: offset)
            }
        }
        if data.count > totalRows * rowLength {
            anomalies.append(PDFAnomaly(.xrefStreamExtraData, offset: offset, "xref stream has \(data.count - totalRows * rowLength) bytes beyond its entries"))
        }
        var entries: [Int: PDFXRefEntry] = [:]
        entries.reserveCapacity(totalRows)
        var p = 0
        func field(_ width: Int) throws -> UInt64 {
            var v: UInt64 = 0
            for _ in 0..<width {
                v = v << 8 | UInt64(data[p])
                p += 1
            }
            return v
        }
        for s in subsections {
            for k in 0..<s.count {
                let type = widths[0] == 0 ? 1 : try field(widths[0])
                let f2 = try field(widths[1])
                let f3 = try field(widths[2])
                guard f2 <= UInt64(Int.max), f3 <= UInt64(Int.max) else {
                    throw PDFError.invalidXRef(reason: "xref stream field out of range for object \(s.first + k)", offset: offset)
                }
                let number = s.first + k
                let entry: PDFXRefEntry
                switch type {
                case 0: entry = .free(nextFree: Int(f2), generation: Int(f3))
                case 1:
                    guard f3 <= 65535 else { throw PDFError.objectNumberOutOfRange(Int(f3), offset: offset) }
                    entry = .inUse(offset: Int(f2), generation: Int(f3))
                case 2: entry = .compressed(objectStream: Int(f2), index: Int(f3))
                default:
                    anomalies.append(PDFAnomaly(.xrefEntryIrregular, offset: offset, "entry type \(type) for object \(number) (treated as absent)"))
                    continue
                }
                entries[number] = entry
            }
        }
        return PDFXRefSection(kind: .stream, offset: offset, streamReference: object.reference,
                              hybridStreamOffset: nil, entries: entries, subsections: subsections, trailer: dict,
                              endOffset: object.byteRange?.upperBound ?? offset)
    }
}
