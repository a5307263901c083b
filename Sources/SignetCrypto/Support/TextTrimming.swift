extension StringProtocol {
    /// The text without leading and trailing whitespace and line breaks (Unicode White_Space),
    /// as Foundation's `trimmingCharacters(in: .whitespacesAndNewlines)` has it, without
    /// linking Foundation (only FoundationEssentials is, docs/engineering.md).
    package func trimmingWhitespace() -> String {
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(self[first...last])
    }
}
