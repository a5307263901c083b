import CZlib

/// zlib (RFC 1950) compression for FlateDecode, bounded in output size.
enum Zlib {
    /// Inflates a zlib stream. Fails on corrupt or truncated data, or past `limit` bytes.
    static func inflate(_ input: ArraySlice<UInt8>, limit: Int, offset: Int?) throws -> [UInt8] {
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
                    status = CZlib.inflate(&stream, Z_NO_FLUSH)
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

    /// Compresses with zlib at the default level.
    static func deflate(_ input: [UInt8]) throws -> [UInt8] {
        var stream = z_stream()
        var status = deflateInit_(&stream, Z_DEFAULT_COMPRESSION, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
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
                status = CZlib.deflate(&stream, Z_FINISH)
                return bound - Int(stream.avail_out)
            }
        }
        guard status == Z_STREAM_END else { throw PDFError.invalidUpdate(reason: "zlib deflate failed (\(status))") }
        output.removeSubrange(written...)
        return output
    }
}
