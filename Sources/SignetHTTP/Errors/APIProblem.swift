import FoundationEssentials
public import HTTPTypes
public import Hummingbird
import NIOCore

/// An RFC 9457 problem: what every error response of the API is
/// (`application/problem+json`, api-shapes.md "Errors").
///
/// Throw one from a handler (`throw APIProblem.notFound(code: "contract_not_found", detail: …)`);
/// `ProblemMiddleware` fills in the request id and turns every other error into one. The
/// `detail` is written for the API's client: never a stack trace, SQL, a path on the server
/// or key material.
public struct APIProblem: HTTPResponseError, Sendable, Equatable {
    /// One field's problem in a `validation_failed` (or `invalid_request`) problem.
    public struct FieldProblem: Sendable, Equatable, Codable {
        /// The field's path, e.g. `fields.merchant_phone`.
        public var field: String
        /// The validator's code, e.g. `invalid_format`.
        public var code: String
        /// A sentence for people.
        public var message: String

        /// A field problem.
        public init(field: String, code: String, message: String) {
            self.field = field
            self.code = code
            self.message = message
        }
    }

    /// The HTTP status.
    public var status: HTTPResponse.Status
    /// The stable machine-readable code (`not_found`, `body_too_large`, …); also the last
    /// segment of `type`.
    public var code: String
    /// A short summary, the same for every problem with this code.
    public var title: String
    /// What happened to this request, in a sentence (nil for `internal_error`).
    public var detail: String?
    /// Field problems, all at once.
    public var errors: [FieldProblem]?
    /// Extra response headers (e.g. `Allow` on 405).
    public var headers: HTTPFields
    /// The request id, set by `ProblemMiddleware` when the response is written.
    public var requestID: String?

    /// The `type` URI prefix; the code follows it.
    public static let typePrefix = "https://signet.dev/problems/"
    /// The problem media type.
    public static let mediaType = "application/problem+json"

    /// A problem with these members.
    public init(status: HTTPResponse.Status, code: String, title: String, detail: String?, errors: [FieldProblem]? = nil,
                headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.title = title
        self.detail = detail
        self.errors = errors
        self.headers = headers
    }

    /// The `type` member: `https://signet.dev/problems/<code>`.
    public var type: String { Self.typePrefix + code }

    /// The problem as its JSON response, with the request id when known.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = headers
        headers[.contentType] = Self.mediaType
        let body = try Self.encoder.encode(Body(problem: self))
        headers[.contentLength] = String(body.count)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// The JSON members, in RFC 9457's names plus Signet's `code`, `request_id` and `errors`.
    private struct Body: Encodable {
        let type: String
        let title: String
        let status: Int
        let detail: String?
        let code: String
        let requestID: String?
        let errors: [FieldProblem]?

        init(problem: APIProblem) {
            type = problem.type
            title = problem.title
            status = problem.status.code
            detail = problem.detail
            code = problem.code
            requestID = problem.requestID
            errors = problem.errors
        }

        enum CodingKeys: String, CodingKey {
            case type, title, status, detail, code, requestID = "request_id", errors
        }
    }
}
