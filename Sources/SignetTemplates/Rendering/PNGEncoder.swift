import SignetPDF

/// Encodes the pixels of a Cairo RGB24 image surface as PNG (ISO/IEC 15948): 8-bit greyscale
/// when every pixel is grey (a contract page's black text on white, anti-aliased in grey), else
/// 8-bit RGB; no filter, zlib at its fastest level. Lossless either way: the decoded pixels are
/// the surface's. About twice as fast as `cairo_surface_write_to_png_stream` (libpng with its
/// default level and adaptive filters) and smaller for grey pages (docs/benchmarks.md, "Page
/// images for the signing page").
enum PNGEncoder {
    /// The PNG of `height` rows of `width` pixels at `pixels` (Cairo RGB24: 32 bits a pixel in
    /// native byte order, blue in the low byte on little-endian, the top byte unused), `stride`
    /// bytes apart.
    static func encode(pixels: UnsafePointer<UInt8>, width: Int, height: Int, stride: Int) throws(RenderError) -> [UInt8] {
        let grey = isGrey(pixels: pixels, width: width, height: height, stride: stride)
        let channels = grey ? 1 : 3
        var scanlines = [UInt8](repeating: 0, count: height * (1 + width * channels))
        scanlines.withUnsafeMutableBufferPointer { out in
            var k = 0
            for y in 0..<height {
                let row = pixels + y * stride
                out[k] = 0  // filter type None
                k += 1
                for x in 0..<width {
                    let pixel = row + x * 4
                    if grey {
                        out[k] = pixel[0]
                        k += 1
                    } else {
                        out[k] = pixel[2]
                        out[k + 1] = pixel[1]
                        out[k + 2] = pixel[0]
                        k += 3
                    }
                }
            }
        }
        let compressed: [UInt8]
        do {
            compressed = try Zlib.deflate(scanlines, level: Zlib.fastest)
        } catch {
            throw .cairo("PNG compression failed: \(error)")
        }
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        var header: [UInt8] = []
        header += bigEndian(UInt32(width))
        header += bigEndian(UInt32(height))
        header += [8, grey ? 0 : 2, 0, 0, 0]  // bit depth, colour type, compression, filter, interlace
        appendChunk("IHDR", header, to: &png)
        appendChunk("IDAT", compressed, to: &png)
        appendChunk("IEND", [], to: &png)
        return png
    }

    /// Whether red, green and blue are equal in every pixel.
    private static func isGrey(pixels: UnsafePointer<UInt8>, width: Int, height: Int, stride: Int) -> Bool {
        for y in 0..<height {
            let row = pixels + y * stride
            for x in 0..<width {
                let pixel = row + x * 4
                if pixel[0] != pixel[1] || pixel[1] != pixel[2] { return false }
            }
        }
        return true
    }

    private static func appendChunk(_ type: String, _ data: [UInt8], to png: inout [UInt8]) {
        let typeBytes = Array(type.utf8)
        png += bigEndian(UInt32(data.count))
        png += typeBytes
        png += data
        let crc = Zlib.crc32(data[...], continuing: Zlib.crc32(typeBytes[...]))
        png += bigEndian(crc)
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }
}
