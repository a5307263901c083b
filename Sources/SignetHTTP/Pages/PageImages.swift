import SignetService

/// The review page's page images: `SignetService.pageImage` at 2× (crisp on a phone), shown
/// at half their pixel size in CSS pixels.
enum PageImages {
    /// Pixels per point of the images served (2 = 144 dpi, one CSS pixel per point at 2×).
    static let scale = 2

    /// The size an `<img>` is shown at when its PNG cannot be read (A4 in points).
    static let fallbackDisplaySize = DisplaySize(width: 595, height: 842)

    /// An `<img>`'s `width` and `height` attributes, in CSS pixels.
    struct DisplaySize: Equatable {
        let width: Int
        let height: Int
    }

    /// The PNG of `page` (1-based) at `scale`.
    static func png(service: SignetService, contractID: String, page: Int) async throws -> [UInt8] {
        try await service.pageImage(contractID: contractID, page: page, scale: scale)
    }

    /// The display size of each of the first `pageCount` pages: the PNG's pixels divided by
    /// `scale` (rounded up). The images are drawn once and cached by the service, so the
    /// browser's requests that follow are served from memory. A page that cannot be drawn
    /// gets `fallbackDisplaySize` here (its image request then gives the error page).
    static func displaySizes(service: SignetService, contractID: String, pageCount: Int) async -> [DisplaySize] {
        var sizes: [DisplaySize] = []
        for page in stride(from: 1, through: pageCount, by: 1) {
            let png = try? await png(service: service, contractID: contractID, page: page)
            let pixels = png.flatMap(pixelSize)
            sizes.append(pixels.map { DisplaySize(width: ($0.width + scale - 1) / scale, height: ($0.height + scale - 1) / scale) }
                ?? fallbackDisplaySize)
        }
        return sizes
    }

    /// Width and height from a PNG's header (signature, then the IHDR chunk), or nil when
    /// `png` does not start like one.
    static func pixelSize(_ png: [UInt8]) -> (width: Int, height: Int)? {
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        guard png.count >= 24, Array(png[0..<8]) == signature, Array(png[12..<16]) == Array("IHDR".utf8) else { return nil }
        func int(_ offset: Int) -> Int { png[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) } }
        return (int(16), int(20))
    }
}
