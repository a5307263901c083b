import FoundationEssentials
import HTTPTypes
public import Hummingbird
import NIOCore
import SignetCrypto

/// Reads a JSON request body into a `Decodable` type with the API's problems
/// (api-shapes.md "Errors"), for the `/v1` controllers:
/// - 415 `unsupported_media_type` unless `Content-Type` is `application/json` (parameters such
///   as `charset=utf-8` allowed);
/// - 413 `body_too_large` past the context's `maxUploadSize` (the configuration's JSON limit);
/// - 400 `invalid_json` when the body is not JSON (or not UTF-8);
/// - 400 `invalid_request` when a member has the wrong type, is missing or null, or fails the
///   type's own checks, naming it in `errors` (`field` as `signers[0].name`, `code`
///   `wrong_type`, `missing` or `invalid_value`).
///
/// Unknown members are the type's concern (decode into a type that rejects them, where that
/// matters). Problems never echo a member's value.
public enum JSONRequestBody {
    /// The decoded body.
    public static func decode<T: Decodable>(_ type: T.Type, from request: Request, context: SignetRequestContext) async throws -> T {
        guard isJSON(request.headers[.contentType]) else { throw APIProblem.unsupportedMediaType(expected: "application/json") }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: context.maxUploadSize)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw APIProblem.bodyTooLarge(limit: context.maxUploadSize)
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(Array(buffer: buffer)))
        } catch let error as DecodingError {
            throw problem(for: error)
        }
    }

    /// Whether a Content-Type names JSON: `application/json`, any case, with or without parameters.
    static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first.map { String($0).trimmingWhitespace() } ?? ""
        return mediaType.lowercased() == "application/json"
    }

    /// The problem for a decoding failure: syntax → `invalid_json`, content → `invalid_request`.
    static func problem(for error: DecodingError) -> APIProblem {
        let (path, code, message): ([any CodingKey], String, String)
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return .invalidJSON()
        case .dataCorrupted(let context):
            (path, code, message) = (context.codingPath, "invalid_value", "The value is not valid here.")
        case .typeMismatch(let type, let context):
            (path, code, message) = (context.codingPath, "wrong_type", "Expected \(typeName(type)).")
        case .valueNotFound(_, let context):
            (path, code, message) = (context.codingPath, "missing", "The member is required and may not be null.")
        case .keyNotFound(let key, let context):
            (path, code, message) = (context.codingPath + [key], "missing", "The member is required.")
        @unknown default:
            return .invalidRequest("The request body does not have the expected members.")
        }
        let field = fieldPath(path)
        return .invalidRequest("The member \(field.isEmpty ? "(body)" : field) is not valid: \(message)",
                               errors: [APIProblem.FieldProblem(field: field, code: code, message: message)])
    }

    /// `signers[0].name` for the coding path signers → 0 → name.
    static func fieldPath(_ path: [any CodingKey]) -> String {
        var text = ""
        for key in path {
            if let index = key.intValue, key.stringValue == "Index \(index)" || key.stringValue == String(index) {
                text += "[\(index)]"
            } else {
                text += (text.isEmpty ? "" : ".") + key.stringValue
            }
        }
        return text
    }

    /// A JSON type name for a Swift type the decoder expected.
    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "a boolean"
        case is Int.Type, is Int64.Type, is Int32.Type, is UInt.Type, is Double.Type, is Float.Type: "a number"
        case is [Any].Type: "an array"
        default: type is any Collection.Type ? "an array" : "an object"
        }
    }
}
