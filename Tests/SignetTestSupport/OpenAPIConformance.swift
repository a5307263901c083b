public import Foundation
import Synchronization

/// Records HTTP exchanges during a test and checks every response against the API's
/// OpenAPI document (`Sources/SignetHTTP/Resources/openapi.json`) with openapi-core.
///
/// Record each response the test receives, then call `check()` once at the end:
///
/// ```swift
/// let conformance = OpenAPIConformance()
/// conformance.record(method: "GET", path: "/v1/contracts/ctr_…", query: nil, status: 200,
///                    headers: ["X-Request-Id": "req_…"], contentType: "application/json", body: data)
/// try conformance.check()   // throws with every failing exchange
/// ```
///
/// `check()` writes the exchanges as JSON Lines to a temporary directory and runs
/// `Tests/Fixtures/openapi-conformance.py` (the path and method must be in the document, the
/// status documented for that operation, the content type, the body's schema and the
/// required response headers must match). Safe to record from concurrent tasks.
public final class OpenAPIConformance: Sendable {
    /// One recorded exchange, in the checker's JSON Lines form.
    public struct Exchange: Sendable, Codable, Equatable {
        /// The request method, e.g. `GET`.
        public var method: String
        /// The concrete request path, e.g. `/v1/contracts/ctr_abc`, without the query.
        public var path: String
        /// The raw query string without `?`, or nil.
        public var query: String?
        /// The response status.
        public var status: Int
        /// The response headers.
        public var headers: [String: String]
        /// The response `Content-Type`, or nil for a response without one (e.g. 304).
        public var contentType: String?
        /// The response body, base64.
        public var bodyBase64: String

        /// An exchange; `body` is stored as base64.
        public init(method: String, path: String, query: String? = nil, status: Int, headers: [String: String],
                    contentType: String?, body: Data) {
            self.method = method
            self.path = path
            self.query = query
            self.status = status
            self.headers = headers
            self.contentType = contentType
            self.bodyBase64 = body.base64EncodedString()
        }

        enum CodingKeys: String, CodingKey {
            case method, path, query, status, headers
            case contentType = "content_type"
            case bodyBase64 = "body_b64"
        }
    }

    /// The repository's OpenAPI document.
    public static var defaultDocument: URL {
        RepositoryPaths.root.appendingPathComponent("Sources/SignetHTTP/Resources/openapi.json")
    }

    /// The checker script.
    public static var checker: URL { RepositoryPaths.fixtures.appendingPathComponent("openapi-conformance.py") }

    /// The document the responses are checked against.
    public let document: URL
    private let exchanges = Mutex<[Exchange]>([])

    /// A recorder checking against `document` (default: the repository's).
    public init(document: URL = OpenAPIConformance.defaultDocument) {
        self.document = document
    }

    /// Records one response. `path` may carry the query (`/v1/contracts?limit=2`) when `query`
    /// is nil; it is split off.
    public func record(method: String, path: String, query: String? = nil, status: Int,
                       headers: [String: String], contentType: String?, body: Data) {
        var path = path
        var query = query
        if query == nil, let mark = path.firstIndex(of: "?") {
            query = String(path[path.index(after: mark)...])
            path = String(path[..<mark])
        }
        record(Exchange(method: method.uppercased(), path: path, query: query, status: status, headers: headers,
                        contentType: contentType, body: body))
    }

    /// Records one exchange as it is.
    public func record(_ exchange: Exchange) {
        exchanges.withLock { $0.append(exchange) }
    }

    /// The exchanges recorded so far, in order.
    public var recorded: [Exchange] { exchanges.withLock { $0 } }

    /// Checks every recorded exchange; throws `OpenAPIConformanceError` listing each failure
    /// (or `nothingRecorded`: a check of nothing proves nothing).
    public func check() throws {
        let all = recorded
        guard !all.isEmpty else { throw OpenAPIConformanceError.nothingRecorded }
        let directory = try TemporaryDirectory("signet-openapi")
        let file = directory.file("exchanges.jsonl")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var lines = Data()
        for exchange in all {
            lines.append(try encoder.encode(exchange))
            lines.append(0x0A)
        }
        try lines.write(to: file)
        let result = try ExternalTool.run("python3", [Self.checker.path, document.path, file.path])
        guard result.status == 0 else {
            throw OpenAPIConformanceError.nonConforming(status: result.status, output: result.combinedOutput)
        }
    }
}

/// Why `OpenAPIConformance.check()` failed.
public enum OpenAPIConformanceError: Error, CustomStringConvertible {
    /// `check()` was called before anything was recorded.
    case nothingRecorded
    /// The checker rejected some exchange (status 1) or could not run (status 2); its output.
    case nonConforming(status: Int32, output: String)

    /// The checker's report.
    public var description: String {
        switch self {
        case .nothingRecorded:
            return "OpenAPIConformance.check(): no exchange was recorded"
        case .nonConforming(let status, let output):
            return "responses do not conform to openapi.json (checker exit \(status)):\n\(output)"
        }
    }
}
