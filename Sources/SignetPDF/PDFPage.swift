/// A page of the document with the attributes it inherits from the page tree (§7.7.3.4).
public struct PDFPage: Sendable, Equatable {
    /// 0-based position in the page tree.
    public let index: Int
    /// The page object.
    public let reference: PDFReference
    /// The page dictionary as stored (without inherited entries).
    public let dictionary: PDFDictionary
    /// `/MediaBox`, own or inherited (required; nil only in a malformed file).
    public let mediaBox: PDFRectangle?
    /// `/CropBox`, own or inherited; nil means the media box.
    public let cropBox: PDFRectangle?
    /// `/Rotate`, own or inherited, normalised to 0, 90, 180 or 270.
    public let rotation: Int
    /// `/Resources`, own or inherited, as written (a dictionary or a reference), or nil.
    public let resources: PDFObject?

    /// The visible area: the crop box, else the media box.
    public var visibleBox: PDFRectangle? { cropBox ?? mediaBox }
}
