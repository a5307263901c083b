/// Amounts in Chinese financial numerals (大写金额), as contracts and bills write them
/// next to the figures: `1005.50` → `壹仟零伍元伍角整`.
///
/// Follows the conventions of the PBOC's rules for filling in bills: 壹拾 (never bare 拾),
/// one 零 for a run of zeros, 零 before 分 when 角 is zero, and 整 when there is no 分.
public enum ChineseAmount {
    static let numerals: [Character] = Array("零壹贰叁肆伍陆柒捌玖")
    static let placeUnits = ["", "拾", "佰", "仟"]
    static let groupUnits = ["", "万", "亿", "万亿"]

    /// The amount in words, without currency prefix. `nil` for negative amounts or more than
    /// 16 integer digits.
    public static func words(_ amount: DecimalText) -> String? {
        guard !amount.isNegative || amount.isZero, amount.integerDigits.count <= 16 else { return nil }
        let integer = integerWords(amount.integerDigits)
        let cents = Array(amount.fraction(places: 2)).map { $0.wholeNumberValue ?? 0 }
        let jiao = cents[0], fen = cents[1]
        var out = integer.isEmpty ? "" : integer + "元"
        if jiao > 0 {
            out += "\(numerals[jiao])角"
        } else if fen > 0, !integer.isEmpty {
            out += "零"
        }
        if fen > 0 {
            out += "\(numerals[fen])分"
        } else {
            out = out.isEmpty ? "零元整" : out + "整"
        }
        return out
    }

    static func integerWords(_ digits: String) -> String {
        let values = Array(digits).map { $0.wholeNumberValue ?? 0 }
        guard values.contains(where: { $0 != 0 }) else { return "" }
        // Groups of four from the right: [..., 万-group, units-group].
        var groups: [[Int]] = []
        var end = values.count
        while end > 0 {
            let start = max(0, end - 4)
            groups.insert(Array(values[start..<end]), at: 0)
            end = start
        }
        var out = ""
        var zeroPending = false
        for (index, group) in groups.enumerated() {
            let unit = groupUnits[groups.count - 1 - index]
            if group.allSatisfy({ $0 == 0 }) {
                if !out.isEmpty { zeroPending = true }
                continue
            }
            // A zero between groups, or leading zeros in a non-leading group.
            if !out.isEmpty, zeroPending || group.count == 4 && group[0] == 0 {
                out += "零"
            }
            out += groupWords(group) + unit
            zeroPending = group.last == 0
        }
        return out
    }

    /// One group of up to four digits, leading zeros skipped, inner zeros as one 零.
    static func groupWords(_ group: [Int]) -> String {
        var out = ""
        var zeroPending = false
        for (index, digit) in group.enumerated() {
            let place = group.count - 1 - index
            if digit == 0 {
                if !out.isEmpty { zeroPending = true }
                continue
            }
            if zeroPending { out += "零" }
            zeroPending = false
            out += "\(numerals[digit])\(placeUnits[place])"
        }
        return out
    }
}
