/// A rectangle `[llx lly urx ury]` (§7.9.5), normalised so that `lowerLeft <= upperRight`.
public struct PDFRectangle: Sendable, Hashable {
    /// The lower-left x coordinate (the smaller x).
    public var llx: Double
    /// The lower-left y coordinate (the smaller y).
    public var lly: Double
    /// The upper-right x coordinate (the larger x).
    public var urx: Double
    /// The upper-right y coordinate (the larger y).
    public var ury: Double

    /// A rectangle from two corners, normalised.
    public init(llx: Double, lly: Double, urx: Double, ury: Double) {
        self.llx = min(llx, urx)
        self.lly = min(lly, ury)
        self.urx = max(llx, urx)
        self.ury = max(lly, ury)
    }

    /// A rectangle from a PDF array of four numbers; nil if it is not one.
    public init?(_ object: PDFObject?) {
        guard let items = object?.arrayValue, items.count == 4 else { return nil }
        let values = items.compactMap(\.numberValue)
        guard values.count == 4, values.allSatisfy(\.isFinite) else { return nil }
        self.init(llx: values[0], lly: values[1], urx: values[2], ury: values[3])
    }

    /// `urx - llx`, never negative for a normalised rectangle.
    public var width: Double { urx - llx }
    /// `ury - lly`, never negative for a normalised rectangle.
    public var height: Double { ury - lly }

    /// The rectangle as a PDF array (integers where exact).
    public var object: PDFObject {
        .array([llx, lly, urx, ury].map { v in
            v == v.rounded() && abs(v) < 1e15 ? .integer(Int(v)) : .real(PDFReal(v))
        })
    }
}
