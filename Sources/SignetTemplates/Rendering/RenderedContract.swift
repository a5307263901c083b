/// A rectangle in PDF user space: points (1/72 inch), origin at the **bottom-left** corner
/// of the page, y growing upwards — the coordinates of a PDF `/Rect`.
public struct PDFRect: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Left edge.
    public let x: Double
    /// Bottom edge (distance from the bottom of the page).
    public let y: Double
    /// Width in points.
    public let width: Double
    /// Height in points.
    public let height: Double

    /// A rectangle with its bottom-left corner at (`x`, `y`).
    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    /// `[x1 y1 x2 y2]` as a PDF rectangle array would list it.
    public var description: String {
        "[\(Self.format(x)) \(Self.format(y)) \(Self.format(x + width)) \(Self.format(y + height))]"
    }

    static func format(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}

/// Where a signer's visible signature goes: a later step places the PAdES signature widget
/// (its `/Rect`) exactly here.
public struct SignatureBox: Sendable, Hashable, Codable {
    /// The signer role from the manifest (`merchant`, `platform`).
    public let role: PartyRole
    /// 1-based page number.
    public let page: Int
    /// The box in PDF user space of that page: points, origin bottom-left, y up.
    public let rect: PDFRect

    /// The box of `role` on `page` (1-based).
    public init(role: PartyRole, page: Int, rect: PDFRect) {
        self.role = role
        self.page = page
        self.rect = rect
    }
}

/// A rendered contract: the PDF and everything needed to sign it and to prove later which
/// template version and values produced it.
public struct RenderedContract: Sendable, Hashable {
    /// The PDF bytes.
    public let pdf: [UInt8]
    /// SHA-256 of `pdf`, lower-case hex: the pre-signing hash.
    public let sha256: String
    /// Number of A4 pages.
    public let pageCount: Int
    /// The id of the template rendered, e.g. `merchant-service-agreement`.
    public let templateID: String
    /// The template's version (from its manifest).
    public let templateVersion: String
    /// The SHA-256 of the template's files (see `TemplateDigest`).
    public let templateDigest: String
    /// The contract number and issue time the PDF was made with.
    public let metadata: ContractMetadata
    /// The validated fill, canonical values by field name.
    public let fields: [String: String]
    /// One box per signer role, in the manifest's signing order.
    public let signatureBoxes: [SignatureBox]

    /// A contract rendered earlier, as a service stored it (its PDF, digest and the render's
    /// facts), so it can be signed without rendering it again.
    public init(pdf: [UInt8], sha256: String, pageCount: Int, templateID: String, templateVersion: String,
                templateDigest: String, metadata: ContractMetadata, fields: [String: String], signatureBoxes: [SignatureBox]) {
        self.pdf = pdf
        self.sha256 = sha256
        self.pageCount = pageCount
        self.templateID = templateID
        self.templateVersion = templateVersion
        self.templateDigest = templateDigest
        self.metadata = metadata
        self.fields = fields
        self.signatureBoxes = signatureBoxes
    }
}
