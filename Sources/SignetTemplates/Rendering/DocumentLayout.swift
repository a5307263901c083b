/// Lays out a template body with its values into pieces for pagination.
struct DocumentLayout {
    let manifest: TemplateManifest
    let resolver: ContentResolver
    let typesetter: Typesetter
    /// Every text layout created, kept alive until drawing is done.
    private(set) var layouts: [TextLayout] = []

    init(manifest: TemplateManifest, resolver: ContentResolver, typesetter: Typesetter) {
        self.manifest = manifest
        self.resolver = resolver
        self.typesetter = typesetter
    }

    private var chinese: Bool { manifest.locale != .english }
    private let width = PageGeometry.contentWidth

    mutating func pieces(for body: TemplateBody) -> [Piece] {
        var numbering = Numbering(style: manifest.numbering)
        var pieces: [Piece] = []
        for block in body.blocks {
            switch block {
            case .title(let inline):
                let layout = make(resolver.resolve(inline), ContractStyles.title, width: width)
                pieces += Piece.lines(of: layout, x: 0, spaceBefore: 0, keepLastWithNext: true)
                pieces.append(Piece(.space, height: ContractStyles.titleSpacingAfter, keepWithNext: true))
            case .heading(let inline):
                let label = numbering.nextSection()
                var text = StyledText(label + (chinese ? "\u{3000}" : " "), bold: true)
                text.append(resolver.resolve(inline))
                let layout = make(text, ContractStyles.heading, width: width)
                pieces += Piece.lines(of: layout, x: 0, spaceBefore: ContractStyles.headingSpacing, keepLastWithNext: true,
                                      outline: plain(text))
            case .subheading(let inline):
                let layout = make(resolver.resolve(inline), ContractStyles.subheading, width: width)
                pieces += Piece.lines(of: layout, x: 0, spaceBefore: ContractStyles.paragraphSpacing, keepLastWithNext: true)
            case .clause(let inline):
                pieces += numbered(numbering.nextClause(), inline, indent: 0)
            case .subclause(let inline):
                pieces += numbered(numbering.nextSubclause(), inline, indent: chinese ? 2 * ContractStyles.bodySize : 24)
            case .paragraph(let inline, let alignment):
                var style = ContractStyles.body(alignment)
                let text = resolver.resolve(inline)
                if chinese, alignment == .justified, text.text.first?.isWide == true {
                    style.firstLineIndent = 2 * ContractStyles.bodySize  // 首行缩进两字
                }
                let layout = make(text, style, width: width)
                pieces += Piece.lines(of: layout, x: 0, spaceBefore: ContractStyles.paragraphSpacing,
                                      keepLastWithNext: text.introducesNext)
            case .table(let table):
                pieces += tablePieces(table)
            case .signatures(let parties):
                let layout = SignatureLayout(parties: parties, signers: manifest.signers, resolver: resolver,
                                             typesetter: typesetter, width: width)
                layouts += layout.parties.flatMap { $0.texts.map(\.layout) }
                pieces.append(Piece(.signatures(layout), height: layout.height, spaceBefore: ContractStyles.signatureSpacing))
            case .pageBreak:
                pieces.append(Piece(.pageBreak, height: 0))
            }
        }
        return pieces
    }

    /// A clause: its number in the margin of a hanging indent, then the text.
    private mutating func numbered(_ label: String, _ inline: Inline, indent: Double) -> [Piece] {
        let labelLayout = make(StyledText(label), ContractStyles.body(.left), width: width)
        let hang = max(chinese ? 2.5 * ContractStyles.bodySize : 26, labelLayout.naturalWidth + 0.6 * ContractStyles.bodySize)
        let text = resolver.resolve(inline)
        let layout = make(text, ContractStyles.body(), width: width - indent - hang)
        return Piece.lines(of: layout, x: indent + hang, spaceBefore: ContractStyles.clauseSpacing,
                           keepLastWithNext: text.introducesNext, label: labelLayout, labelX: indent)
    }

    private mutating func tablePieces(_ table: TableBlock) -> [Piece] {
        let totalWeight = Double(table.columnWeights.reduce(0, +))
        var columnX: [Double] = []
        var columnWidths: [Double] = []
        var x = 0.0
        for weight in table.columnWeights {
            let w = width * Double(weight) / totalWeight
            columnX.append(x)
            columnWidths.append(w)
            x += w
        }
        let padding = ContractStyles.tablePadding
        func row(_ cells: [Inline], header: Bool) -> TableRowLayout {
            let layouts = cells.enumerated().map { column, inline in
                var style = header ? ContractStyles.tableHeader : ContractStyles.tableCell
                style.alignment = header ? .center : table.alignments[column]
                return make(resolver.resolve(inline), style, width: columnWidths[column] - 2 * padding)
            }
            return TableRowLayout(cells: layouts, columnX: columnX, columnWidths: columnWidths, isHeader: header, padding: padding)
        }
        var pieces: [Piece] = []
        let header = table.header.map { row($0, header: true) }
        if let header {
            pieces.append(Piece(.row(header, from: 0, to: header.contentHeight), height: header.height(from: 0, to: header.contentHeight),
                                spaceBefore: ContractStyles.tableSpacing, keepWithNext: true))
        }
        // A row taller than a page (a very long value) is cut between lines into slices that
        // each fit a page under the repeated header; every other row stays whole.
        let limit = PageGeometry.bodyHeight - (header.map { $0.height(from: 0, to: $0.contentHeight) } ?? 0) - 2 * padding
        for cells in table.rows {
            let layout = row(cells, header: false)
            var from = 0.0
            while from < layout.contentHeight - 0.001 {
                var to = layout.contentHeight
                if to - from > limit {
                    to = layout.cut(from: from, limit: from + limit) ?? min(layout.contentHeight, from + limit)
                }
                pieces.append(Piece(.row(layout, from: from, to: to), height: layout.height(from: from, to: to),
                                    spaceBefore: pieces.isEmpty ? ContractStyles.tableSpacing : 0, repeatedHeader: header))
                from = to
            }
        }
        pieces.append(Piece(.space, height: ContractStyles.tableSpacing - ContractStyles.paragraphSpacing))
        return pieces
    }

    private mutating func make(_ text: StyledText, _ style: TextStyle, width: Double) -> TextLayout {
        let layout = typesetter.layout(text, style: style, width: width)
        layouts.append(layout)
        return layout
    }

    private func plain(_ text: StyledText) -> String { text.text.split(separator: "\n").joined(separator: " ") }
}

