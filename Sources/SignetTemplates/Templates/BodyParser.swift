import FoundationEssentials

/// Parses body markup (docs/templates.md) into blocks, collecting every problem with its line.
struct BodyParser {
    private var blocks: [BodyBlock] = []
    private var problems: [BodyProblem] = []
    private var pending: PendingText?
    private var tableRows: [(cells: [String], line: Int)] = []
    private var signatures: [SignatureParty]?
    private var party: (role: String, lines: [Inline], box: Int?, line: Int)?
    private var signaturesLine = 0

    /// Characters that a backslash makes literal.
    static let escapable: Set<Character> = ["\\", "{", "}", "*", "|", "#", "+", ">", ":", "@", "%"]

    private enum Kind {
        case title, heading, subheading, clause, subclause, paragraph(BodyBlock.Alignment)
    }

    private struct PendingText {
        let kind: Kind
        let line: Int
        var text: String
        var hardBreak: Bool

        /// Paragraphs and clauses continue on following lines; titles and headings only
        /// after a line ending in `\`.
        var continuesWithoutMarker: Bool {
            switch kind {
            case .title, .heading, .subheading: hardBreak
            case .clause, .subclause, .paragraph: true
            }
        }
    }

    /// The body, or every problem found.
    static func parse(_ source: String) -> (body: TemplateBody?, problems: [BodyProblem]) {
        var parser = BodyParser()
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() {
            parser.consume(String(line), number: index + 1)
        }
        parser.finish(lastLine: lines.count)
        if parser.blocks.isEmpty, parser.problems.isEmpty {
            parser.problems.append(BodyProblem(line: 1, message: "the body is empty"))
        }
        return parser.problems.isEmpty ? (TemplateBody(blocks: parser.blocks), []) : (nil, parser.problems)
    }

    private mutating func problem(_ line: Int, _ message: String) {
        problems.append(BodyProblem(line: line, message: message))
    }

    private mutating func consume(_ rawLine: String, number: Int) {
        if rawLine.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\t" }) {
            problem(number, "contains a control character (the body must be UTF-8 text with LF line endings)")
            return
        }
        let line = rawLine.trimmingTrailingWhitespace()
        let trimmed = line.trimmingWhitespace()
        if trimmed.hasPrefix("%%") { return }
        if signatures != nil {
            consumeSignatureLine(trimmed, number: number)
            return
        }
        if trimmed.isEmpty {
            flushText()
            flushTable()
            return
        }
        if line.hasPrefix("|") {
            flushText()
            tableRows.append((splitCells(line, number: number), number))
            return
        }
        flushTable()
        if line.hasPrefix("@") {
            flushText()
            switch trimmed {
            case "@pagebreak": blocks.append(.pageBreak)
            case "@signatures":
                signatures = []
                signaturesLine = number
            default: problem(number, "unknown directive '\(trimmed)' (use @pagebreak, @signatures)")
            }
            return
        }
        let markers: [(String, Kind)] = [("### ", .subheading), ("## ", .heading), ("# ", .title), ("++ ", .subclause),
                                         ("+ ", .clause), (">> ", .paragraph(.right)), (":: ", .paragraph(.center))]
        for (marker, kind) in markers where line.hasPrefix(marker) {
            flushText()
            start(kind, text: String(line.dropFirst(marker.count)), line: number)
            return
        }
        if ["#", "##", "###", "+", "++", ">>", "::"].contains(trimmed) {
            problem(number, "'\(trimmed)' needs text after it")
            return
        }
        if let first = line.first, "#+".contains(first), !line.hasPrefix("\\") {
            problem(number, "a line starting with '\(first)' must be a marker followed by a space; write \\\(first) for a literal '\(first)'")
            return
        }
        if let current = pending, current.continuesWithoutMarker {
            append(line.trimmingWhitespace())
        } else {
            flushText()
            start(.paragraph(.justified), text: line.trimmingWhitespace(), line: number)
        }
    }

    private mutating func start(_ kind: Kind, text: String, line: Int) {
        pending = PendingText(kind: kind, line: line, text: "", hardBreak: false)
        append(text.trimmingWhitespace())
    }

    /// Adds one source line to the pending block, joining Chinese without a space.
    private mutating func append(_ segment: String) {
        guard var current = pending else { return }
        var text = segment
        let trailingBackslashes = text.reversed().prefix(while: { $0 == "\\" }).count
        let breaksAfter = trailingBackslashes % 2 == 1
        if breaksAfter { text.removeLast() }
        if !current.text.isEmpty {
            if current.hardBreak {
                current.text += "\n"
            } else if let last = current.text.last, let first = text.first, !(last.isWide && first.isWide) {
                current.text += " "
            }
        }
        current.text += text
        current.hardBreak = breaksAfter
        pending = current
    }

    private mutating func flushText() {
        guard let current = pending else { return }
        pending = nil
        guard let inline = parseInline(current.text, line: current.line) else { return }
        switch current.kind {
        case .title: blocks.append(.title(inline))
        case .heading: blocks.append(.heading(inline))
        case .subheading: blocks.append(.subheading(inline))
        case .clause: blocks.append(.clause(inline))
        case .subclause: blocks.append(.subclause(inline))
        case .paragraph(let alignment): blocks.append(.paragraph(inline, alignment))
        }
    }

    private mutating func finish(lastLine: Int) {
        flushText()
        flushTable()
        if signatures != nil {
            problem(signaturesLine, "@signatures is never closed with @end")
            signatures = nil
        }
    }

    // MARK: Tables

    private mutating func splitCells(_ line: String, number: Int) -> [String] {
        guard line.hasSuffix("|"), line.count >= 2 else {
            problem(number, "a table row must start and end with '|'")
            return []
        }
        var cells: [String] = []
        var cell = ""
        var escaped = false
        for character in line.dropFirst() {
            if escaped {
                cell.append("\\")
                cell.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "|" {
                cells.append(cell.trimmingWhitespace())
                cell = ""
            } else {
                cell.append(character)
            }
        }
        return cells
    }

    private static func separatorCell(_ cell: String) -> (weight: Int, alignment: BodyBlock.Alignment)? {
        var body = Substring(cell)
        let left = body.hasPrefix(":"), right = body.hasSuffix(":") && body.count > 1
        if left { body = body.dropFirst() }
        if right { body = body.dropLast() }
        guard !body.isEmpty, body.allSatisfy({ $0 == "-" }) else { return nil }
        let alignment: BodyBlock.Alignment = left && right ? .center : right ? .right : .left
        return (body.count, alignment)
    }

    private mutating func flushTable() {
        guard !tableRows.isEmpty else { return }
        let rows = tableRows
        tableRows = []
        guard rows.allSatisfy({ !$0.cells.isEmpty }) else { return }
        let columns = rows[0].cells.count
        var ok = true
        for row in rows where row.cells.count != columns {
            problem(row.line, "this row has \(row.cells.count) cells, the table's first row has \(columns)")
            ok = false
        }
        let separators = rows.enumerated().filter { $0.element.cells.allSatisfy { Self.separatorCell($0) != nil } }
        for (index, row) in separators where index != 1 {
            problem(row.line, "a separator row (|---|) may only come second, under the header row")
            ok = false
        }
        guard ok else { return }
        var weights = Array(repeating: 1, count: columns)
        var alignments = Array(repeating: BodyBlock.Alignment.left, count: columns)
        var header: [Inline]?
        var bodyRows = rows[...]
        if rows.count >= 2, let spec = Optional(rows[1].cells.compactMap(Self.separatorCell)), spec.count == columns {
            weights = spec.map(\.weight)
            alignments = spec.map(\.alignment)
            header = rows[0].cells.compactMap { parseInline($0, line: rows[0].line) }
            bodyRows = rows.dropFirst(2)
        }
        var parsedRows: [[Inline]] = []
        for row in bodyRows {
            let cells = row.cells.compactMap { parseInline($0, line: row.line) }
            if cells.count == columns { parsedRows.append(cells) }
        }
        if parsedRows.isEmpty, header == nil { return }
        blocks.append(.table(TableBlock(columnWeights: weights, alignments: alignments, header: header, rows: parsedRows)))
    }

    // MARK: Signature blocks

    private mutating func consumeSignatureLine(_ line: String, number: Int) {
        if line.isEmpty { return }
        if line == "@end" {
            flushParty()
            let parties = signatures ?? []
            signatures = nil
            if parties.isEmpty {
                problem(signaturesLine, "@signatures needs at least one @party")
            } else {
                blocks.append(.signatures(parties))
            }
            return
        }
        if line.hasPrefix("@party") {
            flushParty()
            let role = line.dropFirst("@party".count).trimmingWhitespace()
            if !Identifier.isName(role) {
                problem(number, "@party needs a signer role name, e.g. @party merchant")
            }
            party = (role, [], nil, number)
            return
        }
        if line == "@box" {
            guard party != nil else { return problem(number, "@box must follow @party") }
            if party?.box != nil { problem(number, "a party has one @box") }
            let count = party?.lines.count
            party?.box = count
            return
        }
        if line.hasPrefix("@") {
            return problem(number, "unknown directive '\(line)' inside @signatures (use @party, @box, @end)")
        }
        guard party != nil else { return problem(number, "text inside @signatures must follow @party ROLE") }
        var text = line
        if text.hasSuffix("\\"), text.reversed().prefix(while: { $0 == "\\" }).count % 2 == 1 { text.removeLast() }
        if let inline = parseInline(text, line: number) { party?.lines.append(inline) }
    }

    private mutating func flushParty() {
        guard let current = party else { return }
        party = nil
        signatures?.append(SignatureParty(role: PartyRole(rawValue: current.role), lines: current.lines,
                                          boxAfterLine: current.box ?? current.lines.count))
    }

    // MARK: Inline text

    /// `**bold**`, `{{placeholder}}`, escapes and hard line breaks of one block's text.
    /// Works on UTF-8 bytes: every markup character is ASCII, so multi-byte sequences are
    /// copied through untouched.
    private mutating func parseInline(_ text: String, line: Int) -> Inline? {
        let bytes = Array(text.utf8)
        var runs: [InlineRun] = []
        var literal: [UInt8] = []
        var bold = false
        var ok = true
        func flushLiteral() {
            if !literal.isEmpty { runs.append(.text(String(decoding: literal, as: UTF8.self), bold: bold)) }
            literal.removeAll(keepingCapacity: true)
        }
        func at(_ i: Int) -> UInt8? { i < bytes.count ? bytes[i] : nil }
        let backslash = UInt8(ascii: "\\"), star = UInt8(ascii: "*"), open = UInt8(ascii: "{"), close = UInt8(ascii: "}")
        var index = 0
        scan: while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case backslash:
                guard let next = at(index + 1), next < 0x80, Self.escapable.contains(Character(UnicodeScalar(next))) else {
                    problem(line, "a backslash must be followed by one of \\ { } * | # + > : @ % (write \\\\ for a backslash)")
                    ok = false
                    index += 1
                    continue
                }
                if (next == open || next == close), at(index + 2) == next {
                    literal += [next, next]  // `\{{` and `\}}`: a literal pair of braces
                    index += 3
                } else {
                    literal.append(next)
                    index += 2
                }
            case star where at(index + 1) == star:
                flushLiteral()
                bold.toggle()
                index += 2
            case open where at(index + 1) == open:
                var end = index + 2
                while end + 1 < bytes.count, !(bytes[end] == close && bytes[end + 1] == close) { end += 1 }
                guard end + 1 < bytes.count else {
                    problem(line, "'{{' without a closing '}}' (write \\{{ for literal braces)")
                    ok = false
                    break scan
                }
                let content = String(decoding: bytes[(index + 2)..<end], as: UTF8.self).trimmingWhitespace()
                if let placeholder = parsePlaceholder(content, line: line) {
                    flushLiteral()
                    runs.append(.placeholder(placeholder, bold: bold))
                } else {
                    ok = false
                }
                index = end + 2
            case close where at(index + 1) == close:
                problem(line, "'}}' without an opening '{{' (write \\}} for literal braces)")
                ok = false
                index += 2
            case UInt8(ascii: "\n"):
                flushLiteral()
                runs.append(.lineBreak)
                index += 1
            default:
                literal.append(byte)
                index += 1
            }
        }
        flushLiteral()
        if bold {
            problem(line, "'**' opens bold text that is never closed")
            ok = false
        }
        return ok ? Inline(runs) : nil
    }

    private mutating func parsePlaceholder(_ content: String, line: Int) -> Placeholder? {
        let parts = content.split(separator: ":", omittingEmptySubsequences: false).map { $0.trimmingWhitespace() }
        let name = parts[0]
        let validName = Placeholder.builtIns.contains(name) || Identifier.isName(name)
        if !validName {
            problem(line, "'{{\(content)}}' is not a placeholder (a field name, or one of \(Placeholder.builtIns.sorted().joined(separator: ", ")))")
        }
        var format: PlaceholderFormat?
        if parts.count == 2 {
            format = PlaceholderFormat(rawValue: parts[1])
            if format == nil {
                problem(line, "unknown placeholder format '\(parts[1])' (use \(PlaceholderFormat.allCases.map(\.rawValue).joined(separator: ", ")))")
                return nil
            }
        } else if parts.count > 2 {
            problem(line, "'{{\(content)}}' has more than one ':'")
            return nil
        }
        return validName ? Placeholder(name: name, format: format, line: line) : nil
    }
}

extension Character {
    /// Whether the character is CJK (ideographs, kana, hangul, full-width forms and CJK
    /// punctuation): lines of such text are joined without a space.
    var isWide: Bool {
        guard let scalar = unicodeScalars.first else { return false }
        switch scalar.value {
        case 0x1100...0x11FF, 0x2E80...0x9FFF, 0xA960...0xA97F, 0xAC00...0xD7FF, 0xF900...0xFAFF,
             0xFE30...0xFE4F, 0xFF00...0xFFEF, 0x20000...0x3FFFF:
            return true
        default:
            return false
        }
    }
}

extension String {
    func trimmingTrailingWhitespace() -> String {
        var copy = self
        while let last = copy.last, last == " " || last == "\t" { copy.removeLast() }
        return copy
    }
}
