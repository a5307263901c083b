import CPangoCairo

/// Draws paginated pieces, page headers and footers into a PDF, and reports where the
/// signature boxes ended up.
struct PagePainter {
    let manifest: TemplateManifest
    let metadata: ContractMetadata
    let typesetter: Typesetter

    /// Draws every page; returns the signature boxes in PDF user space.
    func paint(_ pages: [[PlacedPiece]], into document: CairoPDFSurface) -> [SignatureBox] {
        var boxes: [SignatureBox] = []
        let header = headerLayouts()
        for (pageIndex, pieces) in pages.enumerated() {
            boxes += paintPage(pageIndex + 1, of: pages.count, pieces, header: header, cairo: document.cairo) { title, page, y in
                document.addOutline(title, page: page, y: y)
            }
            document.showPage()
        }
        let order = manifest.signers.map(\.role)
        return boxes.sorted { (order.firstIndex(of: $0.role) ?? 0) < (order.firstIndex(of: $1.role) ?? 0) }
    }

    /// Draws page `page` (1-based) of `total` into `cairo` (a PDF page, or a page image whose
    /// context maps points to pixels): header, pieces, footer; reports outline entries to
    /// `outline` (title, page, y from the top) and returns the page's signature boxes.
    func paintPage(_ page: Int, of total: Int, _ pieces: [PlacedPiece], header: (title: TextLayout, number: TextLayout),
                   cairo: OpaquePointer, outline: (String, Int, Double) -> Void = { _, _, _ in }) -> [SignatureBox] {
        var boxes: [SignatureBox] = []
        drawHeader(header, cairo: cairo)
        cairo_set_source_rgb(cairo, 0, 0, 0)
        for placed in pieces {
            let left = PageGeometry.marginLeft
            switch placed.piece.content {
            case .line(let layout, let index, let x, let label, let labelX):
                if let label, let first = label.lines.first, let line = layout.lines.first {
                    // The clause number, on the baseline of the clause's first line (drawn
                    // first so that text extraction reads "1.1 …").
                    label.drawLine(0, x: left + labelX, top: placed.top + line.baseline - first.baseline, cairo: cairo)
                }
                layout.drawLine(index, x: left + x, top: placed.top, cairo: cairo)
            case .row(let row, let from, let to):
                row.draw(from: from, to: to, top: placed.top, left: left, cairo: cairo)
            case .signatures(let block):
                block.draw(left: left, top: placed.top, cairo: cairo)
                for party in block.parties {
                    let top = placed.top + party.box.y
                    let rect = PDFRect(x: left + party.box.x, y: PageGeometry.height - top - party.box.height,
                                       width: party.box.width, height: party.box.height)
                    boxes.append(SignatureBox(role: party.role, page: page, rect: rect))
                }
            case .pageBreak, .space:
                break
            }
            if let title = placed.piece.outline {
                outline(title, page, placed.top)
            }
        }
        drawFooter(page: page, of: total, cairo: cairo)
        return boxes
    }

    private var marginStyles: (left: TextStyle, right: TextStyle) {
        var left = ContractStyles.pageMargin
        left.alignment = .left
        var right = ContractStyles.pageMargin
        right.alignment = .right
        return (left, right)
    }

    /// The header's title and contract number, the same on every page.
    func headerLayouts() -> (title: TextLayout, number: TextLayout) {
        let width = PageGeometry.contentWidth
        return (typesetter.layout(StyledText(manifest.displayTitle), style: marginStyles.left, width: width * 0.6),
                typesetter.layout(StyledText(numberLabel), style: marginStyles.right, width: width))
    }

    /// Header: title left, contract number right, a rule under them.
    private func drawHeader(_ layouts: (title: TextLayout, number: TextLayout), cairo: OpaquePointer) {
        let grey = ContractStyles.pageMargin.grey
        cairo_set_source_rgb(cairo, grey, grey, grey)
        drawSingleLine(layouts.title, x: PageGeometry.marginLeft, baseline: PageGeometry.headerBaseline, cairo: cairo)
        drawSingleLine(layouts.number, x: PageGeometry.marginLeft, baseline: PageGeometry.headerBaseline, cairo: cairo)
        rule(at: PageGeometry.headerRule, cairo: cairo)
    }

    /// Footer: a rule, template id@version left, "page X of Y" right.
    private func drawFooter(page: Int, of total: Int, cairo: OpaquePointer) {
        let width = PageGeometry.contentWidth, left = PageGeometry.marginLeft
        let grey = ContractStyles.pageMargin.grey
        cairo_set_source_rgb(cairo, grey, grey, grey)
        rule(at: PageGeometry.footerRule, cairo: cairo)
        let reference = typesetter.layout(StyledText(manifest.reference), style: marginStyles.left, width: width * 0.6)
        let pageLabel = typesetter.layout(StyledText(pageText(page, total)), style: marginStyles.right, width: width)
        drawSingleLine(reference, x: left, baseline: PageGeometry.footerBaseline, cairo: cairo)
        drawSingleLine(pageLabel, x: left, baseline: PageGeometry.footerBaseline, cairo: cairo)
    }

    private func rule(at y: Double, cairo: OpaquePointer) {
        cairo_set_line_width(cairo, 0.5)
        cairo_move_to(cairo, PageGeometry.marginLeft, y)
        cairo_line_to(cairo, PageGeometry.marginLeft + PageGeometry.contentWidth, y)
        cairo_stroke(cairo)
    }

    /// Draws the first line of `layout` with its baseline at `baseline`.
    private func drawSingleLine(_ layout: TextLayout, x: Double, baseline: Double, cairo: OpaquePointer) {
        guard let line = layout.lines.first else { return }
        layout.drawLine(0, x: x, top: baseline - line.baseline, cairo: cairo)
    }

    private var numberLabel: String {
        switch manifest.locale {
        case .chinese: "合同编号：\(metadata.number)"
        case .english: "Contract No. \(metadata.number)"
        case .bilingual: "合同编号 Contract No.：\(metadata.number)"
        }
    }

    private func pageText(_ page: Int, _ total: Int) -> String {
        switch manifest.locale {
        case .chinese: "第 \(page) 页 / 共 \(total) 页"
        case .english: "Page \(page) of \(total)"
        case .bilingual: "第 \(page) 页 / 共 \(total) 页 · Page \(page) of \(total)"
        }
    }
}
