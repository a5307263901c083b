import Testing
@testable import SignetTemplates

/// Signet's PNG encoder against libpng (Cairo's PNG reader, `PNGPixels`): the decoded pixels
/// are exactly the ones encoded, in greyscale and in colour, with rows padded as Cairo pads them.
@Suite("PNG encoder")
struct PNGEncoderTests {
    /// A Cairo RGB24 buffer (B, G, R, unused per pixel on little-endian) with `stride` bytes a row.
    private static func pixels(width: Int, height: Int, stride: Int, colour: Bool) -> [UInt8] {
        var bytes = [UInt8](repeating: 0xEE, count: stride * height)  // padding and the unused byte: junk
        for y in 0..<height {
            for x in 0..<width {
                let grey = UInt8((x * 37 + y * 11) % 256)
                let offset = y * stride + x * 4
                bytes[offset] = grey
                bytes[offset + 1] = grey
                bytes[offset + 2] = colour && x == width - 1 && y == height - 1 ? 200 : grey
            }
        }
        return bytes
    }

    private static func expectedRGB(_ bytes: [UInt8], width: Int, height: Int, stride: Int) -> [UInt8] {
        var rgb: [UInt8] = []
        for y in 0..<height {
            for x in 0..<width {
                let offset = y * stride + x * 4
                rgb += [bytes[offset + 2], bytes[offset + 1], bytes[offset]]
            }
        }
        return rgb
    }

    @Test("Grey pixels become an 8-bit greyscale PNG, one red pixel an RGB one; libpng decodes the same pixels",
          arguments: [false, true])
    func roundTrip(colour: Bool) throws {
        let (width, height, stride) = (37, 23, 37 * 4 + 12)
        let bytes = Self.pixels(width: width, height: height, stride: stride, colour: colour)
        let png = try bytes.withUnsafeBufferPointer { buffer in
            try PNGEncoder.encode(pixels: buffer.baseAddress!, width: width, height: height, stride: stride)
        }
        #expect(png[25] == (colour ? 2 : 0), "colour type in IHDR")
        let decoded = try PNGPixels(png: png)
        #expect(decoded.width == width && decoded.height == height)
        #expect(decoded.rgb == Self.expectedRGB(bytes, width: width, height: height, stride: stride))
    }
}
