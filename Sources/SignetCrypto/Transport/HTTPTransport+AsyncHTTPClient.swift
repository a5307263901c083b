public import AsyncHTTPClient
public import FoundationEssentials
import Glibc
import NIOCore
import NIOHTTP1
import NIOSSL

/// `HTTPTransport` over AsyncHTTPClient (SwiftNIO's event loops; TLS through NIOSSL with the
/// system's root certificates): the one HTTP client of Signet's outbound requests.
///
/// Made for RFC 3161 and OCSP posts: `http` and `https` only, redirects are not followed
/// (a 3xx comes back as the reply), nothing is retried, the reply is not decompressed, no
/// proxy is used, and a reply body over `maxReplySize` bytes is refused with
/// `HTTPTransportError.replyTooLarge`. These hold with `sharedClient` and any client made with
/// `clientConfiguration`. `timeout` bounds the whole exchange, not only idle time: connecting,
/// sending and receiving the full body; when it passes, the request is cancelled and
/// `HTTPTransportError.timeout` is thrown. Task cancellation cancels the request and throws
/// `CancellationError`.
///
/// The exchange runs on NIO's event loops; the calling task only awaits it, so Swift's
/// cooperative threads are never blocked.
public struct AsyncHTTPClientTransport: HTTPTransport {
    /// The largest reply body accepted by default: 1 MiB (a TSA reply is a few KB).
    public static let defaultMaxReplySize = 1 << 20

    /// What the transport's guarantees rest on: no redirects, no decompression, and a refused
    /// connection reported at once rather than retried until the deadline. No proxy either
    /// (AsyncHTTPClient reads none from the environment).
    public static var clientConfiguration: HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow, decompression: .disabled)
        configuration.connectionPool.retryConnectionEstablishment = false
        return configuration
    }

    /// The process's client for outbound requests, on NIO's shared event loops, with
    /// `clientConfiguration`: one connection pool for every transport that is not given its
    /// own client. Like `HTTPClient.shared` it lives as long as the process and is never shut
    /// down.
    public static let sharedClient = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup,
                                                configuration: clientConfiguration)

    /// The largest reply body accepted, in bytes.
    public let maxReplySize: Int
    private let client: HTTPClient

    /// A transport on `client` (by default `sharedClient`; a client the caller owns, and
    /// shuts down, should be made with `clientConfiguration`) that accepts reply bodies of up
    /// to `maxReplySize` bytes.
    public init(client: HTTPClient = AsyncHTTPClientTransport.sharedClient,
                maxReplySize: Int = AsyncHTTPClientTransport.defaultMaxReplySize) {
        self.client = client
        self.maxReplySize = max(0, maxReplySize)
    }

    /// POSTs `body` to `url` (`http` or `https`) and returns the status, media type and
    /// whole body of the reply, within `timeout` seconds for the whole exchange.
    public func post(_ body: [UInt8], to url: URL, contentType: String, accept: String, timeout: TimeInterval) async throws -> HTTPReply {
        let reply = try await send(body, to: url, headers: [("Content-Type", contentType), ("Accept", accept)], timeout: timeout)
        return HTTPReply(status: reply.status, contentType: reply.header("Content-Type"), body: reply.body)
    }

    /// POSTs `body` to `url` (`http` or `https`) with `headers` (a `Host` among them replaces
    /// the URL's: a request to a checked IP address on behalf of a name) and returns the
    /// status, headers and whole body of the reply, within `timeout` seconds for the whole
    /// exchange, under the guarantees of the type comment.
    public func send(_ body: [UInt8], to url: URL, headers: [(name: String, value: String)],
                     timeout: TimeInterval) async throws -> OutboundReply {
        guard let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty else {
            throw HTTPTransportError.unsupportedURL(url.absoluteString)
        }
        // A deadline already passed (or not a number) is a timeout.
        guard timeout > 0 else { throw HTTPTransportError.timeout }
        try Task.checkCancellation()
        let request = Self.request(body, to: url, headers: headers)
        let budget = TimeAmount.nanoseconds(Self.nanoseconds(timeout))
        let (client, limit) = (self.client, maxReplySize)
        do {
            // The exchange races the deadline: AsyncHTTPClient's own deadline ends when the
            // response head arrives, and the body must be bounded in time too.
            return try await withThrowingTaskGroup(of: OutboundReply.self) { group in
                group.addTask {
                    let response = try await client.execute(request, deadline: .now() + budget)
                    let bytes = try await response.body.collect(upTo: limit)
                    return OutboundReply(status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
                                         body: Array(bytes.readableBytesView))
                }
                group.addTask {
                    try await Task.sleep(for: .nanoseconds(budget.nanoseconds))
                    throw HTTPTransportError.timeout
                }
                // Whichever finishes first decides; the other is cancelled (and awaited).
                defer { group.cancelAll() }
                guard let reply = try await group.next() else { throw HTTPTransportError.timeout }
                return reply
            }
        } catch {
            throw Self.transportError(error, url: url, limit: limit)
        }
    }

    /// The POST with `headers` (each replacing one of the same name) and the body (with its
    /// Content-Length: the length is known).
    private static func request(_ body: [UInt8], to url: URL, headers: [(name: String, value: String)]) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .POST
        for (name, value) in headers { request.headers.replaceOrAdd(name: name, value: value) }
        request.body = .bytes(body)
        return request
    }

    /// `seconds` as whole nanoseconds, at least 1 and at most a century.
    private static func nanoseconds(_ seconds: TimeInterval) -> Int64 {
        Int64(max(1, min(seconds, 100 * 365 * 86_400) * 1_000_000_000))
    }

    /// The typed error for what AsyncHTTPClient, NIO or the deadline threw.
    private static func transportError(_ error: any Error, url: URL, limit: Int) -> any Error {
        if Task.isCancelled { return CancellationError() }
        let place = url.absoluteString
        switch error {
        case let error as HTTPTransportError:
            return error
        case is NIOTooManyBytesError:
            return HTTPTransportError.replyTooLarge(limit: limit)
        case let error as IOError:
            return HTTPTransportError.unreachable("\(place): \(String(cString: strerror(error.errnoCode)))")
        case let error as HTTPParserError:
            return HTTPTransportError.unreachable("\(place): the reply is not HTTP (\(error))")
        case let error as NIOSSLError:
            return HTTPTransportError.unreachable("\(place): TLS failed: \(error)")
        case let error as HTTPClientError:
            switch error {
            case .deadlineExceeded, .connectTimeout, .readTimeout, .writeTimeout, .tlsHandshakeTimeout,
                 .getConnectionFromPoolTimeout:
                return HTTPTransportError.timeout
            case .invalidURL, .emptyHost, .emptyScheme:
                return HTTPTransportError.unsupportedURL(place)
            case .remoteConnectionClosed:
                return HTTPTransportError.unreachable("\(place): the server closed the connection without a complete reply")
            default:
                return HTTPTransportError.unreachable("\(place): \(error)")
            }
        default:
            return HTTPTransportError.unreachable("\(place): \(error)")
        }
    }
}
