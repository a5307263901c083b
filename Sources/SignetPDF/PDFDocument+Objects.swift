extension PDFDocument {
    /// The revision index to use for `revision` (nil: the current one).
    func revisionIndex(_ revision: Int?) throws -> Int {
        guard let revision else { return revisions.count - 1 }
        guard revision >= 0 && revision < revisions.count else {
            throw PDFError.invalidStructure(reason: "no revision \(revision) (the document has \(revisions.count))", offset: nil)
        }
        return revision
    }

    /// The cross-reference entry in force for object `number` as of `revision` (nil: current),
    /// with the index of the revision that wrote it. nil if no revision up to that one lists it.
    public func xrefEntry(for number: Int, asOf revision: Int? = nil) throws -> (entry: PDFXRefEntry, revision: Int)? {
        var r = try revisionIndex(revision)
        while r >= 0 {
            if let entry = revisions[r].entries[number] { return (entry, r) }
            r -= 1
        }
        return nil
    }

    /// The revision that last defined (or freed) object `number` as of `revision`.
    public func definingRevision(of number: Int, asOf revision: Int? = nil) throws -> Int? {
        try xrefEntry(for: number, asOf: revision)?.revision
    }

    /// The indirect object `reference` as of `revision` (nil: current), with its position in
    /// the file. Returns nil when the object is free, absent, or has another generation —
    /// a reference to such an object means `null` (§7.3.10).
    public func indirectObject(_ reference: PDFReference, asOf revision: Int? = nil) throws -> PDFIndirectObject? {
        try indirectObject(reference, revision: try revisionIndex(revision), depth: 0)
    }

    /// The value of `reference` as of `revision` (nil: current); `.null` when absent or free.
    public func object(_ reference: PDFReference, asOf revision: Int? = nil) throws -> PDFObject {
        try indirectObject(reference, asOf: revision)?.object ?? .null
    }

    /// `object` itself, or, if it is a reference, the value it leads to (following chains of
    /// references up to `maxReferenceChain`).
    public func resolve(_ object: PDFObject, asOf revision: Int? = nil) throws -> PDFObject {
        let r = try revisionIndex(revision)
        return try resolve(object, revision: r, depth: 0)
    }

    /// Resolves `object` and returns it as a dictionary (a stream's dictionary counts), or nil.
    public func resolveDictionary(_ object: PDFObject?, asOf revision: Int? = nil) throws -> PDFDictionary? {
        guard let object else { return nil }
        return try resolve(object, asOf: revision).dictionaryValue
    }

    /// Resolves `object` and returns it as an array, or nil.
    public func resolveArray(_ object: PDFObject?, asOf revision: Int? = nil) throws -> [PDFObject]? {
        guard let object else { return nil }
        return try resolve(object, asOf: revision).arrayValue
    }

    /// The decoded data of `stream`, resolving an indirect `/Filter`, `/DecodeParms` (or
    /// their elements) first. Throws `unsupportedFilter` for filters Signet does not decode.
    public func decodedData(of stream: PDFStream, asOf revision: Int? = nil) throws -> [UInt8] {
        var s = stream
        if let filter = s.dictionary[.filter] { s.dictionary[.filter] = try resolveShallow(filter, revision: revision) }
        if let parms = s.dictionary[.decodeParms] { s.dictionary[.decodeParms] = try resolveShallow(parms, revision: revision) }
        return try StreamDecoder.decode(s, options: options, offset: nil)
    }

    /// Resolves a value and, if it is an array, each of its elements.
    private func resolveShallow(_ object: PDFObject, revision: Int?) throws -> PDFObject {
        let value = try resolve(object, asOf: revision)
        if case .array(let items) = value { return .array(try items.map { try resolve($0, asOf: revision) }) }
        return value
    }

    /// Parses every object defined up to `revision` (nil: current) and returns the failures
    /// and anomalies: a full consistency pass for tests and diagnostics.
    public func checkAllObjects(asOf revision: Int? = nil) throws -> (failures: [(Int, PDFError)], anomalies: [PDFAnomaly]) {
        let r = try revisionIndex(revision)
        var numbers = Set<Int>()
        for i in 0...r { numbers.formUnion(revisions[i].entries.keys) }
        var failures: [(Int, PDFError)] = []
        var anomalies: [PDFAnomaly] = []
        for number in numbers.sorted() {
            guard let (entry, _) = try xrefEntry(for: number, asOf: r), entry.isInUse else { continue }
            do {
                if let object = try indirectObject(PDFReference(number, entry.generation), revision: r, depth: 0) {
                    anomalies += object.anomalies
                }
            } catch let error as PDFError {
                failures.append((number, error))
            }
        }
        return (failures, anomalies)
    }

    // MARK: Internals

    func resolve(_ object: PDFObject, revision: Int, depth: Int) throws -> PDFObject {
        var current = object
        var steps = 0
        while case .reference(let ref) = current {
            steps += 1
            guard steps <= options.maxReferenceChain else { throw PDFError.circularReference(ref, offset: nil) }
            current = try indirectObject(ref, revision: revision, depth: depth + steps)?.object ?? .null
        }
        return current
    }

    func indirectObject(_ reference: PDFReference, revision: Int, depth: Int) throws -> PDFIndirectObject? {
        guard depth <= options.maxReferenceChain else { throw PDFError.circularReference(reference, offset: nil) }
        guard let (entry, _) = try xrefEntry(for: reference.number, asOf: revision) else { return nil }
        switch entry {
        case .free:
            return nil
        case .inUse(let offset, let generation):
            guard generation == reference.generation else { return nil }
            if let cached = cache.object(.file(offset: offset, reference: reference, asOf: -1)) { return cached }
            if let cached = cache.object(.file(offset: offset, reference: reference, asOf: revision)) { return cached }
            var usedIndirectLength = false
            let parsed = try bytes.withUnsafeBufferPointer { buffer in
                var parser = PDFParser(buffer: buffer, source: bytes, options: options)
                return try parser.parseIndirectObject(at: offset, expected: reference) { lengthRef in
                    usedIndirectLength = true
                    let value = try self.resolve(.reference(lengthRef), revision: revision, depth: depth + 1)
                    guard case .integer(let n) = value else {
                        throw PDFError.invalidStreamLength(reason: "indirect /Length \(lengthRef) is a \(value.typeName)", offset: offset)
                    }
                    return n
                }
            }
            cache.store(parsed, for: .file(offset: offset, reference: reference, asOf: usedIndirectLength ? revision : -1))
            return parsed
        case .compressed(let streamNumber, let index):
            guard reference.generation == 0 else { return nil }
            let contents = try objectStream(streamNumber, revision: revision, depth: depth + 1)
            let key = ObjectCache.Key.compressed(streamOffset: contents.fileOffset, index: index, number: reference.number, asOf: contents.asOf)
            if let cached = cache.object(key) { return cached }
            guard index >= 0 && index < contents.pairs.count else {
                throw PDFError.invalidObjectStream(reason: "object \(reference.number) is at index \(index) of object stream \(streamNumber), which holds \(contents.pairs.count)", offset: contents.fileOffset)
            }
            let pair = contents.pairs[index]
            guard pair.number == reference.number else {
                throw PDFError.invalidObjectStream(reason: "index \(index) of object stream \(streamNumber) holds object \(pair.number), not \(reference.number)", offset: contents.fileOffset)
            }
            let (start, overflow) = contents.first.addingReportingOverflow(pair.offset)
            guard !overflow, start < contents.data.count else {
                throw PDFError.invalidObjectStream(reason: "object \(reference.number) starts past the end of the stream", offset: contents.fileOffset)
            }
            let value = try contents.data.withUnsafeBufferPointer { buffer in
                var parser = PDFParser(buffer: buffer, source: contents.data, position: start, options: options, errorOffset: contents.fileOffset)
                return try parser.parseObject()
            }
            let parsed = PDFIndirectObject(
                reference: reference, object: value, location: .objectStream(stream: contents.reference, index: index),
                byteRange: nil, entryPositions: [:], streamDataRange: nil, anomalies: [])
            cache.store(parsed, for: key)
            return parsed
        }
    }

    /// The decoded object stream `number` as of `revision`.
    func objectStream(_ number: Int, revision: Int, depth: Int) throws -> ObjectStreamContents {
        guard let (entry, _) = try xrefEntry(for: number, asOf: revision), case .inUse(let offset, let generation) = entry else {
            throw PDFError.invalidObjectStream(reason: "object stream \(number) is not an object at a file offset", offset: 0)
        }
        if let cached = cache.objectStream(.init(offset: offset, asOf: -1)) { return cached }
        if let cached = cache.objectStream(.init(offset: offset, asOf: revision)) { return cached }
        guard let object = try indirectObject(PDFReference(number, generation), revision: revision, depth: depth),
              case .stream(let stream) = object.object
        else { throw PDFError.invalidObjectStream(reason: "object \(number) is not a stream", offset: offset) }
        let dict = stream.dictionary
        guard dict.type == PDFName("ObjStm") else {
            throw PDFError.invalidObjectStream(reason: "object \(number) is not /Type /ObjStm", offset: offset)
        }
        guard case .integer(let n)? = dict[PDFName("N")], n >= 0, n <= options.maxObjectsPerObjectStream,
              case .integer(let first)? = dict[PDFName("First")], first >= 0
        else { throw PDFError.invalidObjectStream(reason: "/N or /First missing or out of range", offset: offset) }
        let data = try decodedData(of: stream, asOf: revision)
        guard first <= data.count else {
            throw PDFError.invalidObjectStream(reason: "/First \(first) beyond the decoded data (\(data.count) bytes)", offset: offset)
        }
        var pairs: [(number: Int, offset: Int)] = []
        pairs.reserveCapacity(min(n, first / 4 + 1))
        try data.withUnsafeBufferPointer { buffer in
            let header = UnsafeBufferPointer(rebasing: buffer[0..<first])
            var parser = PDFParser(buffer: header, source: data, options: options, errorOffset: offset)
            for _ in 0..<n {
                parser.skipWhitespace()
                guard let objectNumber = try parser.readUnsignedInteger() else {
                    throw PDFError.invalidObjectStream(reason: "header has fewer than /N \(n) pairs", offset: offset)
                }
                parser.skipWhitespace()
                guard let objectOffset = try parser.readUnsignedInteger() else {
                    throw PDFError.invalidObjectStream(reason: "header pair without an offset", offset: offset)
                }
                pairs.append((objectNumber, objectOffset))
            }
        }
        let dependsOnRevision = [PDFName.length, .filter, .decodeParms].contains { key in
            switch dict[key] {
            case .reference?: return true
            case .array(let items)?: return items.contains { $0.referenceValue != nil }
            default: return false
            }
        }
        let asOf = dependsOnRevision ? revision : -1
        let contents = ObjectStreamContents(
            reference: object.reference, fileOffset: offset, data: data, first: first, pairs: pairs,
            extends: dict[PDFName("Extends")]?.referenceValue, asOf: asOf)
        cache.store(contents, for: .init(offset: offset, asOf: asOf))
        return contents
    }
}
