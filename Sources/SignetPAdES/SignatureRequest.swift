public import FoundationEssentials

/// A visible signature: where the widget goes and what it shows.
public struct VisibleSignature: Sendable, Hashable {
    /// 1-based page number.
    public var page: Int
    /// Widget rectangle in the page's default user space (points, origin bottom-left):
    /// x, y of the lower-left corner, width, height.
    public var x: Double, y: Double, width: Double, height: Double
    /// A one-page PDF whose page is drawn, scaled to fit, as the widget's appearance
    /// (e.g. `SealAppearance` output from SignetTemplates).
    public var appearancePDF: [UInt8]

    /// A widget on `page` (1-based) at `x`, `y` (lower-left corner, points) of `width` × `height`, showing the
    /// page of `appearancePDF`.
    public init(page: Int, x: Double, y: Double, width: Double, height: Double, appearancePDF: [UInt8]) {
        self.page = page
        self.x = x
        self.y = y
        self.width = width
        self.height = height
        self.appearancePDF = appearancePDF
    }
}

/// What the signature dictionary claims, beside the CMS.
public struct SignatureMetadata: Sendable, Hashable {
    /// The claimed signing time, written to `/M` (PAdES forbids a CMS signing-time).
    public var signingTime: Date
    /// `/Name`: the signer as shown by viewers.
    public var signerName: String?
    /// `/Reason`.
    public var reason: String?
    /// `/Location`.
    public var location: String?
    /// `/ContactInfo`.
    public var contactInfo: String?

    /// The claims to write; the signing time defaults to now, the rest to absent.
    public init(signingTime: Date = Date(), signerName: String? = nil, reason: String? = nil,
                location: String? = nil, contactInfo: String? = nil) {
        self.signingTime = signingTime
        self.signerName = signerName
        self.reason = reason
        self.location = location
        self.contactInfo = contactInfo
    }
}

/// Where and how a signature is placed in the document.
public struct SignatureRequest: Sendable, Hashable {
    /// The signature field to fill (an existing empty one) or create. Nil: a new field
    /// named `Signature1`, `Signature2`, ... (the first free name).
    public var fieldName: String?
    /// The visible widget; nil for an invisible signature.
    public var visible: VisibleSignature?
    /// The signature dictionary's claims.
    public var metadata: SignatureMetadata

    /// A request; by default an invisible signature in a new field named `SignatureN`, signed now.
    public init(fieldName: String? = nil, visible: VisibleSignature? = nil, metadata: SignatureMetadata = SignatureMetadata()) {
        self.fieldName = fieldName
        self.visible = visible
        self.metadata = metadata
    }
}
