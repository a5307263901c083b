import Testing
import SignetPDF

@Suite struct FilterTests {
    func stream(_ filter: PDFObject?, _ data: [UInt8], parms: PDFObject? = nil) -> PDFStream {
        var dict = PDFDictionary()
        dict[.filter] = filter
        dict[.decodeParms] = parms
        return PDFStream(dictionary: dict, rawData: data)
    }

    @Test func flateRoundTrip() throws {
        let text = Array(String(repeating: "BT /F1 12 Tf (Signet) Tj ET\n", count: 200).utf8)
        let encoded = try PDFStream.flateEncoded(data: text)
        #expect(encoded.filters == ["FlateDecode"])
        #expect(encoded.rawData.count < text.count / 4)
        #expect(try encoded.decodedData() == text)
        #expect(try PDFStream.flateEncoded(data: []).decodedData() == [])
    }

    @Test func flateErrors() throws {
        let good = try PDFStream.flateEncoded(data: Array(repeating: 7, count: 1000))
        let truncated = stream(.name("FlateDecode"), Array(good.rawData.dropLast(5)))
        #expect(throws: PDFError.self) { try truncated.decodedData() }
        #expect(throws: PDFError.self) { try stream(.name("FlateDecode"), [1, 2, 3, 4, 5]).decodedData() }
        // A zip bomb stops at the limit.
        let bomb = try PDFStream.flateEncoded(data: [UInt8](repeating: 0, count: 4 << 20))
        var options = PDFReadOptions()
        options.maxDecodedStreamLength = 1 << 20
        #expect(throws: PDFError.decodedLengthLimitExceeded(limit: 1 << 20, offset: nil)) { try bomb.decodedData(options: options) }
    }

    /// PNG-predicts `rows` (each `columns` bytes, 1 byte per pixel) with the given row filter types.
    func pngEncode(_ rows: [[UInt8]], types: [UInt8], bpp: Int) -> [UInt8] {
        var out: [UInt8] = []
        var previous = [UInt8](repeating: 0, count: rows[0].count)
        for (row, type) in zip(rows, types) {
            out.append(type)
            for i in row.indices {
                let a = i >= bpp ? Int(row[i - bpp]) : 0
                let b = Int(previous[i])
                let c = i >= bpp ? Int(previous[i - bpp]) : 0
                let predicted: Int
                switch type {
                case 0: predicted = 0
                case 1: predicted = a
                case 2: predicted = b
                case 3: predicted = (a + b) / 2
                default:
                    let p = a + b - c
                    let pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
                    predicted = (pa <= pb && pa <= pc) ? a : (pb <= pc ? b : c)
                }
                out.append(row[i] &- UInt8(predicted & 0xFF))
            }
            previous = row
        }
        return out
    }

    @Test func pngPredictors() throws {
        var rows: [[UInt8]] = []
        var seed: UInt32 = 12345
        for _ in 0..<10 {
            rows.append((0..<12).map { _ in seed = seed &* 1_103_515_245 &+ 12345; return UInt8(seed >> 24) })
        }
        let encoded = pngEncode(rows, types: [0, 1, 2, 3, 4, 4, 3, 2, 1, 0], bpp: 3)
        let compressed = try PDFStream.flateEncoded(data: encoded).rawData
        let parms: PDFObject = .dictionary(["Predictor": 12, "Colors": 3, "Columns": 4])
        let s = stream(.name("FlateDecode"), Array(compressed), parms: parms)
        #expect(try s.decodedData() == rows.flatMap { $0 })
        // An invalid row type is an error.
        let bad = try PDFStream.flateEncoded(data: [9] + rows[0]).rawData
        #expect(throws: PDFError.self) { try stream(.name("FlateDecode"), Array(bad), parms: parms).decodedData() }
    }

    @Test func tiffPredictor() throws {
        let row: [UInt8] = [10, 20, 30, 11, 22, 33, 12, 24, 36]  // 3 pixels of RGB
        var diff = row
        for i in stride(from: row.count - 1, through: 3, by: -1) { diff[i] = row[i] &- row[i - 3] }
        let compressed = try PDFStream.flateEncoded(data: diff + diff).rawData
        let parms: PDFObject = .dictionary(["Predictor": 2, "Colors": 3, "Columns": 3])
        #expect(try stream(.name("FlateDecode"), Array(compressed), parms: parms).decodedData() == row + row)
    }

    @Test func hostilePredictorParametersStayBounded() throws {
        let data = Array(try PDFStream.flateEncoded(data: [2, 1, 2, 3, 4]).rawData)
        let png: PDFObject = .dictionary(["Predictor": 12, "Colors": 32, "BitsPerComponent": 16, "Columns": 16_777_216])
        #expect(try stream(.name("FlateDecode"), data, parms: png).decodedData() == [1, 2, 3, 4])
        let tiff: PDFObject = .dictionary(["Predictor": 2, "Colors": 1, "BitsPerComponent": 4, "Columns": 16_777_216])
        #expect(try stream(.name("FlateDecode"), data, parms: tiff).decodedData().count == 5)
        let bad: PDFObject = .dictionary(["Predictor": 12, "Columns": -1])
        #expect(throws: PDFError.self) { try stream(.name("FlateDecode"), data, parms: bad).decodedData() }
    }

    @Test func asciiFilters() throws {
        #expect(try stream(.name("ASCIIHexDecode"), Array("48 65 6c6C 6f>ignored".utf8)).decodedData() == Array("Hello".utf8))
        #expect(try stream(.name("AHx"), Array("414>".utf8)).decodedData() == [0x41, 0x40])
        #expect(throws: PDFError.self) { try stream(.name("ASCIIHexDecode"), Array("4G>".utf8)).decodedData() }
        let a85 = #"87cURD_*#-6q/;CDfTZ)+Wpab!!"-QDI`~>"#
        #expect(try stream(.name("ASCII85Decode"), Array(a85.utf8)).decodedData() == Array("Hello, PDF world! ".utf8) + [0, 0, 0, 0] + Array(" end".utf8))
        #expect(try stream(.name("ASCII85Decode"), Array("z~>".utf8)).decodedData() == [0, 0, 0, 0])
        #expect(throws: PDFError.self) { try stream(.name("ASCII85Decode"), Array("abc{~>".utf8)).decodedData() }
        #expect(throws: PDFError.self) { try stream(.name("ASCII85Decode"), Array("s8W-\"s~>".utf8)).decodedData() }  // > 2^32
    }

    @Test func runLength() throws {
        let data: [UInt8] = [2, 0x61, 0x62, 0x63, 254, 0x78, 128, 0x99]
        #expect(try stream(.name("RunLengthDecode"), data).decodedData() == Array("abcxxx".utf8))
        #expect(throws: PDFError.self) { try stream(.name("RunLengthDecode"), [5, 1, 2]).decodedData() }
    }

    @Test func lzw() throws {
        // ISO 32000-2 §7.4.4.2 example: 45 45 45 45 45 65 45 45 45 66.
        let encoded: [UInt8] = [0x80, 0x0B, 0x60, 0x50, 0x22, 0x0C, 0x0C, 0x85, 0x01]
        #expect(try stream(.name("LZWDecode"), encoded).decodedData() == [0x2D, 0x2D, 0x2D, 0x2D, 0x2D, 0x41, 0x2D, 0x2D, 0x2D, 0x42])
        #expect(throws: PDFError.self) { try stream(.name("LZWDecode"), [0xFF, 0xFF, 0xFF]).decodedData() }
    }

    @Test func lzwLongInputCrossesCodeWidths() throws {
        // Encode with a straightforward LZW encoder (EarlyChange 1) and check the decoder.
        var input: [UInt8] = []
        var seed: UInt32 = 7
        for _ in 0..<20_000 { seed = seed &* 1_664_525 &+ 1_013_904_223; input.append(UInt8(seed >> 29) + 0x41) }
        let encoded = lzwEncode(input)
        #expect(try stream(.name("LZWDecode"), encoded).decodedData() == input)
    }

    func lzwEncode(_ input: [UInt8]) -> [UInt8] {
        var table: [[UInt8]: Int] = [:]
        func reset() { table = [:]; for i in 0..<256 { table[[UInt8(i)]] = i } }
        reset()
        var next = 258, width = 9
        var bits: [Bool] = []
        func put(_ code: Int) { for k in stride(from: width - 1, through: 0, by: -1) { bits.append(code >> k & 1 == 1) } }
        put(256)
        var w: [UInt8] = []
        for c in input {
            let wc = w + [c]
            if table[wc] != nil { w = wc; continue }
            put(table[w]!)
            table[wc] = next
            next += 1
            if next >= (1 << width) && width < 12 { width += 1 }
            if next >= 4094 { put(256); reset(); next = 258; width = 9 }
            w = [c]
        }
        if !w.isEmpty { put(table[w]!) }
        put(257)
        var out: [UInt8] = []
        var byte: UInt8 = 0
        for (i, bit) in bits.enumerated() {
            byte = byte << 1 | (bit ? 1 : 0)
            if i % 8 == 7 { out.append(byte); byte = 0 }
        }
        if bits.count % 8 != 0 { out.append(byte << UInt8(8 - bits.count % 8)) }
        return out
    }

    @Test func filterChainsAndParmArrays() throws {
        let payload = Array("chained filters".utf8)
        let flate = Array(try PDFStream.flateEncoded(data: payload).rawData)
        let hex = flate.map { ($0 < 16 ? "0" : "") + String($0, radix: 16, uppercase: true) }.joined() + ">"
        let s = stream(.array([.name("ASCIIHexDecode"), .name("FlateDecode")]), Array(hex.utf8), parms: .array([.null, .null]))
        #expect(try s.decodedData() == payload)
    }

    @Test func unsupportedFiltersAreTypedErrors() throws {
        #expect(throws: PDFError.unsupportedFilter("DCTDecode", offset: nil)) { try stream(.name("DCTDecode"), [1, 2]).decodedData() }
        #expect(throws: PDFError.unsupportedFilter("Crypt", offset: nil)) { try stream(.name("Crypt"), [1, 2]).decodedData() }
        #expect(throws: PDFError.self) { try stream(.integer(3), [1]).decodedData() }
        #expect(try stream(nil, [1, 2, 3]).decodedData() == [1, 2, 3])
    }
}
