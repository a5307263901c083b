/// PNG (10...15) and TIFF (2) predictors for FlateDecode and LZWDecode (§7.4.4.4).
enum Predictor {
    static func undo(_ data: [UInt8], parms: PDFDictionary?, filter: PDFName, offset: Int?) throws -> [UInt8] {
        guard let parms else { return data }
        let predictor = parms[PDFName("Predictor")]?.integerValue ?? 1
        if predictor == 1 { return data }
        let colors = parms[PDFName("Colors")]?.integerValue ?? 1
        let bpc = parms[PDFName("BitsPerComponent")]?.integerValue ?? 8
        let columns = parms[PDFName("Columns")]?.integerValue ?? 1
        guard (1...32).contains(colors), [1, 2, 4, 8, 16].contains(bpc), (1...(1 << 24)).contains(columns) else {
            throw PDFError.decodeFailed(filter: filter, reason: "invalid predictor parameters", offset: offset)
        }
        let bitsPerPixel = colors * bpc
        // Rows longer than the data decode the same as one partial row: clamp, so hostile
        // /Columns cannot make us allocate more than the data.
        let effectiveColumns = min(columns, data.count * 8 / bitsPerPixel + 1)
        let rowLength = (effectiveColumns * bitsPerPixel + 7) / 8
        let bytesPerPixel = max(1, (bitsPerPixel + 7) / 8)
        switch predictor {
        case 2: return tiff(data, rowLength: rowLength, colors: colors, bpc: bpc, columns: effectiveColumns)
        case 10...15: return try png(data, rowLength: rowLength, bpp: bytesPerPixel, filter: filter, offset: offset)
        default: throw PDFError.decodeFailed(filter: filter, reason: "unknown /Predictor \(predictor)", offset: offset)
        }
    }

    /// PNG: each row is a filter-type byte then `rowLength` bytes. A short final row is
    /// decoded as far as it goes (common in real files).
    static func png(_ data: [UInt8], rowLength: Int, bpp: Int, filter: PDFName, offset: Int?) throws -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(data.count)
        var previous = [UInt8](repeating: 0, count: rowLength)
        var row = [UInt8](repeating: 0, count: rowLength)
        var p = 0
        while p < data.count {
            let type = data[p]
            p += 1
            let n = min(rowLength, data.count - p)
            for i in 0..<n { row[i] = data[p + i] }
            for i in n..<rowLength { row[i] = 0 }
            p += n
            switch type {
            case 0: break
            case 1: for i in bpp..<max(bpp, rowLength) { row[i] = row[i] &+ row[i - bpp] }
            case 2: for i in 0..<rowLength { row[i] = row[i] &+ previous[i] }
            case 3:
                for i in 0..<rowLength {
                    let left = i >= bpp ? Int(row[i - bpp]) : 0
                    row[i] = row[i] &+ UInt8((left + Int(previous[i])) / 2)
                }
            case 4:
                for i in 0..<rowLength {
                    let a = i >= bpp ? Int(row[i - bpp]) : 0
                    let b = Int(previous[i])
                    let c = i >= bpp ? Int(previous[i - bpp]) : 0
                    let pa = abs(b - c), pb = abs(a - c), pc = abs(a + b - 2 * c)
                    let pred = (pa <= pb && pa <= pc) ? a : (pb <= pc ? b : c)
                    row[i] = row[i] &+ UInt8(pred)
                }
            default:
                throw PDFError.decodeFailed(filter: filter, reason: "invalid PNG predictor row type \(type)", offset: offset)
            }
            output.append(contentsOf: row[0..<n])
            swap(&previous, &row)
        }
        return output
    }

    /// TIFF predictor 2: horizontal differencing per component.
    static func tiff(_ data: [UInt8], rowLength: Int, colors: Int, bpc: Int, columns: Int) -> [UInt8] {
        var output = data
        var rowStart = 0
        while rowStart < output.count {
            let rowEnd = min(rowStart + rowLength, output.count)
            switch bpc {
            case 8:
                var i = rowStart + colors
                while i < rowEnd {
                    output[i] = output[i] &+ output[i - colors]
                    i += 1
                }
            case 16:
                var i = rowStart + 2 * colors
                while i + 1 < rowEnd {
                    let prev = UInt16(output[i - 2 * colors]) << 8 | UInt16(output[i - 2 * colors + 1])
                    let cur = UInt16(output[i]) << 8 | UInt16(output[i + 1])
                    let sum = cur &+ prev
                    output[i] = UInt8(sum >> 8)
                    output[i + 1] = UInt8(sum & 0xFF)
                    i += 2
                }
            default:
                // 1, 2 or 4 bits per component: work on unpacked samples.
                let mask = (1 << bpc) - 1
                let samplesPerRow = columns * colors
                var samples = [Int](repeating: 0, count: samplesPerRow)
                for s in 0..<samplesPerRow {
                    let bit = s * bpc
                    let byteIndex = rowStart + bit / 8
                    guard byteIndex < rowEnd else { break }
                    let shift = 8 - bpc - bit % 8
                    samples[s] = (Int(output[byteIndex]) >> shift) & mask
                }
                for s in colors..<max(colors, samplesPerRow) { samples[s] = (samples[s] + samples[s - colors]) & mask }
                for i in rowStart..<rowEnd { output[i] = 0 }
                for s in 0..<samplesPerRow {
                    let bit = s * bpc
                    let byteIndex = rowStart + bit / 8
                    guard byteIndex < rowEnd else { break }
                    let shift = 8 - bpc - bit % 8
                    output[byteIndex] |= UInt8(samples[s] << shift)
                }
            }
            rowStart += rowLength
        }
        return output
    }
}
