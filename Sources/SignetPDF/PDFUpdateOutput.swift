/// The bytes of a document with one update appended, and where its placeholders are.
public struct PDFUpdateOutput: Sendable {
    /// The whole file: the original bytes, then the update.
    public private(set) var bytes: [UInt8]
    /// The length of the original file (the update starts here, possibly with an added EOL).
    public let originalLength: Int
    /// Where the new cross-reference section starts.
    public let xrefOffset: Int
    /// Every placeholder written, with its absolute range in `bytes`.
    public let placeholders: [PDFPlaceholderLocation]

    /// The placeholder for `key` of object `reference`.
    public func placeholder(for key: PDFName, in reference: PDFReference) -> PDFPlaceholderLocation? {
        placeholders.first { $0.key == key && $0.reference == reference }
    }

    /// The `/ByteRange` that signs everything except the value at `contents` (from `<` to
    /// after `>`): `[0, start, end, count - end]`.
    public func byteRange(excluding contents: PDFPlaceholderLocation) -> [Int] {
        [0, contents.range.lowerBound, contents.range.upperBound, bytes.count - contents.range.upperBound]
    }

    /// Writes `values` into a `.byteRange` placeholder: `[0 a b c` then spaces up to `]`.
    /// The first value must be 0; each other must fit the placeholder's width.
    public mutating func patchByteRange(_ location: PDFPlaceholderLocation, with values: [Int]) throws {
        guard case .byteRange(let digits) = location.placeholder else {
            throw PDFError.invalidUpdate(reason: "placeholder for \(location.key) is not a byte range")
        }
        guard values.count == 4, values[0] == 0, values.allSatisfy({ $0 >= 0 && String($0).count <= digits }) else {
            throw PDFError.invalidUpdate(reason: "byte range \(values) does not fit the placeholder")
        }
        var text = Array("[\(values.map(String.init).joined(separator: " "))".utf8)
        let width = location.range.count
        text += [UInt8](repeating: 0x20, count: width - 1 - text.count)
        text.append(0x5D)
        bytes.replaceSubrange(location.range, with: text)
    }

    /// Writes `value` as hex into a `.hexString` placeholder, padded with zeros (`00`) to its
    /// size. Throws if `value` is longer than the placeholder.
    public mutating func patchHexString(_ location: PDFPlaceholderLocation, with value: [UInt8]) throws {
        guard case .hexString(let count) = location.placeholder else {
            throw PDFError.invalidUpdate(reason: "placeholder for \(location.key) is not a hex string")
        }
        guard value.count <= count else {
            throw PDFError.invalidUpdate(reason: "\(value.count) bytes do not fit the \(count)-byte placeholder for \(location.key)")
        }
        var text: [UInt8] = [0x3C]
        text.reserveCapacity(location.range.count)
        for b in value { PDFSerializer.appendHexByte(b, to: &text) }
        text += [UInt8](repeating: 0x30, count: 2 * (count - value.count))
        text.append(0x3E)
        bytes.replaceSubrange(location.range, with: text)
    }
}
