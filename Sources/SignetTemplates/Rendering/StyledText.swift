/// Text with bold ranges, ready for Pango (ranges in UTF-8 bytes, as Pango counts).
struct StyledText: Hashable {
    private(set) var text = ""
    private(set) var boldRanges: [Range<Int>] = []

    init() {}
    init(_ text: String, bold: Bool = false) { append(text, bold: bold) }

    mutating func append(_ piece: String, bold: Bool = false) {
        guard !piece.isEmpty else { return }
        let start = text.utf8.count
        text += piece
        if bold { boldRanges.append(start..<text.utf8.count) }
    }

    mutating func append(_ other: StyledText) {
        let offset = text.utf8.count
        text += other.text
        boldRanges += other.boldRanges.map { ($0.lowerBound + offset)..<($0.upperBound + offset) }
    }

    var isEmpty: Bool { text.isEmpty }

    /// Whether the text ends in a colon, i.e. introduces what follows (a table, a list), and so
    /// should stay on the same page as its start.
    var introducesNext: Bool { text.last == "：" || text.last == ":" }
}

/// Font, size and paragraph settings of one kind of text.
struct TextStyle: Hashable {
    var family: String
    var size: Double
    var bold = false
    /// Height of one line box as a multiple of `size`.
    var leading: Double = 1.6
    var alignment: BodyBlock.Alignment = .justified
    /// Indent of the first line (Chinese paragraphs: two characters).
    var firstLineIndent: Double = 0
    /// Grey level of the text, 0 black.
    var grey: Double = 0
}
