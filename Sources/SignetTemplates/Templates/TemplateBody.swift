/// A parsed template body: the blocks of the contract in order (see docs/templates.md).
public struct TemplateBody: Sendable, Hashable {
    /// The blocks, in document order.
    public let blocks: [BodyBlock]

    /// A body made of `blocks`.
    public init(blocks: [BodyBlock]) { self.blocks = blocks }

    /// Every placeholder of the body, in order of appearance.
    public var placeholders: [Placeholder] {
        blocks.flatMap(\.inlines).flatMap(\.runs).compactMap {
            if case .placeholder(let placeholder, _) = $0 { placeholder } else { nil }
        }
    }
}

/// One block of a body.
public enum BodyBlock: Sendable, Hashable {
    /// `# ...`: the document title, centred.
    case title(Inline)
    /// `## ...`: a numbered section heading (第一条 / 1.).
    case heading(Inline)
    /// `### ...`: an unnumbered sub-heading.
    case subheading(Inline)
    /// `+ ...`: a numbered clause (1.1) of the current section.
    case clause(Inline)
    /// `++ ...`: a numbered sub-clause（一）/ (a) of the current clause.
    case subclause(Inline)
    /// A paragraph of running text.
    case paragraph(Inline, Alignment)
    /// `| ... |` rows.
    case table(TableBlock)
    /// `@signatures ... @end`: the parties' signature blocks, kept together on one page.
    case signatures([SignatureParty])
    /// `@pagebreak`.
    case pageBreak

    /// Horizontal alignment of a paragraph.
    public enum Alignment: String, Sendable, Hashable {
        /// Both edges straight (running text).
        case justified
        /// Ragged right (table cells by default).
        case left
        case right, center
    }

    var inlines: [Inline] {
        switch self {
        case .title(let i), .heading(let i), .subheading(let i), .clause(let i), .subclause(let i), .paragraph(let i, _): [i]
        case .table(let table): (table.header ?? []) + table.rows.flatMap { $0 }
        case .signatures(let parties): parties.flatMap(\.lines)
        case .pageBreak: []
        }
    }
}

/// Running text: literal runs, placeholders and line breaks, each bold or not.
public struct Inline: Sendable, Hashable {
    /// The runs, in order.
    public let runs: [InlineRun]

    /// Text made of `runs`.
    public init(_ runs: [InlineRun]) { self.runs = runs }
}

/// A piece of running text.
public enum InlineRun: Sendable, Hashable {
    /// Literal text; `bold` from `**...**`.
    case text(String, bold: Bool)
    /// `{{name}}` or `{{name:format}}`.
    case placeholder(Placeholder, bold: Bool)
    /// A forced line break (a body line ending in `\`).
    case lineBreak
}

/// A `{{name}}` / `{{name:format}}` in the body.
public struct Placeholder: Sendable, Hashable {
    /// A field name, or a built-in (`contract.number`, `contract.date`, `template.id`, `template.version`).
    public let name: String
    /// `zh`/`en` (language of dates, amounts, option labels), `upper` (Chinese capital
    /// amount, CNY only), `raw` (canonical value).
    public let format: PlaceholderFormat?
    /// Body line, for error messages.
    public let line: Int

    /// A placeholder for `name` (a field or built-in) found on body line `line`.
    public init(name: String, format: PlaceholderFormat?, line: Int) {
        self.name = name
        self.format = format
        self.line = line
    }

    /// The built-in placeholders every body may use.
    public static let builtIns: Set<String> = ["contract.number", "contract.date", "template.id", "template.version"]
}

/// How a placeholder prints its value.
public enum PlaceholderFormat: String, Sendable, Hashable, CaseIterable {
    /// Format in Chinese (dates 2025年3月1日, amounts 人民币1,234.50元).
    case zh
    /// Format in English (1 March 2025, CNY 1,234.50).
    case en
    /// Chinese capital amount (壹仟贰佰叁拾肆元伍角整); money fields in CNY only.
    case upper
    /// The canonical value (2025-03-01, CNY 1234.50, option value).
    case raw
}

/// A table: relative column widths, alignments, an optional header row and body rows.
public struct TableBlock: Sendable, Hashable {
    /// Relative widths (the number of dashes of each separator cell).
    public let columnWeights: [Int]
    /// Alignment of each column.
    public let alignments: [BodyBlock.Alignment]
    /// The header row, if the table has one (repeated on continuation pages).
    public let header: [Inline]?
    /// Body rows; every row has one cell per column.
    public let rows: [[Inline]]

    /// A table from its parts.
    public init(columnWeights: [Int], alignments: [BodyBlock.Alignment], header: [Inline]?, rows: [[Inline]]) {
        self.columnWeights = columnWeights
        self.alignments = alignments
        self.header = header
        self.rows = rows
    }
}

/// One party's part of a signature block: its text lines and where its signature box goes.
public struct SignatureParty: Sendable, Hashable {
    /// The signer role whose box this is.
    public let role: PartyRole
    /// The party's lines (name, "盖章", date …), printed above and below the box.
    public let lines: [Inline]
    /// The box comes after this many lines (`@box`; default: after all of them).
    public let boxAfterLine: Int

    /// A party block for `role`.
    public init(role: PartyRole, lines: [Inline], boxAfterLine: Int) {
        self.role = role
        self.lines = lines
        self.boxAfterLine = boxAfterLine
    }
}
