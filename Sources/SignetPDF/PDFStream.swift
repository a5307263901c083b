/// A PDF stream (ISO 32000-2 §7.3.8): its dictionary and its raw (still encoded) bytes.
///
/// For streams read from a file `rawData` is a slice of the file's bytes (no copy); its
/// indices are those of the file, so use `rawData.startIndex`, or `Array(rawData)`.
/// `/Length` in `dictionary` is what the file said; the serializer always writes the real length.
public struct PDFStream: Sendable, Hashable {
    /// The stream dictionary.
    public var dictionary: PDFDictionary
    /// The encoded bytes between `stream` and `endstream`.
    public var rawData: ArraySlice<UInt8>

    /// A stream with the given dictionary and already-encoded bytes.
    public init(dictionary: PDFDictionary, rawData: ArraySlice<UInt8>) {
        self.dictionary = dictionary
        self.rawData = rawData
    }

    /// A stream with the given dictionary and already-encoded bytes.
    public init(dictionary: PDFDictionary, rawData: [UInt8]) {
        self.init(dictionary: dictionary, rawData: rawData[...])
    }

    /// A stream holding `data` compressed with FlateDecode (zlib); `/Filter /FlateDecode`
    /// is set in `dictionary` and any `/DecodeParms` removed.
    public static func flateEncoded(dictionary: PDFDictionary = PDFDictionary(), data: [UInt8]) throws -> PDFStream {
        var dict = dictionary
        dict[.decodeParms] = nil
        dict[.filter] = .name("FlateDecode")
        dict[.length] = .integer(0)
        let compressed = try Zlib.deflate(data)
        dict[.length] = .integer(compressed.count)
        return PDFStream(dictionary: dict, rawData: compressed)
    }

    /// The filter names in order (`/Filter` as a name or an array of names).
    public var filters: [PDFName] {
        switch dictionary[.filter] {
        case .name(let name)?: return [name]
        case .array(let items)?: return items.compactMap(\.nameValue)
        default: return []
        }
    }

    /// Equal when the dictionaries and the raw (still encoded) data are equal.
    public static func == (lhs: PDFStream, rhs: PDFStream) -> Bool {
        lhs.dictionary == rhs.dictionary && lhs.rawData.elementsEqual(rhs.rawData)
    }

    /// Hashes the dictionary, the data length and at most the first 64 data bytes (cheap for large streams).
    public func hash(into hasher: inout Hasher) {
        hasher.combine(dictionary)
        hasher.combine(rawData.count)
        for byte in rawData.prefix(64) { hasher.combine(byte) }
    }
}

extension PDFStream {
    /// The decoded data, for streams whose `/Filter` and `/DecodeParms` are direct objects
    /// (use `PDFDocument.decodedData(of:)` when they may be references).
    public func decodedData(options: PDFReadOptions = .default) throws -> [UInt8] {
        try StreamDecoder.decode(self, options: options, offset: nil)
    }
}
