import CPangoCairo

/// Draws one page onto a Cairo image surface and encodes it as PNG: how page images are made
/// from a contract's own layout (no PDF rasteriser).
///
/// Not thread-safe in what it draws: used inside `FontEnvironmentPool.withEnvironment`, with
/// that environment's layouts.
enum PageRasterizer {
    /// The scales (pixels per point) images are drawn at: 4 is 288 dpi, more than any screen needs.
    static let scales = 1...4

    /// The pixel size of every page image at `scale`: A4 in points times the scale, rounded up
    /// as `pdftoppm` sizes its pages.
    static func pixelSize(scale: Int) -> (width: Int, height: Int) {
        (Int((PageGeometry.width * Double(scale)).rounded(.up)), Int((PageGeometry.height * Double(scale)).rounded(.up)))
    }

    /// A white page of A4 at `scale` pixels per point, drawn by `paint` in points (y down, as
    /// on the PDF page), as PNG.
    static func draw(page: Int, scale: Int, paint: (OpaquePointer) -> Void) throws(RenderError) -> PageImage {
        let (width, height) = pixelSize(scale: scale)
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(width), Int32(height)) else {
            throw .cairo("cairo_image_surface_create failed")
        }
        defer { cairo_surface_destroy(surface) }
        try check(cairo_surface_status(surface))
        guard let cairo = cairo_create(surface) else { throw .cairo("cairo_create failed") }
        defer { cairo_destroy(cairo) }
        cairo_set_source_rgb(cairo, 1, 1, 1)
        cairo_paint(cairo)
        cairo_scale(cairo, Double(scale), Double(scale))
        cairo_set_source_rgb(cairo, 0, 0, 0)
        paint(cairo)
        try check(cairo_status(cairo))
        cairo_surface_flush(surface)
        return PageImage(page: page, width: width, height: height, png: try png(of: surface))
    }

    /// The surface's pixels as PNG (`PNGEncoder`).
    private static func png(of surface: OpaquePointer) throws(RenderError) -> [UInt8] {
        guard let data = cairo_image_surface_get_data(surface) else { throw .cairo("cairo_image_surface_get_data failed") }
        return try PNGEncoder.encode(pixels: UnsafePointer(data), width: Int(cairo_image_surface_get_width(surface)),
                                     height: Int(cairo_image_surface_get_height(surface)),
                                     stride: Int(cairo_image_surface_get_stride(surface)))
    }

    private static func check(_ status: cairo_status_t) throws(RenderError) {
        guard status == CAIRO_STATUS_SUCCESS else { throw .cairo(String(cString: cairo_status_to_string(status))) }
    }
}
