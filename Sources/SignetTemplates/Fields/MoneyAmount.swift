/// An amount of money with its ISO 4217 currency, exact to the cent.
public struct MoneyAmount: Sendable, Hashable, CustomStringConvertible {
    /// ISO 4217 alphabetic code, e.g. `CNY`, `USD`.
    public let currency: String
    /// The amount; at most two decimals.
    public let amount: DecimalText

    /// An amount in `currency`; `amount` should have at most two decimals.
    public init(currency: String, amount: DecimalText) {
        self.currency = currency
        self.amount = amount
    }

    /// Canonical form: `CNY 1234.50`.
    public var description: String { "\(currency) \(plainAmount)" }

    /// `1234.50`.
    public var plainAmount: String {
        (amount.isNegative && !amount.isZero ? "-" : "") + amount.integerDigits + "." + amount.fraction(places: 2)
    }

    /// `1,234.50`.
    public var groupedAmount: String {
        (amount.isNegative && !amount.isZero ? "-" : "") + amount.groupedIntegerDigits + "." + amount.fraction(places: 2)
    }

    /// Checks `raw` ("1234.50", or "USD 1234.50" to name the currency) against the allowed
    /// currencies (the first is the default when none is named) and bounds.
    public static func validate(
        _ raw: String, currencies: [String], minimum: DecimalText?, maximum: DecimalText?
    ) -> Result<MoneyAmount, FieldProblems> {
        let text = raw.trimmingWhitespace()
        var currency = currencies.first ?? "CNY"
        var amountText = Substring(text)
        let words = text.split(separator: " ", omittingEmptySubsequences: true)
        if words.count == 2, words[0].count == 3, words[0].allSatisfy({ $0.isASCII && $0.isLetter }) {
            currency = words[0].uppercased()
            amountText = words[1]
        }
        guard let amount = DecimalText(amountText) else {
            return .failure([.init(.invalidMoney,
                "must be an amount like 1234.50 (digits, optional point and two decimals, no grouping commas), optionally preceded by a currency code like \(currency)")])
        }
        var problems = FieldProblems()
        if !currencies.contains(currency) {
            problems.append(.init(.currencyNotAllowed,
                "currency \(currency) is not allowed here (allowed: \(currencies.joined(separator: ", ")))"))
        }
        if amount.significantFractionDigits > 2 {
            problems.append(.init(.tooManyDecimals, "must have at most two decimals (cents), got \(amount.fractionDigits.count)"))
        }
        if let minimum, amount < minimum {
            problems.append(.init(.belowMinimum, "must be at least \(currency) \(minimum)"))
        }
        if let maximum, amount > maximum {
            problems.append(.init(.aboveMaximum, "must be at most \(currency) \(maximum)"))
        }
        return problems.isEmpty ? .success(MoneyAmount(currency: currency, amount: amount)) : .failure(problems)
    }
}
