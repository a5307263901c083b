import FoundationEssentials
package import SignetHTTP

/// SignetHTTP's JSON request decoding: the first byte picks the route's body type (modulo
/// their count), the rest is the body, decoded as the route does (`APIRequestBodyDecoding`:
/// the JSON reader, then `RequestBodies`).
public enum APIJSONHarness {
    /// The input for a body of `kind` (what the seed assembly writes).
    package static func input(_ kind: APIRequestBodyDecoding.Kind, _ body: [UInt8]) -> [UInt8] { [kind.rawValue] + body }

    /// Decodes `input` as the body its first byte picks.
    public static func run(_ input: [UInt8]) {
        guard let selector = input.first else { return }
        let kinds = APIRequestBodyDecoding.Kind.allCases
        _ = APIRequestBodyDecoding.decode(Data(input.dropFirst()), as: kinds[Int(selector) % kinds.count])
    }
}
