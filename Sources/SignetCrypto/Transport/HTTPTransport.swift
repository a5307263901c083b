public import FoundationEssentials

/// An HTTP reply as the timestamp (and later OCSP) clients need it.
public struct HTTPReply: Sendable {
    /// The HTTP status code (200, 404, ...).
    public let status: Int
    /// The Content-Type header, if any.
    public let contentType: String?
    /// The whole reply body.
    public let body: [UInt8]

    /// A reply with the given status, media type and body.
    public init(status: Int, contentType: String?, body: [UInt8]) {
        self.status = status
        self.contentType = contentType
        self.body = body
    }
}

/// Why an HTTP exchange failed before a complete reply arrived.
public enum HTTPTransportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The whole exchange (connecting, sending, receiving the full reply) did not finish
    /// within the deadline.
    case timeout
    /// No reply could be had: the host did not resolve, refused the connection, failed the
    /// TLS handshake, or the connection broke before the reply was complete.
    case unreachable(String)
    /// The URL is not an absolute `http` or `https` URL with a host.
    case unsupportedURL(String)
    /// The reply body is larger than the transport accepts (`limit` bytes).
    case replyTooLarge(limit: Int)

    /// A stable, machine-readable code for the case, e.g. `http_transport.timeout` (docs/error-codes.md):
    /// for programs and the API's problem details; `description` is for people.
    public var code: String {
        switch self {
        case .timeout: "http_transport.timeout"
        case .unreachable: "http_transport.unreachable"
        case .unsupportedURL: "http_transport.unsupported_url"
        case .replyTooLarge: "http_transport.reply_too_large"
        }
    }

    /// What went wrong with the exchange, in words.
    public var description: String {
        switch self {
        case .timeout: "the request timed out"
        case .unreachable(let why): why
        case .unsupportedURL(let url): "\(url): not an http or https URL"
        case .replyTooLarge(let limit): "the reply is larger than \(limit) bytes"
        }
    }
}

/// Posts a body and returns the reply: the one network operation the TSA client needs,
/// behind a protocol so tests and the HTTP service can substitute their own.
public protocol HTTPTransport: Sendable {
    /// POSTs `body` to `url` with the given Content-Type and Accept headers.
    /// Throws `HTTPTransportError` when no reply arrives.
    func post(_ body: [UInt8], to url: URL, contentType: String, accept: String, timeout: TimeInterval) async throws -> HTTPReply
}

/// A reply with all its headers, for outbound requests that read more than the media type
/// (a webhook endpoint's `Retry-After`).
public struct OutboundReply: Sendable {
    /// The HTTP status code.
    public let status: Int
    /// The reply's headers, in order, names as sent.
    public let headers: [(name: String, value: String)]
    /// The whole reply body.
    public let body: [UInt8]

    /// A reply with the given status, headers and body.
    public init(status: Int, headers: [(name: String, value: String)], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of the header `name` (compared case-insensitively).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}
