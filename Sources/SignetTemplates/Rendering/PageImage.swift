/// One page of a contract as a PNG image (8-bit RGB, white background).
public struct PageImage: Sendable, Hashable {
    /// 1-based page number.
    public let page: Int
    /// Width in pixels: the page's width in points × the scale, rounded up.
    public let width: Int
    /// Height in pixels: the page's height in points × the scale, rounded up.
    public let height: Int
    /// The PNG file.
    public let png: [UInt8]

    /// An image of `page`, `width` × `height` pixels, as `png`.
    public init(page: Int, width: Int, height: Int, png: [UInt8]) {
        self.page = page
        self.width = width
        self.height = height
        self.png = png
    }
}

/// A rendered contract with an image of each of its pages, drawn from the layout that
/// produced its PDF (`ContractRenderer.renderPageImages`).
public struct ContractPageImages: Sendable, Hashable {
    /// The contract as `ContractRenderer.render` gives it: its PDF and SHA-256, which a caller
    /// compares with the document it means to show before showing these images.
    public let contract: RenderedContract
    /// Pixels per point (the images are at `scale` × 72 dpi).
    public let scale: Int
    /// One image per page, in page order.
    public let pages: [PageImage]

    /// Images of `contract`'s pages at `scale`.
    public init(contract: RenderedContract, scale: Int, pages: [PageImage]) {
        self.contract = contract
        self.scale = scale
        self.pages = pages
    }
}
