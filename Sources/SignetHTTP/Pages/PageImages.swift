import SignetService
import SignetTemplates

/// The review page's page images: `SignetService.pageImage` at 2× (crisp on a phone), shown
/// at half their pixel size in CSS pixels.
enum PageImages {
    /// Pixels per point of the images served (2 = 144 dpi, one CSS pixel per point at 2×).
    static let scale = 2

    /// An `<img>`'s `width` and `height` attributes, in CSS pixels.
    struct DisplaySize: Equatable {
        let width: Int
        let height: Int
    }

    /// The PNG of `page` (1-based) at `scale`.
    static func png(service: SignetService, contractID: String, page: Int) async throws -> [UInt8] {
        try await service.pageImage(contractID: contractID, page: page, scale: scale)
    }

    /// The display size of every page: the images' pixel size (A4 at `scale`, known without
    /// drawing them) divided by `scale`, rounded up. The review page answers at once; the
    /// browser's image requests then draw the pages (all at once, cached by the service).
    static var displaySize: DisplaySize {
        let pixels = ContractRenderer.pageImagePixelSize(scale: scale)
        return DisplaySize(width: (pixels.width + scale - 1) / scale, height: (pixels.height + scale - 1) / scale)
    }
}
