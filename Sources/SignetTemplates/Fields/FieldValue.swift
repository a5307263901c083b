/// A validated, normalised field value, ready to be printed.
public enum FieldValue: Sendable, Hashable {
    /// An optional field left empty (and without default).
    case empty
    case text(String)
    case date(CalendarDate)
    case money(MoneyAmount)
    case percentage(DecimalText)
    case option(EnumOption)
    /// A normalised phone number, e-mail, credit code or account number.
    case identifier(String)
    /// A bank card number (digits), printed in groups of four.
    case bankCard(String)

    /// The canonical value, as it would be stored (`2025-03-01`, `CNY 1234.50`, `0.38`).
    public var canonical: String {
        switch self {
        case .empty: ""
        case .text(let text): text
        case .date(let date): date.description
        case .money(let money): money.description
        case .percentage(let value): value.description
        case .option(let option): option.value
        case .identifier(let text), .bankCard(let text): text
        }
    }

    /// The value as the contract prints it in `language`.
    public func display(in language: ContractLanguage) -> String {
        switch self {
        case .empty: ""
        case .text(let text), .identifier(let text): text
        case .date(let date): language == .chinese ? date.chinese : date.english
        case .money(let money):
            language == .chinese && money.currency == "CNY"
                ? "人民币\(money.groupedAmount)元"
                : "\(money.currency) \(money.groupedAmount)"
        case .percentage(let value): "\(value.written)%"
        case .option(let option): option.label.text(for: language)
        case .bankCard(let digits): BankCardNumber.grouped(digits)
        }
    }
}

/// The validated values of one fill, by field name (every field of the template is present;
/// optional fields left out are `.empty`).
public struct FilledFields: Sendable, Hashable {
    /// Values by field name.
    public let values: [String: FieldValue]

    /// Wraps validated values.
    public init(values: [String: FieldValue]) { self.values = values }

    /// The value of field `name`.
    public subscript(name: String) -> FieldValue? { values[name] }

    /// Canonical values by name, e.g. to store with the contract.
    public var canonical: [String: String] { values.mapValues(\.canonical) }
}
