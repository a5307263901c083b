/// The unit of pagination: something that is never cut by a page break (one text line, one
/// table row, a whole signature block).
struct Piece {
    enum Content {
        /// Line `index` of a text layout, drawn `x` points right of the left margin; a clause's
        /// first line also draws its number `label` at `labelX`.
        case line(TextLayout, index: Int, x: Double, label: TextLayout? = nil, labelX: Double = 0)
        /// A table row, or the part of a row between `from` and `to` (content y) when the row
        /// alone is taller than a page.
        case row(TableRowLayout, from: Double, to: Double)
        case signatures(SignatureLayout)
        /// `@pagebreak`.
        case pageBreak
        /// Vertical space that draws nothing (dropped at the top of a page).
        case space
    }

    var content: Content
    var height: Double
    /// Space above, dropped at the top of a page.
    var spaceBefore: Double
    /// Keep on the same page as the next piece (headings, orphan and widow lines, the
    /// header row of a table with its first row).
    var keepWithNext: Bool
    /// For table rows: the header row to repeat when the table continues on a new page.
    var repeatedHeader: TableRowLayout?
    /// A bookmark to add where the piece is placed.
    var outline: String?

    init(_ content: Content, height: Double, spaceBefore: Double = 0, keepWithNext: Bool = false,
         repeatedHeader: TableRowLayout? = nil, outline: String? = nil) {
        self.content = content
        self.height = height
        self.spaceBefore = spaceBefore
        self.keepWithNext = keepWithNext
        self.repeatedHeader = repeatedHeader
        self.outline = outline
    }

    /// The pieces of a text layout: one per line; the first two and last two lines stay
    /// together (no orphans, no widows), and `keepLastWithNext` chains the block to the next.
    static func lines(of layout: TextLayout, x: Double, spaceBefore: Double, keepLastWithNext: Bool = false,
                      outline: String? = nil, label: TextLayout? = nil, labelX: Double = 0) -> [Piece] {
        let count = layout.lines.count
        return layout.lines.indices.map { index in
            let orphan = index == 0 && count > 1
            let widow = index == count - 2
            let content = Content.line(layout, index: index, x: x, label: index == 0 ? label : nil, labelX: labelX)
            return Piece(content, height: layout.lines[index].height,
                         spaceBefore: index == 0 ? spaceBefore : 0,
                         keepWithNext: orphan || widow || (index == count - 1 && keepLastWithNext),
                         outline: index == 0 ? outline : nil)
        }
    }
}
