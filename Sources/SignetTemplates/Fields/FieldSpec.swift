/// One field of a template: its name, label, type with rules, and whether it must be given.
public struct FieldSpec: Sendable, Hashable {
    /// Name used in fills and `{{placeholders}}`: lower-case letters, digits and `_`.
    public let name: String
    /// What the field is, for people (forms, `signet templates show`, error messages).
    public let label: LocalizedText
    /// The value's type and its rules.
    public let type: FieldType
    /// Whether a value (or a default) is needed.
    public let isRequired: Bool
    /// The value used when the fill omits the field; validated like a given value.
    public let defaultValue: String?
    /// Longer guidance for whoever fills the field.
    public let help: LocalizedText?

    /// A field; `defaultValue` must satisfy `type` (manifest parsing checks it).
    public init(name: String, label: LocalizedText, type: FieldType, isRequired: Bool = true,
                defaultValue: String? = nil, help: LocalizedText? = nil) {
        self.name = name
        self.label = label
        self.type = type
        self.isRequired = isRequired
        self.defaultValue = defaultValue
        self.help = help
    }
}

/// A field's type and the rules its values must satisfy.
public enum FieldType: Sendable, Hashable {
    /// One line of text.
    case text(TextRules)
    /// Text that may span several lines (line breaks are kept).
    case multilineText(TextRules)
    /// A calendar date `YYYY-MM-DD`, optionally bounded (inclusive).
    case date(minimum: CalendarDate?, maximum: CalendarDate?)
    /// An amount of money in one of `currencies` (the first is the default), two decimals.
    case money(currencies: [String], minimum: DecimalText?, maximum: DecimalText?)
    /// A percentage with at most `decimals` places, between the inclusive bounds.
    case percentage(minimum: DecimalText, maximum: DecimalText, decimals: Int)
    /// One of a fixed list of options.
    case enumeration([EnumOption])
    /// A telephone number in one of the formats.
    case phone([PhoneFormat])
    /// An e-mail address.
    case email
    /// A unified social credit code (GB 32100-2015).
    case creditCode
    /// A bank card number (Luhn).
    case bankCard
    /// A bank account number: digits within the length bounds.
    case bankAccount(lengths: ClosedRange<Int>)

    /// The type's name as written in manifests.
    public var name: String {
        switch self {
        case .text: "text"
        case .multilineText: "multiline"
        case .date: "date"
        case .money: "money"
        case .percentage: "percentage"
        case .enumeration: "enum"
        case .phone: "phone"
        case .email: "email"
        case .creditCode: "credit-code"
        case .bankCard: "bank-card"
        case .bankAccount: "bank-account"
        }
    }

    /// All type names, for manifest error messages.
    public static let names = ["text", "multiline", "date", "money", "percentage", "enum", "phone",
                               "email", "credit-code", "bank-card", "bank-account"]
}

/// Length bounds (in characters as people count them) and an optional pattern for text.
public struct TextRules: Sendable, Hashable {
    /// The least number of characters (grapheme clusters), inclusive.
    public let minLength: Int
    /// The greatest number of characters (grapheme clusters), inclusive.
    public let maxLength: Int
    /// A regular expression the whole value must match.
    public let pattern: String?
    /// What the pattern means, for the error message ("six digits").
    public let patternHint: String?

    /// Rules for a text field; `pattern` is a Swift regular expression matched against the whole value.
    public init(minLength: Int = 0, maxLength: Int, pattern: String? = nil, patternHint: String? = nil) {
        self.minLength = minLength
        self.maxLength = maxLength
        self.pattern = pattern
        self.patternHint = patternHint
    }
}

/// One choice of an enumeration field.
public struct EnumOption: Sendable, Hashable, Codable {
    /// What fills send.
    public let value: String
    /// What the contract prints.
    public let label: LocalizedText

    /// An option sent as `value` and printed as `label`.
    public init(value: String, label: LocalizedText) {
        self.value = value
        self.label = label
    }
}
