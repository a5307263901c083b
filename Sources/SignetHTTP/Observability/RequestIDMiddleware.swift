public import HTTPTypes
public import Hummingbird
import Logging
import SignetCrypto

extension HTTPField.Name {
    /// `X-Request-Id`.
    public static let requestID = HTTPField.Name("X-Request-Id")!
}

/// Gives every request an id: the client's `X-Request-Id` when it is sane (1 to 128 characters
/// of `[A-Za-z0-9._-]`), otherwise a new random one (`req_` + 24 hex digits). The id goes into
/// the context (`requestID`, problem bodies), the logger's metadata (every log line of the
/// request) and the response's `X-Request-Id`, also on errors.
public struct RequestIDMiddleware: RouterMiddleware {
    /// The middleware.
    public init() {}

    /// Sets the id, calls the rest of the chain, and stamps the response.
    public func handle(_ request: Request, context: SignetRequestContext,
                       next: (Request, SignetRequestContext) async throws -> Response) async throws -> Response {
        let id = request.headers[.requestID].flatMap { Self.isAcceptable($0) ? $0 : nil } ?? Self.generate()
        var context = context
        context.requestID = id
        context.logger[metadataKey: "hb.request.id"] = .string(id)
        var response = try await next(request, context)
        response.headers[.requestID] = id
        return response
    }

    /// Whether a client's id may be echoed: 1…128 characters of `[A-Za-z0-9._-]`.
    public static func isAcceptable(_ id: String) -> Bool {
        (1...128).contains(id.utf8.count) && id.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"): true
            default: false
            }
        }
    }

    /// `req_` + 96 random bits in hex.
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        return "req_" + (0..<12).map { _ in UInt8.random(in: 0...255, using: &generator) }.hexString
    }
}
