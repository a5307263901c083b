public import FoundationEssentials

/// The values of one fill, as an integrator sends them: field name → JSON value.
///
/// Values are strings; numbers are accepted for money and percentages (kept as their exact
/// decimal text); `null` means "not given". Anything else is reported as `type_mismatch`
/// by validation, never silently coerced.
public struct FieldValues: Sendable, Hashable, ExpressibleByDictionaryLiteral {
    /// The raw values by field name.
    public var values: [String: JSONValue]

    /// Values as parsed JSON.
    public init(_ values: [String: JSONValue]) { self.values = values }

    /// String values, the common case in code and tests.
    public init(strings: [String: String]) {
        values = strings.mapValues { .string($0) }
    }

    /// String values from a literal, e.g. `["merchant_name": "杭州青禾餐饮管理有限公司"]`.
    public init(dictionaryLiteral elements: (String, String)...) {
        values = Dictionary(elements.map { ($0.0, JSONValue.string($0.1)) }, uniquingKeysWith: { $1 })
    }

    /// Parses a JSON object of field values (e.g. a `--fields` file or a `sample.json`).
    ///
    /// - Throws: `FieldValuesError` when the text is not JSON or not an object.
    public init(json data: Data) throws(FieldValuesError) {
        let parsed: JSONValue
        do {
            parsed = try JSONValue.parse(data)
        } catch {
            throw .malformed(error.description)
        }
        guard case .object(let object) = parsed else {
            throw .notAnObject(parsed.typeName)
        }
        values = object
    }

    /// The value for `name`.
    public subscript(name: String) -> JSONValue? {
        get { values[name] }
        set { values[name] = newValue }
    }

    /// A copy with `name` set to the string `value`.
    public func setting(_ name: String, to value: String) -> FieldValues {
        var copy = self
        copy.values[name] = .string(value)
        return copy
    }
}

/// A fields file that is not a JSON object of values.
public enum FieldValuesError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file is not valid JSON (the reason says where).
    case malformed(String)
    /// The JSON is not an object (the type found).
    case notAnObject(String)

    /// A stable, machine-readable code for the case, e.g. `field_values.malformed` (docs/error-codes.md):
    /// for programs and the API's problem details; `description` is for people.
    public var code: String {
        switch self {
        case .malformed: "field_values.malformed"
        case .notAnObject: "field_values.not_an_object"
        }
    }

    /// A one-line message for people; `code` is the stable machine-readable form.
    public var description: String {
        switch self {
        case .malformed(let why): "field values are \(why)"
        case .notAnObject(let type): "field values must be a JSON object of name → value, got \(type)"
        }
    }
}
