/// Bank card numbers (primary account numbers, ISO/IEC 7812): 12–19 digits whose last digit
/// is the Luhn check digit. Spaces and hyphens between digit groups are accepted.
public enum BankCardNumber {
    /// Whether `digits` (ASCII digits only) passes the Luhn (mod 10) check.
    public static func passesLuhn(_ digits: some StringProtocol) -> Bool {
        var sum = 0
        for (offset, character) in digits.reversed().enumerated() {
            guard let digit = character.wholeNumberValue, character.isASCII else { return false }
            if offset % 2 == 1 {
                let doubled = digit * 2
                sum += doubled > 9 ? doubled - 9 : doubled
            } else {
                sum += digit
            }
        }
        return !digits.isEmpty && sum % 10 == 0
    }

    /// Checks a card number. - Returns: the digits alone, or the problems.
    public static func validate(_ raw: String) -> Result<String, FieldProblems> {
        let digits = stripSeparators(raw)
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            return .failure([.init(.invalidBankCard, "must be digits only (spaces or hyphens between groups allowed)")])
        }
        guard (12...19).contains(digits.count) else {
            return .failure([.init(.invalidBankCard, "must be 12 to 19 digits, got \(digits.count)")])
        }
        guard passesLuhn(digits) else {
            return .failure([.init(.bankCardChecksum, "check digit is wrong (Luhn); please re-check the card number")])
        }
        return .success(digits)
    }

    /// The digits in groups of four, as printed on cards and in contracts.
    public static func grouped(_ digits: String) -> String {
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0, index % 4 == 0 { out.append(" ") }
            out.append(character)
        }
        return out
    }

    static func stripSeparators(_ raw: String) -> String {
        String(raw.trimmingWhitespace().filter { $0 != " " && $0 != "-" })
    }
}

/// Bank account numbers (e.g. corporate settlement accounts), which carry no standard check
/// digit in China: digits only, with length bounds from the field's rules.
public enum BankAccountNumber {
    /// Checks an account number against `lengths`. Spaces and hyphens are accepted and removed.
    public static func validate(_ raw: String, lengths: ClosedRange<Int>) -> Result<String, FieldProblems> {
        let digits = BankCardNumber.stripSeparators(raw)
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            return .failure([.init(.invalidBankAccount, "must be digits only (spaces or hyphens between groups allowed)")])
        }
        guard lengths.contains(digits.count) else {
            return .failure([.init(.invalidBankAccount,
                "must be \(lengths.lowerBound) to \(lengths.upperBound) digits, got \(digits.count)")])
        }
        return .success(digits)
    }
}
