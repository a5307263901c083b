/// One incremental update (§7.5.6) being prepared: new and replaced objects, written after
/// the original bytes with a cross-reference section in the style of the file's last one.
///
/// ```swift
/// var update = try PDFIncrementalUpdate(document: doc)
/// let sig = update.allocate()
/// try update.set(sigDict, for: sig, placeholders: ["ByteRange": .byteRange(), "Contents": .hexString(byteCount: 8192)])
/// var output = try update.write()
/// ```
///
/// The original bytes are never changed: `output.bytes` is the original followed by the
/// appended update (an EOL is added first if the file does not end with one).
public struct PDFIncrementalUpdate: Sendable {
    /// The cross-reference syntax to write.
    public enum XRefStyle: Sendable, Hashable {
        /// A table if the last section is a table or hybrid, a stream if it is a stream.
        case automatic
        /// A classic `xref` table and `trailer`.
        case table
        /// A cross-reference stream.
        case stream
    }

    /// The document being updated.
    public let document: PDFDocument
    /// The cross-reference syntax (default `.automatic`).
    public var xrefStyle: XRefStyle = .automatic
    /// If set, the second element of the new `/ID` (the first is always kept). Without an
    /// existing `/ID`, both elements get this value. If nil, an existing `/ID` is copied.
    public var documentIDSecondElement: [UInt8]? = nil
    /// Replaces `/Root` in the new trailer (default: the current one).
    public var root: PDFReference? = nil
    /// Replaces `/Info` in the new trailer (default: the current one).
    public var info: PDFReference? = nil

    private var pending: [PDFReference: PendingObject] = [:]
    private var nextNumber: Int

    struct PendingObject: Sendable {
        var object: PDFObject?
        var placeholders: [PDFName: PDFPlaceholder]
    }

    /// Starts an update of `document`. Throws `PDFError.encrypted` for encrypted documents.
    public init(document: PDFDocument) throws {
        try document.requireUnencrypted()
        self.document = document
        self.nextNumber = document.nextObjectNumber
    }

    /// Reserves a new object number (above every number and `/Size` in the file).
    public mutating func allocate() -> PDFReference {
        let ref = PDFReference(nextNumber, 0)
        nextNumber += 1
        pending[ref] = PendingObject(object: nil, placeholders: [:])
        return ref
    }

    /// Adds a new object and returns its reference.
    @discardableResult
    public mutating func add(_ object: PDFObject) -> PDFReference {
        let ref = allocate()
        pending[ref]!.object = object
        return ref
    }

    /// Sets the value of an allocated object, or replaces an existing object of the document
    /// (same number and generation as its current cross-reference entry).
    ///
    /// `placeholders` reserve fixed-width values for keys of `object`'s top-level dictionary
    /// (`object` must then be a dictionary). The key is written where it stands in the
    /// dictionary, or appended if absent.
    public mutating func set(_ object: PDFObject, for reference: PDFReference, placeholders: [PDFName: PDFPlaceholder] = [:]) throws {
        if pending[reference] == nil {
            guard let (entry, _) = try document.xrefEntry(for: reference.number), entry.isInUse,
                  entry.generation == reference.generation
            else { throw PDFError.invalidUpdate(reason: "\(reference) is neither allocated nor an object of the document") }
        }
        if !placeholders.isEmpty {
            guard case .dictionary = object else {
                throw PDFError.invalidUpdate(reason: "placeholders need a dictionary object, \(reference) is a \(object.typeName)")
            }
            for (key, placeholder) in placeholders {
                let valid: Bool
                switch placeholder {
                case .byteRange(let digits): valid = (1...20).contains(digits)
                case .hexString(let count): valid = (1...(1 << 24)).contains(count)
                }
                guard valid else { throw PDFError.invalidUpdate(reason: "placeholder for \(key) has an invalid size") }
            }
        }
        pending[reference] = PendingObject(object: object, placeholders: placeholders)
    }

    /// The objects set so far, by reference.
    public var objects: [PDFReference: PDFObject] { pending.compactMapValues(\.object) }

    /// Writes the update. Fails if an allocated object was never set.
    public func write() throws -> PDFUpdateOutput {
        let original = document.bytes
        var out = original
        if let last = out.last, last != 0x0A && last != 0x0D { out.append(0x0A) }
        var offsets: [(PDFReference, Int)] = []
        var locations: [PDFPlaceholderLocation] = []
        for ref in pending.keys.sorted() {
            guard let object = pending[ref]!.object else {
                throw PDFError.invalidUpdate(reason: "\(ref) was allocated but never set")
            }
            offsets.append((ref, out.count))
            let placeholders = pending[ref]!.placeholders
            if placeholders.isEmpty {
                PDFSerializer.appendIndirectObject(ref, object, to: &out)
            } else {
                PDFSerializer.appendASCII("\(ref.number) \(ref.generation) obj\n", to: &out)
                locations += appendDictionary(object.dictionaryValue!, reference: ref, placeholders: placeholders, to: &out)
                PDFSerializer.appendASCII("\nendobj\n", to: &out)
            }
        }

        let current = document.currentRevision
        var trailer = PDFDictionary()
        let useStream: Bool
        switch xrefStyle {
        case .automatic: useStream = current.xrefKind == .stream
        case .table: useStream = false
        case .stream: useStream = true
        }
        var size = max(nextNumber, (pending.keys.map(\.number).max() ?? 0) + 1)
        var xrefStreamRef: PDFReference? = nil
        if useStream {
            xrefStreamRef = PDFReference(size, 0)
            size += 1
        }
        trailer[.size] = .integer(size)
        trailer[.prev] = .integer(current.sections[0].offset)
        let old = current.trailer
        trailer[.root] = root.map(PDFObject.reference) ?? old[.root]
        trailer[.info] = info.map(PDFObject.reference) ?? old[.info]
        if let id = newID(old: old) { trailer[.id] = id }
        let skip: Set<PDFName> = [.size, .prev, .root, .info, .id, .type, .length, .filter, .decodeParms,
                                  "W", "Index", "XRefStm", "DocChecksum", .encrypt]
        for (key, value) in old.entries where !skip.contains(key) && !value.isNull { trailer[key] = value }

        let xrefOffset = out.count
        if let xrefStreamRef {
            offsets.append((xrefStreamRef, xrefOffset))
            let stream = try xrefStream(offsets: offsets, trailer: trailer)
            PDFSerializer.appendIndirectObject(xrefStreamRef, .stream(stream), to: &out)
        } else {
            PDFSerializer.appendASCII("xref\n", to: &out)
            for run in runs(offsets.map { $0.0.number }) {
                PDFSerializer.appendASCII("\(run.first) \(run.count)\n", to: &out)
                for (ref, offset) in offsets where ref.number >= run.first && ref.number < run.first + run.count {
                    let o = String(offset), g = String(ref.generation)
                    PDFSerializer.appendASCII(String(repeating: "0", count: max(0, 10 - o.count)) + o + " "
                        + String(repeating: "0", count: max(0, 5 - g.count)) + g + " n\r\n", to: &out)
                }
            }
            PDFSerializer.appendASCII("trailer\n", to: &out)
            PDFSerializer.append(.dictionary(trailer), to: &out)
            out.append(0x0A)
        }
        PDFSerializer.appendASCII("startxref\n\(xrefOffset)\n%%EOF\n", to: &out)
        return PDFUpdateOutput(bytes: out, originalLength: original.count, xrefOffset: xrefOffset, placeholders: locations)
    }

    // MARK: Helpers

    private func newID(old: PDFDictionary) -> PDFObject? {
        var first: PDFString? = nil
        var second: PDFString? = nil
        if case .array(let items)? = old[.id], items.count == 2, case .string(let a) = items[0], case .string(let b) = items[1] {
            first = a
            second = b
        }
        if let given = documentIDSecondElement {
            let s = PDFString(bytes: given, form: .hex)
            return .array([.string(first ?? s), .string(s)])
        }
        guard let first, let second else { return nil }
        return .array([.string(first), .string(second)])
    }

    private func runs(_ numbers: [Int]) -> [PDFXRefSubsection] {
        var result: [PDFXRefSubsection] = []
        for n in numbers.sorted() {
            if let last = result.last, last.first + last.count == n {
                result[result.count - 1] = PDFXRefSubsection(first: last.first, count: last.count + 1)
            } else {
                result.append(PDFXRefSubsection(first: n, count: 1))
            }
        }
        return result
    }

    private func xrefStream(offsets: [(PDFReference, Int)], trailer: PDFDictionary) throws -> PDFStream {
        let sorted = offsets.sorted { $0.0.number < $1.0.number }
        let maxOffset = sorted.map(\.1).max() ?? 0
        let maxGen = sorted.map(\.0.generation).max() ?? 0
        func width(_ v: Int) -> Int {
            var w = 1
            while w < 8 && v >= 1 << (8 * w) { w += 1 }
            return w
        }
        let w1 = width(maxOffset), w2 = width(maxGen)
        var data: [UInt8] = []
        for (ref, offset) in sorted {
            data.append(1)
            for k in stride(from: w1 - 1, through: 0, by: -1) { data.append(UInt8(truncatingIfNeeded: offset >> (8 * k))) }
            for k in stride(from: w2 - 1, through: 0, by: -1) { data.append(UInt8(truncatingIfNeeded: ref.generation >> (8 * k))) }
        }
        var dict = PDFDictionary()
        dict[.type] = .name("XRef")
        for (key, value) in trailer.entries { dict[key] = value }
        dict["W"] = .array([.integer(1), .integer(w1), .integer(w2)])
        dict["Index"] = .array(runs(sorted.map(\.0.number)).flatMap { [PDFObject.integer($0.first), .integer($0.count)] })
        return try PDFStream.flateEncoded(dictionary: dict, data: data)
    }

    private func appendDictionary(
        _ dict: PDFDictionary, reference: PDFReference, placeholders: [PDFName: PDFPlaceholder], to out: inout [UInt8]
    ) -> [PDFPlaceholderLocation] {
        var locations: [PDFPlaceholderLocation] = []
        var entries = dict.entries
        for key in placeholders.keys.sorted() where !dict.contains(key) { entries.append((key, .null)) }
        out.append(contentsOf: [0x3C, 0x3C])
        for (i, entry) in entries.enumerated() {
            if i > 0 { out.append(0x20) }
            PDFSerializer.appendName(entry.key, to: &out)
            out.append(0x20)
            if let placeholder = placeholders[entry.key] {
                let start = out.count
                out.append(contentsOf: placeholder.initialBytes)
                locations.append(PDFPlaceholderLocation(reference: reference, key: entry.key, placeholder: placeholder, range: start..<out.count))
            } else {
                PDFSerializer.append(entry.value, to: &out)
            }
        }
        out.append(contentsOf: [0x3E, 0x3E])
        return locations
    }
}
