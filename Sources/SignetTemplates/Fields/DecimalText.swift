public import FoundationEssentials

/// A decimal number written plainly: optional minus, digits, optional point and digits.
/// No exponent, no grouping, no plus sign — the forms that cannot be misread in a contract.
public struct DecimalText: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Whether the number is below zero.
    public let isNegative: Bool
    /// The integer digits without leading zeros ("0" for zero).
    public let integerDigits: String
    /// The fraction digits as written (trailing zeros kept: "0.50" has "50").
    public let fractionDigits: String

    /// Parses `text`; `nil` unless it is plain decimal notation with 1–15 integer digits.
    public init?(_ text: some StringProtocol) {
        var rest = Substring(text)
        isNegative = rest.hasPrefix("-")
        if isNegative { rest = rest.dropFirst() }
        let pieces = rest.split(separator: ".", omittingEmptySubsequences: false)
        guard pieces.count <= 2, let whole = pieces.first, !whole.isEmpty, whole.count <= 15,
              whole.allSatisfy({ $0.isASCII && $0.isNumber })
        else { return nil }
        let fraction = pieces.count == 2 ? pieces[1] : ""
        guard pieces.count == 1 || !fraction.isEmpty, fraction.count <= 18,
              fraction.allSatisfy({ $0.isASCII && $0.isNumber })
        else { return nil }
        let trimmed = whole.drop(while: { $0 == "0" })
        integerDigits = trimmed.isEmpty ? "0" : String(trimmed)
        fractionDigits = String(fraction)
    }

    /// The value as a Foundation `Decimal` (exact: at most 33 significant digits).
    public var decimal: Decimal {
        Decimal(string: (isNegative ? "-" : "") + integerDigits + (fractionDigits.isEmpty ? "" : "." + fractionDigits),
                locale: Locale(identifier: "en_US_POSIX")) ?? 0
    }

    /// Number of digits after the point that are not trailing zeros.
    public var significantFractionDigits: Int {
        fractionDigits.reversed().drop(while: { $0 == "0" }).count
    }

    /// The digits after the point, padded with zeros or cut (only zeros are ever cut) to `places`.
    public func fraction(places: Int) -> String {
        let kept = String(fractionDigits.prefix(places))
        return kept + String(repeating: "0", count: places - kept.count)
    }

    /// Whether the value is zero.
    public var isZero: Bool { integerDigits == "0" && fractionDigits.allSatisfy { $0 == "0" } }

    /// Numeric order: "0.5" < "1".
    public static func < (lhs: DecimalText, rhs: DecimalText) -> Bool { lhs.decimal < rhs.decimal }
    /// Numeric equality: "0.50" == "0.5".
    public static func == (lhs: DecimalText, rhs: DecimalText) -> Bool { lhs.decimal == rhs.decimal }
    /// Hashes the numeric value, consistent with `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(decimal) }

    /// The canonical text: no leading zeros, trailing fraction zeros removed.
    public var description: String {
        let fraction = String(fractionDigits.prefix(significantFractionDigits))
        let sign = isNegative && !isZero ? "-" : ""
        return sign + integerDigits + (fraction.isEmpty ? "" : "." + fraction)
    }

    /// The number as written, without leading zeros ("0.50" stays "0.50").
    public var written: String {
        (isNegative && !isZero ? "-" : "") + integerDigits + (fractionDigits.isEmpty ? "" : "." + fractionDigits)
    }

    /// The integer digits with a comma every three digits ("1,234,567").
    var groupedIntegerDigits: String {
        var out = ""
        for (index, digit) in integerDigits.enumerated() {
            if index > 0, (integerDigits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return out
    }
}
