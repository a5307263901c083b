extension PDFParser {
    /// Reads `N G obj` at the current position (after optional whitespace) and returns the
    /// reference, or nil (position unchanged) if the bytes there are not an object header.
    mutating func readObjectHeader() throws -> PDFReference? {
        let start = position
        guard let number = try readUnsignedInteger() else { return nil }
        skipWhitespace()
        guard let generation = try readUnsignedInteger() else {
            position = start
            return nil
        }
        skipWhitespace()
        let run = readRegularRun()
        guard self.run(run, is: Keyword.obj) else {
            position = start
            return nil
        }
        guard number <= options.maxObjectNumber else { throw PDFError.objectNumberOutOfRange(number, offset: at(start)) }
        guard generation <= 65535 else { throw PDFError.objectNumberOutOfRange(generation, offset: at(start)) }
        return PDFReference(number, generation)
    }

    /// Parses a whole indirect object `N G obj value [stream ... endstream] endobj` starting at
    /// `offset` in a file.
    ///
    /// - `expected`: the reference the cross-reference promised; a different header is an
    ///   error (`objectHeaderMismatch`). Pass nil to accept any header (xref streams).
    /// - `resolveLength`: resolves an indirect `/Length`.
    ///
    /// Tolerances (each recorded as an anomaly on the result):
    /// - whitespace before the header (the offset was off by whitespace);
    /// - `stream` followed by CR alone or by no EOL;
    /// - a `/Length` inside the file that does not end at `endstream`: the data is taken up to
    ///   the first `endstream` after the data start (minus one EOL). A `/Length` running past
    ///   the end of the input is an error, never tolerated;
    /// - a missing `endobj`.
    mutating func parseIndirectObject(
        at offset: Int, expected: PDFReference?, resolveLength: (PDFReference) throws -> Int
    ) throws -> PDFIndirectObject {
        var anomalies: [PDFAnomaly] = []
        guard offset >= 0, offset < buffer.count else {
            throw PDFError.invalidXRef(reason: "object offset \(offset) outside the file", offset: offset)
        }
        position = offset
        skipPlainWhitespace()
        if position != offset {
            anomalies.append(PDFAnomaly(.offsetPointsAtWhitespace, offset: offset, "object offset points at whitespace before the object"))
        }
        let objectStart = position
        guard let header = try readObjectHeader() else {
            throw PDFError.objectHeaderMismatch(expected: expected ?? PDFReference(0, 0), found: nil, offset: objectStart)
        }
        if let expected, expected != header {
            throw PDFError.objectHeaderMismatch(expected: expected, found: header, offset: objectStart)
        }
        var positions: [PDFName: PDFEntryPosition]? = [:]
        var value = try parseObject(depth: 0, positions: &positions)
        var streamDataRange: Range<Int>? = nil
        let afterValue = position
        skipWhitespace()
        var end = afterValue
        if case .dictionary(let dictionary) = value {
            let keywordStart = position
            let run = readRegularRun()
            if self.run(run, is: Keyword.stream) {
                let (stream, dataRange, streamAnomalies) = try parseStreamData(
                    dictionary: dictionary, keywordStart: keywordStart, reference: header, resolveLength: resolveLength)
                anomalies += streamAnomalies
                value = .stream(stream)
                streamDataRange = dataRange
                end = position
                skipWhitespace()
            } else {
                position = keywordStart
            }
        }
        let endobjStart = position
        let run = readRegularRun()
        if self.run(run, is: Keyword.endobj) {
            end = position
        } else {
            position = endobjStart
            anomalies.append(PDFAnomaly(.missingEndobj, offset: endobjStart, "object \(header.number) \(header.generation) has no endobj"))
        }
        let recorded: [PDFName: PDFEntryPosition]
        switch value {
        case .dictionary, .stream: recorded = positions ?? [:]
        default: recorded = [:]
        }
        return PDFIndirectObject(
            reference: header, object: value, location: .file(offset: offset), byteRange: objectStart..<end,
            entryPositions: recorded, streamDataRange: streamDataRange, anomalies: anomalies)
    }

    /// After the `stream` keyword: finds the data using `/Length`, checks `endstream`.
    private mutating func parseStreamData(
        dictionary: PDFDictionary, keywordStart: Int, reference: PDFReference, resolveLength: (PDFReference) throws -> Int
    ) throws -> (PDFStream, Range<Int>, [PDFAnomaly]) {
        var anomalies: [PDFAnomaly] = []
        // EOL after `stream`: CRLF or LF (§7.3.8.1). CR alone or nothing is tolerated.
        if position < buffer.count && buffer[position] == 0x0D {
            position += 1
            if position < buffer.count && buffer[position] == 0x0A {
                position += 1
            } else {
                anomalies.append(PDFAnomaly(.streamKeywordEOL, offset: position, "stream keyword followed by CR alone"))
            }
        } else if position < buffer.count && buffer[position] == 0x0A {
            position += 1
        } else {
            anomalies.append(PDFAnomaly(.streamKeywordEOL, offset: position, "stream keyword not followed by an end-of-line"))
        }
        let dataStart = position
        let length: Int
        switch dictionary[.length] {
        case .integer(let n)?: length = n
        case .reference(let ref)?:
            guard ref != reference else { throw PDFError.circularReference(ref, offset: at(keywordStart)) }
            length = try resolveLength(ref)
        case nil:
            throw PDFError.invalidStreamLength(reason: "stream has no /Length", offset: at(keywordStart))
        case let other?:
            throw PDFError.invalidStreamLength(reason: "/Length is a \(other.typeName)", offset: at(keywordStart))
        }
        guard length >= 0 else { throw PDFError.invalidStreamLength(reason: "/Length \(length) is negative", offset: at(keywordStart)) }
        guard length <= buffer.count - dataStart else {
            throw PDFError.invalidStreamLength(
                reason: "/Length \(length) runs past the end of the input (\(buffer.count - dataStart) bytes left)",
                offset: at(keywordStart))
        }
        var dataEnd = dataStart + length
        position = dataEnd
        if !atEndstream() {
            // Tolerated: take the data up to the first `endstream`.
            guard let found = ByteSearch.firstIndex(of: Keyword.endstream, in: buffer, from: dataStart) else {
                throw PDFError.missingEndstream(offset: at(dataStart))
            }
            var e = found
            if e > dataStart && buffer[e - 1] == 0x0A { e -= 1 }
            if e > dataStart && buffer[e - 1] == 0x0D { e -= 1 }
            anomalies.append(PDFAnomaly(
                .streamLengthMismatch, offset: keywordStart,
                "stream \(reference.number) \(reference.generation): /Length \(length) but endstream found after \(e - dataStart) bytes"))
            dataEnd = e
            position = found
            _ = atEndstream()
        }
        let stream = PDFStream(dictionary: dictionary, rawData: source[dataStart..<dataEnd])
        return (stream, dataStart..<dataEnd, anomalies)
    }

    /// If an optional EOL (and whitespace) then `endstream` follow, consumes them and returns true.
    private mutating func atEndstream() -> Bool {
        let save = position
        skipPlainWhitespace()
        if ByteSearch.matches(Keyword.endstream, in: buffer, at: position),
            position + Keyword.endstream.count >= buffer.count || !ByteClass.isRegular(buffer[position + Keyword.endstream.count])
        {
            position += Keyword.endstream.count
            return true
        }
        position = save
        return false
    }
}
