/// Percentages such as fee rates: "0.38" or "0.38%" means 0.38 per cent.
public enum Percentage {
    /// Checks `raw` against `decimals` places and the bounds (inclusive, in per cent).
    ///
    /// - Returns: the value, or every problem.
    public static func validate(
        _ raw: String, minimum: DecimalText, maximum: DecimalText, decimals: Int
    ) -> Result<DecimalText, FieldProblems> {
        var text = Substring(raw.trimmingWhitespace())
        if text.hasSuffix("%") { text = text.dropLast() }
        guard let value = DecimalText(text.trimmingWhitespace()) else {
            return .failure([.init(.invalidPercentage, "must be a percentage like 0.38 or 0.38%")])
        }
        var problems = FieldProblems()
        if value.significantFractionDigits > decimals {
            problems.append(.init(.tooManyDecimals, "must have at most \(decimals) decimal place\(decimals == 1 ? "" : "s")"))
        }
        if value < minimum {
            problems.append(.init(.belowMinimum, "must be at least \(minimum)%"))
        }
        if value > maximum {
            problems.append(.init(.aboveMaximum, "must be at most \(maximum)%"))
        }
        return problems.isEmpty ? .success(value) : .failure(problems)
    }
}
