import CPangoCairo

/// The laid-out `@signatures` block: parties side by side (two per row), each with its text
/// lines and its signature box.
final class SignatureLayout {
    struct Party {
        let role: PartyRole
        let x: Double
        let y: Double
        /// Lines before and after the box, each with its top relative to the party's top.
        let texts: [(layout: TextLayout, top: Double)]
        /// The box relative to the block's top-left (y down).
        let box: (x: Double, y: Double, width: Double, height: Double)
    }

    let parties: [Party]
    let height: Double

    init(parties: [SignatureParty], signers: [SignerRole], resolver: ContentResolver,
         typesetter: Typesetter, width: Double) {
        let columns = min(2, max(1, parties.count))
        let gutter = 24.0
        let columnWidth = (width - gutter * Double(columns - 1)) / Double(columns)
        let boxGap = 6.0
        var laidOut: [Party] = []
        var rowTop = 0.0
        var rowHeight = 0.0
        for (index, party) in parties.enumerated() {
            let column = index % columns
            if column == 0, index > 0 {
                rowTop += rowHeight + 18
                rowHeight = 0
            }
            let x = Double(column) * (columnWidth + gutter)
            let signer = signers.first { $0.role == party.role }
            let boxWidth = min(signer?.signatureWidth ?? 180, columnWidth)
            let boxHeight = signer?.signatureHeight ?? 100
            var y = 0.0
            var texts: [(TextLayout, Double)] = []
            var box = (x: x, y: rowTop, width: boxWidth, height: boxHeight)
            for (lineIndex, line) in party.lines.enumerated() {
                if lineIndex == party.boxAfterLine {
                    box = (x, rowTop + y + boxGap, boxWidth, boxHeight)
                    y += boxHeight + 2 * boxGap
                }
                let layout = typesetter.layout(resolver.resolve(line), style: ContractStyles.signature, width: columnWidth)
                texts.append((layout, y))
                y += layout.height
            }
            if party.boxAfterLine >= party.lines.count {
                box = (x, rowTop + y + boxGap, boxWidth, boxHeight)
                y += boxHeight + 2 * boxGap
            }
            laidOut.append(Party(role: party.role, x: x, y: rowTop, texts: texts, box: box))
            rowHeight = max(rowHeight, y)
        }
        self.parties = laidOut
        height = rowTop + rowHeight
    }

    /// Draws the block with its top-left at (`left`, `top`); the boxes get light corner marks.
    func draw(left: Double, top: Double, cairo: OpaquePointer) {
        cairo_set_source_rgb(cairo, 0, 0, 0)
        for party in parties {
            for (layout, lineTop) in party.texts {
                for index in layout.lines.indices {
                    layout.drawLine(index, x: left + party.x, top: top + party.y + lineTop + layout.lines[index].top, cairo: cairo)
                }
            }
            drawCornerMarks(x: left + party.box.x, y: top + party.box.y, width: party.box.width, height: party.box.height, cairo: cairo)
        }
    }

    private func drawCornerMarks(x: Double, y: Double, width: Double, height: Double, cairo: OpaquePointer) {
        let arm = 10.0
        cairo_save(cairo)
        cairo_set_source_rgb(cairo, 0.6, 0.6, 0.6)
        cairo_set_line_width(cairo, 0.6)
        for (cx, cy, dx, dy) in [(x, y, 1.0, 1.0), (x + width, y, -1.0, 1.0), (x, y + height, 1.0, -1.0), (x + width, y + height, -1.0, -1.0)] {
            cairo_move_to(cairo, cx + dx * arm, cy)
            cairo_line_to(cairo, cx, cy)
            cairo_line_to(cairo, cx, cy + dy * arm)
        }
        cairo_stroke(cairo)
        cairo_restore(cairo)
    }
}
