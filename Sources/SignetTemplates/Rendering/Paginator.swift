/// A piece placed on a page: `top` is its y from the top of the page (after its space).
struct PlacedPiece {
    let piece: Piece
    let top: Double
}

/// Breaks pieces into pages: a piece is never cut; chains of `keepWithNext` pieces move to
/// the next page together when they do not fit; space before a piece is dropped at the top of
/// a page; a table continuing on a new page repeats its header row.
enum Paginator {
    static func paginate(_ input: [Piece]) throws(RenderError) -> [[PlacedPiece]] {
        var pieces = input
        var pages: [[PlacedPiece]] = [[]]
        var y = PageGeometry.bodyTop
        let bottom = PageGeometry.bodyBottom + 0.01
        func newPage() {
            pages.append([])
            y = PageGeometry.bodyTop
        }
        var index = 0
        while index < pieces.count {
            let piece = pieces[index]
            let atTop = pages[pages.count - 1].isEmpty
            switch piece.content {
            case .pageBreak:
                if !atTop { newPage() }
                index += 1
                continue
            case .space where atTop:
                index += 1
                continue
            case .row(let row, _, _) where atTop && !row.isHeader:
                if let header = piece.repeatedHeader {
                    // The table continues from the previous page: repeat its header first.
                    var repeated = Piece(.row(header, from: 0, to: header.contentHeight),
                                         height: header.height(from: 0, to: header.contentHeight), keepWithNext: true)
                    repeated.repeatedHeader = nil
                    pieces[index].repeatedHeader = nil
                    pieces.insert(repeated, at: index)
                    continue
                }
            default:
                break
            }
            // The chain of pieces that must stay together, starting here.
            var end = index
            while end + 1 < pieces.count, pieces[end].keepWithNext {
                if case .pageBreak = pieces[end + 1].content { break }
                end += 1
            }
            var groupHeight = 0.0
            for k in index...end {
                groupHeight += (k == index && atTop ? 0 : pieces[k].spaceBefore) + pieces[k].height
            }
            let count: Int
            if y + groupHeight <= bottom {
                count = end - index + 1
            } else if !atTop {
                newPage()
                continue
            } else if piece.height <= PageGeometry.bodyHeight + 0.01 {
                count = 1  // the chain is longer than a page: give up keeping it together
            } else {
                throw .contentTooTall(describe(piece))
            }
            for k in index..<(index + count) {
                let isFirst = pages[pages.count - 1].isEmpty
                let top = y + (isFirst ? 0 : pieces[k].spaceBefore)
                pages[pages.count - 1].append(PlacedPiece(piece: pieces[k], top: top))
                y = top + pieces[k].height
            }
            index += count
        }
        if pages.count > 1, pages[pages.count - 1].isEmpty { pages.removeLast() }
        return pages
    }

    private static func describe(_ piece: Piece) -> String {
        switch piece.content {
        case .signatures: "the signature block"
        case .row: "a table row"
        default: "a line of text"
        }
    }
}
