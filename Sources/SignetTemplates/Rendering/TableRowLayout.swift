import CPangoCairo

/// One laid-out table row: cell layouts at their column positions.
final class TableRowLayout {
    let columnX: [Double]
    let columnWidths: [Double]
    let cells: [TextLayout]
    let isHeader: Bool
    let padding: Double
    /// Height of the cell contents (the tallest cell), without padding.
    let contentHeight: Double

    init(cells: [TextLayout], columnX: [Double], columnWidths: [Double], isHeader: Bool, padding: Double) {
        self.cells = cells
        self.columnX = columnX
        self.columnWidths = columnWidths
        self.isHeader = isHeader
        self.padding = padding
        contentHeight = cells.map(\.height).max() ?? 0
    }

    /// Height of the part between `from` and `to` (content y), with padding.
    func height(from: Double, to: Double) -> Double { to - from + 2 * padding }

    /// The largest cut ≤ `limit` (content y, > `from`) that runs between lines in every cell,
    /// or nil when not even one line fits.
    func cut(from: Double, limit: Double) -> Double? {
        var candidate = limit
        var changed = true
        while changed {
            changed = false
            for cell in cells where candidate < cell.height {
                // The bottom of the last line of this cell that ends at or before the candidate.
                let bottom = cell.lines.map { $0.top + $0.height }.filter { $0 <= candidate + 0.001 }.max() ?? 0
                if bottom < candidate - 0.001 {
                    candidate = bottom
                    changed = true
                }
            }
        }
        return candidate > from + 0.001 ? candidate : nil
    }

    /// Draws the part of the row between content y `from` and `to` with its top at `y`.
    func draw(from: Double, to: Double, top y: Double, left: Double, cairo: OpaquePointer) {
        let total = height(from: from, to: to)
        if isHeader {
            cairo_set_source_rgb(cairo, 0.93, 0.93, 0.93)
            cairo_rectangle(cairo, left + columnX[0], y, columnWidths.reduce(0, +), total)
            cairo_fill(cairo)
        }
        cairo_set_source_rgb(cairo, 0, 0, 0)
        for (column, cell) in cells.enumerated() {
            for (index, line) in cell.lines.enumerated() where line.top >= from - 0.001 && line.top + line.height <= to + 0.001 {
                cell.drawLine(index, x: left + columnX[column] + padding, top: y + padding + line.top - from, cairo: cairo)
            }
        }
        cairo_set_line_width(cairo, 0.6)
        cairo_set_source_rgb(cairo, 0.25, 0.25, 0.25)
        for column in columnX.indices {
            cairo_rectangle(cairo, left + columnX[column], y, columnWidths[column], total)
        }
        cairo_stroke(cairo)
        cairo_set_source_rgb(cairo, 0, 0, 0)
    }
}
