public import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// An HTTP reply as the timestamp (and later OCSP) clients need it.
public struct HTTPReply: Sendable {
    public let status: Int
    /// The Content-Type header, if any.
    public let contentType: String?
    public let body: [UInt8]

    public init(status: Int, contentType: String?, body: [UInt8]) {
        self.status = status
        self.contentType = contentType
        self.body = body
    }
}

/// Why an HTTP exchange failed before a reply arrived.
public enum HTTPTransportError: Error, Sendable, Equatable, CustomStringConvertible {
    case timeout
    case unreachable(String)

    public var description: String {
        switch self {
        case .timeout: "the request timed out"
        case .unreachable(let why): why
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

/// `HTTPTransport` over Foundation's URLSession (FoundationNetworking/libcurl on Linux).
///
/// `timeout` bounds the whole exchange, not only idle time: when it passes, the request is
/// cancelled and `HTTPTransportError.timeout` thrown. Task cancellation cancels it too.
public struct URLSessionHTTPTransport: HTTPTransport {
    private let session: URLSession

    /// A transport with its own ephemeral session (no cookies, no cache).
    public init() {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        session = URLSession(configuration: configuration)
    }

    public func post(_ body: [UInt8], to url: URL, contentType: String, accept: String, timeout: TimeInterval) async throws -> HTTPReply {
        // The URLRequest(url:cachePolicy:timeoutInterval:) initializer of swift-corelibs-foundation
        // drops the timeout; set the property instead.
        var request = URLRequest(url: url)
        request.cachePolicy = .reloadIgnoringLocalCacheData
        request.timeoutInterval = timeout
        request.httpMethod = "POST"
        request.httpBody = Data(body)
        request.setValue(contentType, forHTTPHeaderField: "Content-Type")
        request.setValue(accept, forHTTPHeaderField: "Accept")
        let exchange = PendingExchange()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HTTPReply, any Error>) in
                let task = session.dataTask(with: request) { data, response, error in
                    exchange.finish(Self.reply(url: url, data: data, response: response, error: error))
                }
                exchange.start(task, continuation)
                task.resume()
                DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
                    exchange.finish(.failure(HTTPTransportError.timeout))
                }
            }
        } onCancel: {
            exchange.finish(.failure(CancellationError()))
        }
    }

    private static func reply(url: URL, data: Data?, response: URLResponse?, error: (any Error)?) -> Result<HTTPReply, any Error> {
        if let error {
            let nsError = error as NSError
            if nsError.domain == NSURLErrorDomain && nsError.code == NSURLErrorTimedOut {
                return .failure(HTTPTransportError.timeout)
            }
            return .failure(HTTPTransportError.unreachable("\(url.absoluteString): \(error.localizedDescription)"))
        }
        guard let http = response as? HTTPURLResponse else {
            return .failure(HTTPTransportError.unreachable("\(url.absoluteString): not an HTTP response"))
        }
        return .success(HTTPReply(status: http.statusCode, contentType: http.value(forHTTPHeaderField: "Content-Type"),
                                  body: [UInt8](data ?? Data())))
    }
}

/// One HTTP exchange whose outcome is delivered exactly once: the reply, the deadline or
/// a cancellation, whichever comes first; the losers cancel the URLSession task.
private final class PendingExchange: @unchecked Sendable {
    // Unchecked Sendable: every field is read and written under `lock`.
    private let lock = NSLock()
    private var task: URLSessionDataTask?
    private var continuation: CheckedContinuation<HTTPReply, any Error>?
    private var outcome: Result<HTTPReply, any Error>?

    func start(_ task: URLSessionDataTask, _ continuation: CheckedContinuation<HTTPReply, any Error>) {
        lock.lock()
        if let outcome {  // cancelled before the task started
            lock.unlock()
            task.cancel()
            continuation.resume(with: outcome)
            return
        }
        self.task = task
        self.continuation = continuation
        lock.unlock()
    }

    func finish(_ result: Result<HTTPReply, any Error>) {
        lock.lock()
        guard outcome == nil else {
            lock.unlock()
            return
        }
        outcome = result
        let continuation = self.continuation
        let task = self.task
        self.continuation = nil
        lock.unlock()
        if case .failure = result { task?.cancel() }
        continuation?.resume(with: result)
    }
}
