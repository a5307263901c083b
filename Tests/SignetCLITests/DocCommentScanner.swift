import Foundation

/// Finds `public` and `open` declarations in Swift source text that have no doc comment
/// (docs/engineering.md: "doc comments on every public declaration").
///
/// A line-based reader, not a parser, but it tracks what a parser would: block comments
/// (nested), string literals (single-line, multi-line, raw), so text inside them is never
/// taken for a declaration. A declaration is a line whose leading attributes (`@inlinable`,
/// `@available(…)`, …) and modifiers (`static`, `private(set)`, `nonisolated`, …) include
/// `public` or `open`, followed by a name-like keyword other than `import` and `extension`.
/// It is documented when the line before it — skipping attribute-only lines, but not blank
/// lines, plain comments or `#if` lines, which the compiler does not skip either — ends a
/// `///` block with some text, or closes a `/** … */` comment.
struct DocCommentScanner {
    /// A public or open declaration without a doc comment.
    struct Finding: Equatable, CustomStringConvertible {
        /// 1-based line number.
        let line: Int
        /// The declaration's line, trimmed.
        let text: String
        var description: String { "\(line): \(text)" }
    }

    /// What the lexer knows about one line.
    private struct Line {
        let text: String
        /// The line starts outside any block comment and multi-line string.
        let startsInCode: Bool
        /// The line closes a `/** … */` comment and holds nothing after it.
        let endsDocBlock: Bool
    }

    /// Modifiers that may come before a declaration keyword (`class` is handled apart).
    private static let modifiers: Set<String> = [
        "public", "open", "package", "internal", "fileprivate", "private", "static", "final",
        "override", "nonisolated", "mutating", "nonmutating", "convenience", "required", "lazy",
        "weak", "unowned", "indirect", "dynamic", "optional", "prefix", "postfix", "infix",
        "consuming", "borrowing", "distributed", "isolated", "__consuming",
    ]
    /// Keywords after which a `class` token is a modifier rather than the declared kind.
    private static let memberKeywords: Set<String> = ["func", "var", "let", "subscript"]

    /// The undocumented public declarations of one file's text.
    static func undocumented(in source: String) -> [Finding] {
        let lines = lex(source)
        var findings: [Finding] = []
        for (index, line) in lines.enumerated() where line.startsInCode && isPublicDeclaration(line.text) {
            if !isDocumented(lineAt: index, in: lines) {
                findings.append(Finding(line: index + 1, text: line.text.trimmingCharacters(in: .whitespaces)))
            }
        }
        return findings
    }

    /// The undocumented public declarations of every `.swift` file under `directory`, as
    /// `path:line: text` with paths relative to `relativeTo`, sorted.
    static func undocumented(under directory: URL, relativeTo base: URL) throws -> [String] {
        guard let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: directory.path])
        }
        let prefix = base.standardizedFileURL.path + "/"
        var results: [String] = []
        for case let url as URL in enumerator where url.pathExtension == "swift" {
            let path = url.standardizedFileURL.path
            let relative = path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
            let text = try String(contentsOf: url, encoding: .utf8)
            results += undocumented(in: text).map { "\(relative):\($0)" }
        }
        return results.sorted()
    }

    // MARK: Declarations

    /// Whether a line (already known to start in code) declares something `public` or `open`.
    static func isPublicDeclaration(_ line: String) -> Bool {
        var rest = Substring(line.trimmingCharacters(in: .whitespaces))
        stripAttributes(&rest)
        var isPublic = false
        var tokens = words(rest)
        while let token = tokens.first {
            let isClassModifier = token == "class" && tokens.count > 1
                && (modifiers.contains(bareName(tokens[1])) || memberKeywords.contains(tokens[1]))
            guard modifiers.contains(bareName(token)) || isClassModifier else { break }
            if token == "public" || token == "open" { isPublic = true }
            tokens.removeFirst()
        }
        guard isPublic, let keyword = tokens.first, let first = keyword.unicodeScalars.first,
              CharacterSet.letters.contains(first) || first == "_" else { return false }
        return keyword != "import" && keyword != "extension"
    }

    /// `private(set)` → `private`.
    private static func bareName(_ token: String) -> String {
        token.firstIndex(of: "(").map { String(token[..<$0]) } ?? token
    }

    /// The leading whitespace-separated words of a declaration line, a parenthesised suffix
    /// kept with its word (`private(set)`), stopping at the first `<`, `(`, `:` or `{` of the
    /// declared name.
    private static func words(_ text: Substring) -> [String] {
        var result: [String] = []
        var current = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == " " || character == "\t" {
                if !current.isEmpty { result.append(current); current = "" }
            } else if character == "(", !current.isEmpty, modifiers.contains(current),
                      let close = text[index...].firstIndex(of: ")") {
                current += text[index...close]
                index = close
            } else if "<(:{=?!".contains(character) {
                break
            } else {
                current.append(character)
            }
            index = text.index(after: index)
        }
        if !current.isEmpty { result.append(current) }
        return result
    }

    /// Removes leading attributes (`@name`, `@name(…)` with nested parentheses) and the
    /// whitespace after them.
    private static func stripAttributes(_ text: inout Substring) {
        while text.first == "@" {
            var index = text.index(after: text.startIndex)
            while index < text.endIndex, text[index].isLetter || text[index].isNumber || text[index] == "_" || text[index] == "." {
                index = text.index(after: index)
            }
            if index < text.endIndex, text[index] == "(" {
                var depth = 0
                while index < text.endIndex {
                    if text[index] == "(" { depth += 1 }
                    if text[index] == ")" { depth -= 1; if depth == 0 { index = text.index(after: index); break } }
                    index = text.index(after: index)
                }
            }
            text = text[index...].drop { $0 == " " || $0 == "\t" }
        }
    }

    /// Whether a line holds nothing but attributes.
    private static func isAttributeOnly(_ line: String) -> Bool {
        var rest = Substring(line.trimmingCharacters(in: .whitespaces))
        guard rest.first == "@" else { return false }
        stripAttributes(&rest)
        return rest.isEmpty
    }

    private static func isDocumented(lineAt index: Int, in lines: [Line]) -> Bool {
        var previous = index - 1
        while previous >= 0, lines[previous].startsInCode, isAttributeOnly(lines[previous].text) { previous -= 1 }
        guard previous >= 0 else { return false }
        if lines[previous].endsDocBlock { return true }
        // A `///` block: documented when some line of it says something.
        var hasText = false
        while previous >= 0, lines[previous].startsInCode {
            let trimmed = lines[previous].text.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("///") else { break }
            if !trimmed.dropFirst(3).trimmingCharacters(in: .whitespaces).isEmpty { hasText = true }
            previous -= 1
        }
        return hasText
    }

    // MARK: Lexing

    /// Splits the source into lines, noting for each whether it starts in code and whether it
    /// ends a doc block comment.
    private static func lex(_ source: String) -> [Line] {
        var blockDepth = 0
        var blockIsDoc = false
        var multilineHashes: Int?  // inside a `"""` string opened with this many `#`
        var result: [Line] = []
        for text in source.split(separator: "\n", omittingEmptySubsequences: false) {
            let bytes = Array(text.utf8)
            let startsInCode = blockDepth == 0 && multilineHashes == nil
            var docBlockClosedAt: Int?
            var i = 0
            func at(_ offset: Int) -> UInt8? { i + offset < bytes.count ? bytes[i + offset] : nil }
            func hashes(from start: Int) -> Int {
                var count = 0
                while start + count < bytes.count, bytes[start + count] == UInt8(ascii: "#") { count += 1 }
                return count
            }
            func closesRaw(_ count: Int, after end: Int) -> Bool {
                count == 0 || (end + count <= bytes.count && bytes[end..<end + count].allSatisfy { $0 == UInt8(ascii: "#") })
            }
            while i < bytes.count {
                let byte = bytes[i]
                if blockDepth > 0 {
                    if byte == UInt8(ascii: "/"), at(1) == UInt8(ascii: "*") { blockDepth += 1; i += 2; continue }
                    if byte == UInt8(ascii: "*"), at(1) == UInt8(ascii: "/") {
                        blockDepth -= 1; i += 2
                        if blockDepth == 0 && blockIsDoc { docBlockClosedAt = i }
                        continue
                    }
                    i += 1
                } else if let count = multilineHashes {
                    if byte == UInt8(ascii: "\\") && count == 0 { i += 2; continue }
                    if byte == UInt8(ascii: "\""), at(1) == UInt8(ascii: "\""), at(2) == UInt8(ascii: "\""),
                       closesRaw(count, after: i + 3) {
                        multilineHashes = nil; i += 3 + count; continue
                    }
                    i += 1
                } else if byte == UInt8(ascii: "/"), at(1) == UInt8(ascii: "/") {
                    break  // line comment
                } else if byte == UInt8(ascii: "/"), at(1) == UInt8(ascii: "*") {
                    blockDepth = 1
                    blockIsDoc = at(2) == UInt8(ascii: "*") && at(3) != UInt8(ascii: "/")
                    i += blockIsDoc ? 3 : 2
                } else if byte == UInt8(ascii: "#") || byte == UInt8(ascii: "\"") {
                    let count = hashes(from: i)
                    let quote = i + count
                    guard quote < bytes.count, bytes[quote] == UInt8(ascii: "\"") else { i += max(count, 1); continue }
                    if quote + 2 < bytes.count, bytes[quote + 1] == UInt8(ascii: "\""), bytes[quote + 2] == UInt8(ascii: "\"") {
                        multilineHashes = count
                        i = bytes.count  // the opening delimiter ends its line
                        continue
                    }
                    // A single-line string: skip to its closing quote (and hashes).
                    i = quote + 1
                    while i < bytes.count {
                        if bytes[i] == UInt8(ascii: "\\") && count == 0 { i += 2; continue }
                        if bytes[i] == UInt8(ascii: "\""), closesRaw(count, after: i + 1) { i += 1 + count; break }
                        i += 1
                    }
                } else {
                    i += 1
                }
            }
            let endsDocBlock = docBlockClosedAt.map { end in
                blockDepth == 0 && bytes[end...].allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
            } ?? false
            result.append(Line(text: String(text), startsInCode: startsInCode, endsDocBlock: endsDocBlock))
        }
        return result
    }
}
