import SignetCrypto

/// Validates one fill against a template's fields, collecting every problem.
public struct FieldValidator: Sendable {
    /// The fields checked, in manifest order.
    public let fields: [FieldSpec]

    /// A validator for `fields`.
    public init(fields: [FieldSpec]) { self.fields = fields }

    /// Checks `input` against every field's rules.
    ///
    /// Missing optional fields take their default or become `.empty`; unknown names are
    /// errors (a misspelt optional field would otherwise vanish from the contract silently).
    ///
    /// - Throws: `FieldValidationError` listing every problem, in field order, unknown names last.
    public func validate(_ input: FieldValues) throws(FieldValidationError) -> FilledFields {
        var errors: [FieldError] = []
        var values: [String: FieldValue] = [:]
        for spec in fields {
            switch Self.validate(input.values[spec.name], spec: spec) {
            case .success(let value): values[spec.name] = value
            case .failure(let problems): errors += problems.errors(field: spec.name)
            }
        }
        let known = Set(fields.map(\.name))
        for name in input.values.keys.sorted() where !known.contains(name) {
            errors.append(FieldError(field: name, code: .unknownField,
                                     message: "this template has no field named '\(name)'"))
        }
        guard errors.isEmpty else { throw FieldValidationError(errors: errors) }
        return FilledFields(values: values)
    }

    /// One field: presence, JSON type, then the type's rules.
    static func validate(_ raw: JSONValue?, spec: FieldSpec) -> Result<FieldValue, FieldProblems> {
        var text: String?
        switch raw {
        case nil, .null?:
            text = nil
        case .string(let string)?:
            text = string.trimmingWhitespace().isEmpty ? nil : string
        case .number(let number)?:
            switch spec.type {
            case .money, .percentage: text = number
            default: return .failure([.init(.typeMismatch, "expected a string, got a number (write it in quotes)")])
            }
        case let other?:
            return .failure([.init(.typeMismatch, "expected a string, got \(other.typeName)")])
        }
        guard let given = text ?? spec.defaultValue else {
            return spec.isRequired ? .failure([.init(.required, "is required")]) : .success(.empty)
        }
        return validate(given, type: spec.type)
    }

    /// The rules of `type` applied to a present value.
    public static func validate(_ text: String, type: FieldType) -> Result<FieldValue, FieldProblems> {
        switch type {
        case .text(let rules):
            return TextChecks.validate(text, rules: rules, multiline: false).map(FieldValue.text)
        case .multilineText(let rules):
            return TextChecks.validate(text, rules: rules, multiline: true).map(FieldValue.text)
        case .date(let minimum, let maximum):
            return singleLine(text) { CalendarDate.validate($0, minimum: minimum, maximum: maximum).map(FieldValue.date) }
        case .money(let currencies, let minimum, let maximum):
            return singleLine(text) {
                MoneyAmount.validate($0, currencies: currencies, minimum: minimum, maximum: maximum).map(FieldValue.money)
            }
        case .percentage(let minimum, let maximum, let decimals):
            return singleLine(text) {
                Percentage.validate($0, minimum: minimum, maximum: maximum, decimals: decimals).map(FieldValue.percentage)
            }
        case .enumeration(let options):
            return singleLine(text) { value in
                let trimmed = value.trimmingWhitespace()
                guard let option = options.first(where: { $0.value == trimmed }) else {
                    let list = options.map { "'\($0.value)'" }.joined(separator: ", ")
                    return .failure([.init(.notAnOption, "must be one of \(list)")])
                }
                return .success(.option(option))
            }
        case .phone(let formats):
            return singleLine(text) { PhoneNumber.validate($0, formats: formats).map(FieldValue.identifier) }
        case .email:
            return singleLine(text) { EmailAddress.validate($0).map(FieldValue.identifier) }
        case .creditCode:
            return singleLine(text) { UnifiedSocialCreditCode.validate($0).map(FieldValue.identifier) }
        case .bankCard:
            return singleLine(text) { BankCardNumber.validate($0).map(FieldValue.bankCard) }
        case .bankAccount(let lengths):
            return singleLine(text) { BankAccountNumber.validate($0, lengths: lengths).map(FieldValue.identifier) }
        }
    }

    /// Refuses invisible and control characters before a type's own rules run, so that
    /// their messages can quote the value safely.
    static func singleLine(
        _ text: String, _ rules: (String) -> Result<FieldValue, FieldProblems>
    ) -> Result<FieldValue, FieldProblems> {
        let forbidden = TextChecks.forbiddenCharacters(in: text, allowNewlines: false)
        guard forbidden.isEmpty else {
            return .failure([.init(.forbiddenCharacter,
                "contains characters not allowed in a contract: \(forbidden.joined(separator: ", "))")])
        }
        return rules(text)
    }
}
