public import Foundation
import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// `HTTPTransport` over AsyncHTTPClient (SwiftNIO; TLS through NIOSSL with the system's
/// root certificates).
///
/// Made for RFC 3161 and OCSP posts: `http` and `https` only, redirects are not followed
/// (a 3xx comes back as the reply), nothing is retried, the reply is not decompressed, and
/// a reply body over `maxReplySize` bytes is refused with `HTTPTransportError.replyTooLarge`.
/// `timeout` bounds the whole exchange, not only idle time: connecting, sending and
/// receiving the full body; when it passes the request is cancelled and
/// `HTTPTransportError.timeout` thrown. Task cancellation cancels the request and throws
/// `CancellationError`.
///
/// Each exchange has its own client on NIO's shared event loops, shut down before `post`
/// returns: TSA and OCSP requests are few, and nothing (connections, pools) outlives them.
public struct AsyncHTTPClientTransport: HTTPTransport {
    /// The largest reply body accepted by default: 1 MiB (a TSA reply is a few KB).
    public static let defaultMaxReplySize = 1 << 20

    /// The largest reply body accepted, in bytes.
    public let maxReplySize: Int

    /// A transport that accepts reply bodies of up to `maxReplySize` bytes.
    public init(maxReplySize: Int = AsyncHTTPClientTransport.defaultMaxReplySize) {
        self.maxReplySize = max(0, maxReplySize)
    }

    /// POSTs `body` to `url` (`http` or `https`) and returns the status, media type and
    /// whole body of the reply, within `timeout` seconds for the whole exchange.
    public func post(_ body: [UInt8], to url: URL, contentType: String, accept: String, timeout: TimeInterval) async throws -> HTTPReply {
        guard let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty else {
            throw HTTPTransportError.unsupportedURL(url.absoluteString)
        }
        let request = Self.request(body, to: url, contentType: contentType, accept: accept)
        let budget = Self.nanoseconds(timeout)
        let deadline = NIODeadline.now() + .nanoseconds(budget)
        let configuration = Self.configuration(connectTimeout: .nanoseconds(budget))
        let limit = maxReplySize

        do {
            // The exchange races the deadline: AsyncHTTPClient's own deadline ends when the
            // response head arrives, and the body must be bounded in time too.
            return try await withThrowingTaskGroup(of: HTTPReply.self) { group in
                group.addTask {
                    try await HTTPClient.withHTTPClient(configuration: configuration) { client in
                        let response = try await client.execute(request, deadline: deadline)
                        let bytes = try await response.body.collect(upTo: limit)
                        return HTTPReply(status: Int(response.status.code),
                                         contentType: response.headers.first(name: "Content-Type"),
                                         body: Array(bytes.readableBytesView))
                    }
                }
                group.addTask {
                    try await Task.sleep(for: .nanoseconds(budget))
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

    /// The POST request with its Content-Type and Accept headers (the body's length is known,
    /// so it goes with a Content-Length).
    private static func request(_ body: [UInt8], to url: URL, contentType: String, accept: String) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: contentType)
        request.headers.add(name: "Accept", value: accept)
        request.body = .bytes(body)
        return request
    }

    /// A client configuration for one exchange: no redirects, no decompression, one
    /// connection attempt (a refused connection is reported at once, not retried until the
    /// deadline).
    private static func configuration(connectTimeout: TimeAmount) -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: HTTPClient.Configuration.Timeout(connect: connectTimeout),
            decompression: .disabled
        )
        configuration.connectionPool.retryConnectionEstablishment = false
        return configuration
    }

    /// `seconds` as whole nanoseconds, at least 0 (NaN too) and at most a century.
    private static func nanoseconds(_ seconds: TimeInterval) -> Int64 {
        guard seconds > 0 else { return 0 }
        return Int64(min(seconds, 100 * 365 * 86_400) * 1_000_000_000)
    }

    /// The typed error for what AsyncHTTPClient, NIO or the deadline threw.
    private static func transportError(_ error: any Error, url: URL, limit: Int) -> any Error {
        if Task.isCancelled { return CancellationError() }
        switch error {
        case let error as HTTPTransportError:
            return error
        case is NIOTooManyBytesError:
            return HTTPTransportError.replyTooLarge(limit: limit)
        case let error as IOError:
            return HTTPTransportError.unreachable("\(url.absoluteString): \(String(cString: strerror(error.errnoCode)))")
        case let error as HTTPParserError:
            return HTTPTransportError.unreachable("\(url.absoluteString): the reply is not HTTP (\(error))")
        case let error as HTTPClientError:
            switch error {
            case .deadlineExceeded, .connectTimeout, .readTimeout, .writeTimeout, .tlsHandshakeTimeout,
                 .getConnectionFromPoolTimeout:
                return HTTPTransportError.timeout
            case .invalidURL, .emptyHost, .emptyScheme:
                return HTTPTransportError.unsupportedURL(url.absoluteString)
            default:
                return HTTPTransportError.unreachable("\(url.absoluteString): \(error)")
            }
        default:
            return HTTPTransportError.unreachable("\(url.absoluteString): \(error)")
        }
    }
}
