import CSignetZlib

/// zlib (RFC 1950) compression for FlateDecode, bounded in output size. `package`: SignetPDF is
/// the one importer of zlib; SignetTemplates compresses its page images' PNG data with it and
/// SignetArchive its ZIP entries (raw deflate, CRC-32).
package enum Zlib {
    /// Inflates a zlib stream. Fails on corrupt or truncated data, or past `limit` bytes.
    package static func inflate(_ input: ArraySlice<UInt8>, limit: Int, offset: Int?) throws -> [UInt8] {
        var stream = z_stream()
        var status = inflateInit_(&stream, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            throw PDFError.decodeFailed(filter: "FlateDecode", reason: "zlib initialisation failed (\(status))", offset: offset)
        }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        output.reserveCapacity(min(limit, max(input.count * 4, 1024)))
        let chunkSize = 64 * 1024
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        return try input.withUnsafeBufferPointer { inBuf -> [UInt8] in
            stream.next_in = UnsafeMutablePointer(mutating: inBuf.baseAddress)
            stream.avail_in = uInt(inBuf.count)
            repeat {
                let produced: Int = chunk.withUnsafeMutableBufferPointer { outBuf in
                    stream.next_out = outBuf.baseAddress
                    stream.avail_out = uInt(chunkSize)
                    status = CSignetZlib.inflate(&stream, Z_NO_FLUSH)
                    return chunkSize - Int(stream.avail_out)
                }
                if produced > 0 {
                    guard output.count + produced <= limit else {
                        throw PDFError.decodedLengthLimitExceeded(limit: limit, offset: offset)
                    }
                    output.append(contentsOf: chunk[0..<produced])
                }
                switch status {
                case Z_OK, Z_STREAM_END:
                    break
                case Z_BUF_ERROR:
                    if stream.avail_in == 0 {
                        throw PDFError.decodeFailed(filter: "FlateDecode", reason: "truncated zlib data", offset: offset)
                    }
                default:
                    let message = stream.msg.map { String(cString: $0) } ?? "error \(status)"
                    throw PDFError.decodeFailed(filter: "FlateDecode", reason: message, offset: offset)
                }
                if status == Z_OK && stream.avail_in == 0 && produced < chunkSize {
                    // Input exhausted without Z_STREAM_END: the data is truncated.
                    throw PDFError.decodeFailed(filter: "FlateDecode", reason: "truncated zlib data", offset: offset)
                }
            } while status != Z_STREAM_END
            return output
        }
    }

    /// zlib's fastest level (1): for images drawn on request, where time matters more than bytes.
    package static let fastest = Z_BEST_SPEED

    /// Compresses with zlib at `level` (0…9; the default level unless given).
    package static func deflate(_ input: [UInt8], level: Int32 = Z_DEFAULT_COMPRESSION) throws -> [UInt8] {
        try compress(input, level: level, windowBits: MAX_WBITS)
    }

    /// Compresses to raw deflate (RFC 1951: no zlib header, no Adler-32 trailer), as ZIP's
    /// method 8 stores it, at `level` (0…9; the default level unless given).
    package static func rawDeflate(_ input: [UInt8], level: Int32 = Z_DEFAULT_COMPRESSION) throws -> [UInt8] {
        try compress(input, level: level, windowBits: -MAX_WBITS)
    }

    /// One-shot deflate; `windowBits` negative for a raw stream (zlib's convention).
    private static func compress(_ input: [UInt8], level: Int32, windowBits: Int32) throws -> [UInt8] {
        var stream = z_stream()
        var status = deflateInit2_(&stream, level, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY,
                                   ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw PDFError.invalidUpdate(reason: "zlib deflateInit failed (\(status))") }
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, uLong(input.count)))
        var output = [UInt8](repeating: 0, count: bound)
        let written: Int = input.withUnsafeBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                stream.next_in = UnsafeMutablePointer(mutating: inBuf.baseAddress)
                stream.avail_in = uInt(inBuf.count)
                stream.next_out = outBuf.baseAddress
                stream.avail_out = uInt(bound)
                status = CSignetZlib.deflate(&stream, Z_FINISH)
                return bound - Int(stream.avail_out)
            }
        }
        guard status == Z_STREAM_END else { throw PDFError.invalidUpdate(reason: "zlib deflate failed (\(status))") }
        output.removeSubrange(written...)
        return output
    }

    /// The CRC-32 (ISO 3309, as PNG chunks and gzip use it) of `bytes`, continuing from `crc`.
    package static func crc32(_ bytes: ArraySlice<UInt8>, continuing crc: UInt32 = 0) -> UInt32 {
        bytes.withUnsafeBufferPointer { buffer in
            UInt32(CSignetZlib.crc32(uLong(crc), buffer.baseAddress, uInt(buffer.count)))
        }
    }
}
