import CPangoCairo

/// The pixels of a PNG file, decoded by Cairo (libpng): what tests compare page images with
/// (both Signet's and poppler's `pdftoppm -png`), through one decoder.
package struct PNGPixels: Sendable, Hashable {
    /// Width in pixels.
    package let width: Int
    /// Height in pixels.
    package let height: Int
    /// 8-bit R, G, B per pixel, rows top to bottom (transparency composited over white).
    package let rgb: [UInt8]

    /// Decodes `png`.
    ///
    /// - Throws: `RenderError.cairo` when it is not a PNG Cairo can read.
    package init(png: [UInt8]) throws(RenderError) {
        final class Source {
            let bytes: [UInt8]
            var offset = 0
            init(_ bytes: [UInt8]) { self.bytes = bytes }
        }
        let source = Source(png)
        let read: cairo_read_func_t = { closure, data, length in
            guard let closure, let data else { return CAIRO_STATUS_READ_ERROR }
            let source = Unmanaged<Source>.fromOpaque(closure).takeUnretainedValue()
            let count = Int(length)
            guard source.bytes.count - source.offset >= count else { return CAIRO_STATUS_READ_ERROR }
            source.bytes.withUnsafeBufferPointer { buffer in
                data.update(from: buffer.baseAddress! + source.offset, count: count)
            }
            source.offset += count
            return CAIRO_STATUS_SUCCESS
        }
        guard let surface = withExtendedLifetime(source, {
            cairo_image_surface_create_from_png_stream(read, Unmanaged.passUnretained(source).toOpaque())
        }) else { throw .cairo("cairo_image_surface_create_from_png_stream failed") }
        defer { cairo_surface_destroy(surface) }
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else { throw .cairo("PNG: \(String(cString: cairo_status_to_string(status)))") }
        let format = cairo_image_surface_get_format(surface)
        guard format == CAIRO_FORMAT_RGB24 || format == CAIRO_FORMAT_ARGB32, let data = cairo_image_surface_get_data(surface) else {
            throw .cairo("PNG: an image format other than RGB or RGBA")
        }
        let width = Int(cairo_image_surface_get_width(surface))
        let height = Int(cairo_image_surface_get_height(surface))
        let stride = Int(cairo_image_surface_get_stride(surface))
        let opaque = format == CAIRO_FORMAT_RGB24
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        data.withMemoryRebound(to: UInt8.self, capacity: stride * height) { bytes in
            for y in 0..<height {
                let row = UnsafeRawPointer(bytes + y * stride)
                for x in 0..<width {
                    // Native-endian 32-bit pixels, alpha in the high byte, colours premultiplied.
                    let pixel = row.loadUnaligned(fromByteOffset: 4 * x, as: UInt32.self)
                    let white = opaque ? 0 : 255 - Int(pixel >> 24)
                    let out = 3 * (y * width + x)
                    rgb[out] = UInt8(min(255, Int((pixel >> 16) & 0xFF) + white))
                    rgb[out + 1] = UInt8(min(255, Int((pixel >> 8) & 0xFF) + white))
                    rgb[out + 2] = UInt8(min(255, Int(pixel & 0xFF) + white))
                }
            }
        }
        self.width = width
        self.height = height
        self.rgb = rgb
    }
}
