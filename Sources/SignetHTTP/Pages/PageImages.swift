import HTTPTypes
import SignetService

/// The review page's page images: `SignetService.pageImage` (svc-raster) at 2× (crisp on a
/// phone), shown at A4's size in CSS pixels.
enum PageImages {
    /// A4 at 72 dpi: the `<img>` width and height in CSS pixels (the PNG has twice as many).
    static let displaySize = (width: 595, height: 842)

    /// The PNG of `page`, or a 404 page until the rasteriser is merged.
    static func png(service: SignetService, contractID: String, page: Int) async throws -> [UInt8] {
        throw PageError(.notFound, "not_found")
    }
}
