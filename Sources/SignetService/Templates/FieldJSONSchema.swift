public import SignetTemplates

/// A template's fields as a JSON Schema (2020-12) object, for integrators' forms and
/// validators: types, lengths, patterns, enumerations, and Signet's own keywords
/// (`x-signet-type`, `x-minimum`/`x-maximum` for decimal and date bounds, `x-currencies`).
public enum FieldJSONSchema {
    /// The schema of a whole fill.
    public static func schema(for fields: [FieldSpec]) -> JSONValue {
        var properties: [String: JSONValue] = [:]
        for field in fields { properties[field.name] = property(field) }
        let required = fields.filter { $0.isRequired && $0.defaultValue == nil }.map { JSONValue.string($0.name) }
        return .object([
            "$schema": .string("https://json-schema.org/draft/2020-12/schema"),
            "type": .string("object"),
            "properties": .object(properties),
            "required": .array(required),
            "additionalProperties": .bool(false),
        ])
    }

    /// The schema of one field.
    public static func property(_ field: FieldSpec) -> JSONValue {
        var schema: [String: JSONValue] = [
            "type": .string("string"),
            "title": .string(field.label.description),
            "x-signet-type": .string(field.type.name),
        ]
        if let help = field.help { schema["description"] = .string(help.description) }
        if let value = field.defaultValue { schema["default"] = .string(value) }
        switch field.type {
        case .text(let rules), .multilineText(let rules):
            schema["minLength"] = number(rules.minLength)
            schema["maxLength"] = number(rules.maxLength)
            if let pattern = rules.pattern { schema["pattern"] = .string("^(?:\(pattern))$") }
        case .date(let minimum, let maximum):
            schema["format"] = .string("date")
            if let minimum { schema["x-minimum"] = .string(minimum.description) }
            if let maximum { schema["x-maximum"] = .string(maximum.description) }
        case .money(let currencies, let minimum, let maximum):
            schema["type"] = .array([.string("string"), .string("number")])
            schema["x-currencies"] = .array(currencies.map(JSONValue.string))
            if let minimum { schema["x-minimum"] = .string(minimum.description) }
            if let maximum { schema["x-maximum"] = .string(maximum.description) }
        case .percentage(let minimum, let maximum, let decimals):
            schema["type"] = .array([.string("string"), .string("number")])
            schema["x-minimum"] = .string(minimum.description)
            schema["x-maximum"] = .string(maximum.description)
            schema["x-decimals"] = number(decimals)
        case .enumeration(let options):
            schema["enum"] = .array(options.map { .string($0.value) })
            schema["x-enum-labels"] = .object(Dictionary(uniqueKeysWithValues: options.map { ($0.value, JSONValue.string($0.label.description)) }))
        case .phone(let formats):
            schema["x-phone-formats"] = .array(formats.map { .string($0.rawValue) })
            schema["pattern"] = .string(formats == [.chinaMobile] ? "^1[3-9][0-9]{9}$" : formats == [.e164] ? "^\\+[1-9][0-9]{6,14}$"
                                        : "^(?:1[3-9][0-9]{9}|\\+[1-9][0-9]{6,14})$")
        case .email:
            schema["format"] = .string("email")
            schema["maxLength"] = number(254)
        case .creditCode:
            schema["pattern"] = .string("^[0-9A-HJ-NPQRTUWXYa-hj-npqrtuwxy]{18}$")
        case .bankCard:
            schema["pattern"] = .string("^[0-9 ]{12,23}$")
        case .bankAccount(let lengths):
            schema["minLength"] = number(lengths.lowerBound)
            schema["maxLength"] = number(lengths.upperBound)
        }
        return .object(schema)
    }

    private static func number(_ value: Int) -> JSONValue { .number(String(value)) }
}
