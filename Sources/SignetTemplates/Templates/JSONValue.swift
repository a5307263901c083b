public import FoundationEssentials

/// A parsed JSON document, kept as values so manifests and fills can be checked key by key
/// and every problem reported (a `Decodable` model would stop at the first one).
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    /// A number, as its decimal text (exact: parsed as `Decimal`, never through `Double`).
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Parses UTF-8 JSON text.
    ///
    /// - Throws: `JSONValueError.malformed` with the parser's explanation.
    public static func parse(_ data: Data) throws(JSONValueError) -> JSONValue {
        do {
            return try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw .malformed(Self.describe(error))
        }
    }

    /// A short name of the value's JSON type, for messages ("expected a string, got an array").
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context):
            let underlying = (context.underlyingError as? CocoaError)?.userInfo["NSDebugDescription"] as? String
            return underlying ?? context.debugDescription
        default:
            return String(describing: error)
        }
    }
}

/// A JSON document that could not be parsed at all.
public enum JSONValueError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The text is not valid JSON (the reason says where).
    case malformed(String)

    /// A stable, machine-readable code for the case, e.g. `json.malformed` (docs/error-codes.md):
    /// for programs and the API's problem details; `description` is for people.
    public var code: String {
        switch self {
        case .malformed: "json.malformed"
        }
    }

    /// A one-line message for people: `not valid JSON: …`.
    public var description: String {
        switch self {
        case .malformed(let why): "not valid JSON: \(why)"
        }
    }
}

extension JSONValue: Decodable {
    /// Decodes any JSON value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        // Strings first: they are by far the most common value in manifests and fills.
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Decimal.self) {
            self = .number(value.description)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }
}

extension JSONValue: Encodable {
    /// Encodes the value back to JSON.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let text): try container.encode(Decimal(string: text) ?? 0)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}
