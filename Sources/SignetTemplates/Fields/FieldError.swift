/// Machine-readable reason a field value was refused.
///
/// The raw values are stable API: integrators branch on them (they appear in the CLI's and,
/// later, the HTTP API's JSON).
public enum FieldErrorCode: String, Sendable, Codable, CaseIterable {
    /// A required field has no value and no default.
    case required
    /// The fill names a field the template does not have.
    case unknownField = "unknown_field"
    /// The JSON value has the wrong type (e.g. an array where a string is expected).
    case typeMismatch = "type_mismatch"
    /// Shorter than the field's `minLength`.
    case tooShort = "too_short"
    /// Longer than the field's `maxLength`.
    case tooLong = "too_long"
    /// A character that must not appear in a contract (control, bidi override, zero-width...).
    case forbiddenCharacter = "forbidden_character"
    /// A character the contract fonts cannot draw (it would print as an empty box).
    case unsupportedCharacter = "unsupported_character"
    /// Does not match the field's `pattern`.
    case patternMismatch = "pattern_mismatch"
    /// Not a calendar date in `YYYY-MM-DD` form.
    case invalidDate = "invalid_date"
    /// Not a decimal amount (digits, optional point, at most two decimals).
    case invalidMoney = "invalid_money"
    /// A currency the field does not allow.
    case currencyNotAllowed = "currency_not_allowed"
    /// Not a decimal percentage.
    case invalidPercentage = "invalid_percentage"
    /// More decimal places than the field allows.
    case tooManyDecimals = "too_many_decimals"
    /// Below the field's minimum (number, amount, percentage or date).
    case belowMinimum = "below_minimum"
    /// Above the field's maximum (number, amount, percentage or date).
    case aboveMaximum = "above_maximum"
    /// Not one of the enumeration's values.
    case notAnOption = "not_an_option"
    /// Not a mainland China mobile number nor an E.164 number (as the field allows).
    case invalidPhone = "invalid_phone"
    /// Not a plausible e-mail address.
    case invalidEmail = "invalid_email"
    /// Not 18 characters of the unified social credit code alphabet in the right places.
    case invalidCreditCode = "invalid_credit_code"
    /// The 18th character is not the GB 32100-2015 check character of the first 17.
    case creditCodeCheckCharacter = "credit_code_check_character"
    /// A bank card number that is not 12–19 digits.
    case invalidBankCard = "invalid_bank_card"
    /// A bank card number whose Luhn check digit is wrong.
    case bankCardChecksum = "bank_card_checksum"
    /// A bank account number that is not digits within the length bounds.
    case invalidBankAccount = "invalid_bank_account"
}

/// One refused field value: which field, why (machine-readable) and a message for people.
public struct FieldError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// The field's name as in the manifest (or as given, for `unknown_field`).
    public let field: String
    /// Why the value was refused: a stable, machine-readable code (its raw value, e.g.
    /// `too_short`; docs/error-codes.md).
    public let code: FieldErrorCode
    /// A sentence for people, naming the rule that was broken.
    public let message: String

    /// An error of `field`.
    public init(field: String, code: FieldErrorCode, message: String) {
        self.field = field
        self.code = code
        self.message = message
    }

    /// `field: message [code]`.
    public var description: String { "\(field): \(message) [\(code.rawValue)]" }
}

/// Every problem of one fill, reported together so the caller can fix them in one pass.
public struct FieldValidationError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// The problems, in manifest field order, unknown fields last. Never empty.
    public let errors: [FieldError]

    /// A stable, machine-readable code, `fields.invalid` (docs/error-codes.md); each field's
    /// own code is in `errors`.
    public var code: String { "fields.invalid" }

    /// The problems of one fill (must not be empty).
    public init(errors: [FieldError]) { self.errors = errors }

    /// The count of problems, then one indented line per problem.
    public var description: String {
        let noun = errors.count == 1 ? "problem" : "problems"
        return "\(errors.count) field \(noun):\n" + errors.map { "  - \($0)" }.joined(separator: "\n")
    }
}
