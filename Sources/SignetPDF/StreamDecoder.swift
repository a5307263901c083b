/// Decodes stream data through its filter chain (§7.4).
///
/// Supported: FlateDecode (with PNG and TIFF predictors), LZWDecode (with predictors and
/// `/EarlyChange`), ASCIIHexDecode, ASCII85Decode, RunLengthDecode, and the abbreviations
/// `Fl`, `LZW`, `AHx`, `A85`, `RL`. Anything else (DCT, JPX, CCITT, JBIG2, Crypt) raises
/// `unsupportedFilter`. Every stage is bounded by `PDFReadOptions.maxDecodedStreamLength`.
/// `/Filter` and `/DecodeParms` must be direct here; `PDFDocument.decodedData` resolves
/// indirect ones first.
enum StreamDecoder {
    static func decode(_ stream: PDFStream, options: PDFReadOptions, offset: Int?) throws -> [UInt8] {
        let dict = stream.dictionary
        let filters: [PDFName]
        switch dict[.filter] {
        case nil: return Array(stream.rawData)
        case .name(let name)?: filters = [name]
        case .array(let items)?:
            filters = try items.map {
                guard case .name(let name) = $0 else {
                    throw PDFError.decodeFailed(filter: "Filter", reason: "/Filter array holds a \($0.typeName)", offset: offset)
                }
                return name
            }
        case let other?:
            throw PDFError.decodeFailed(filter: "Filter", reason: "/Filter is a \(other.typeName)", offset: offset)
        }
        var parms: [PDFDictionary?] = Array(repeating: nil, count: filters.count)
        switch dict[.decodeParms] {
        case nil: break
        case .dictionary(let d)?: if !filters.isEmpty { parms[0] = d }
        case .array(let items)?:
            for (i, item) in items.enumerated() where i < filters.count {
                if case .dictionary(let d) = item { parms[i] = d }
            }
        default: break
        }
        var data = stream.rawData
        var owned: [UInt8]? = nil
        for (i, filter) in filters.enumerated() {
            let output = try apply(filter, to: data, parms: parms[i], limit: options.maxDecodedStreamLength, offset: offset)
            owned = output
            data = output[...]
        }
        return owned ?? Array(data)
    }

    static func apply(_ filter: PDFName, to data: ArraySlice<UInt8>, parms: PDFDictionary?, limit: Int, offset: Int?) throws -> [UInt8] {
        switch filter.string {
        case "FlateDecode", "Fl":
            let inflated = try Zlib.inflate(data, limit: limit, offset: offset)
            return try Predictor.undo(inflated, parms: parms, filter: filter, offset: offset)
        case "LZWDecode", "LZW":
            let early = parms?[PDFName("EarlyChange")]?.integerValue ?? 1
            let decoded = try LZW.decode(data, earlyChange: early != 0, limit: limit, offset: offset)
            return try Predictor.undo(decoded, parms: parms, filter: filter, offset: offset)
        case "ASCIIHexDecode", "AHx": return try ASCIIHex.decode(data, offset: offset)
        case "ASCII85Decode", "A85": return try ASCII85.decode(data, limit: limit, offset: offset)
        case "RunLengthDecode", "RL": return try RunLength.decode(data, limit: limit, offset: offset)
        default: throw PDFError.unsupportedFilter(filter, offset: offset)
        }
    }
}
