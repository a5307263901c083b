/// Clause numbers in the template's numbering style.
struct Numbering {
    let style: NumberingStyle
    private(set) var section = 0
    private(set) var clause = 0
    private(set) var subclause = 0

    init(style: NumberingStyle) { self.style = style }

    /// The next section heading's label: `第三条` / `3.`.
    mutating func nextSection() -> String {
        section += 1
        clause = 0
        subclause = 0
        return style == .chinese ? "第\(Self.chineseNumeral(section))条" : "\(section)."
    }

    /// The next clause's label: `3.2` (or `2.` before any heading).
    mutating func nextClause() -> String {
        clause += 1
        subclause = 0
        return section > 0 ? "\(section).\(clause)" : "\(clause)."
    }

    /// The next sub-clause's label: `（二）` / `(b)`.
    mutating func nextSubclause() -> String {
        subclause += 1
        if style == .chinese { return "（\(Self.chineseNumeral(subclause))）" }
        return "(\(Self.latinLetters(subclause)))"
    }

    /// 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九; beyond 99 Arabic digits.
    static func chineseNumeral(_ n: Int) -> String {
        let digits = Array("零一二三四五六七八九")
        guard n > 0, n < 100 else { return "\(n)" }
        if n < 10 { return String(digits[n]) }
        let tens = n / 10, ones = n % 10
        return (tens == 1 ? "" : String(digits[tens])) + "十" + (ones == 0 ? "" : String(digits[ones]))
    }

    /// 1 → a, 26 → z, 27 → aa.
    static func latinLetters(_ n: Int) -> String {
        var n = n, out = ""
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        while n > 0 {
            n -= 1
            out = String(letters[n % 26]) + out
            n /= 26
        }
        return out
    }
}
