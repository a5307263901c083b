public import FoundationEssentials
import CCurl
import Glibc
import Synchronization

/// `HTTPTransport` over libcurl (the system's libcurl4, TLS through the system OpenSSL and
/// its root certificates), loaded on the first post: commands that never go on the network,
/// `signet verify` above all, start without it and its ≈ 30 shared libraries.
///
/// Made for RFC 3161 and OCSP posts: `http` and `https` only, redirects are not followed
/// (a 3xx comes back as the reply), nothing is retried, the reply is not decompressed,
/// proxies from the environment are not used, and a reply body over `maxReplySize` bytes is
/// refused with `HTTPTransportError.replyTooLarge`. `timeout` bounds the whole exchange, not
/// only idle time: connecting, sending and receiving the full body; when it passes,
/// `HTTPTransportError.timeout` is thrown. Task cancellation aborts the exchange (within
/// about a second) and throws `CancellationError`.
///
/// Each exchange has its own easy handle on its own thread (libcurl blocks; Swift's
/// cooperative threads must not), and nothing outlives it: TSA and OCSP requests are few.
public struct CurlHTTPTransport: HTTPTransport {
    /// The largest reply body accepted by default: 1 MiB (a TSA reply is a few KB).
    public static let defaultMaxReplySize = 1 << 20

    /// The largest reply body accepted, in bytes.
    public let maxReplySize: Int

    /// A transport that accepts reply bodies of up to `maxReplySize` bytes.
    public init(maxReplySize: Int = CurlHTTPTransport.defaultMaxReplySize) {
        self.maxReplySize = max(0, maxReplySize)
    }

    /// POSTs `body` to `url` (`http` or `https`) and returns the status, media type and
    /// whole body of the reply, within `timeout` seconds for the whole exchange.
    public func post(_ body: [UInt8], to url: URL, contentType: String, accept: String, timeout: TimeInterval) async throws -> HTTPReply {
        guard let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty else {
            throw HTTPTransportError.unsupportedURL(url.absoluteString)
        }
        // libcurl reads a timeout of 0 as "none"; a deadline already passed is a timeout.
        guard timeout > 0 else { throw HTTPTransportError.timeout }
        try Task.checkCancellation()
        if let failure = signet_curl_load() {
            throw HTTPTransportError.unreachable("\(url.absoluteString): cannot load \(String(cString: failure.pointee.reason))")
        }
        let exchange = try CurlExchange(url: url, body: body, headers: ["Content-Type: \(contentType)", "Accept: \(accept)"],
                                        timeoutMilliseconds: Self.milliseconds(timeout), maxReplySize: maxReplySize)
        let outcome: Result<HTTPReply, any Error> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if let failure = startThread({ continuation.resume(returning: exchange.perform()) }) {
                    continuation.resume(returning: .failure(failure))
                }
            }
        } onCancel: {
            exchange.cancel()
        }
        if Task.isCancelled { throw CancellationError() }
        return try outcome.get()
    }

    /// Runs `body` on a new detached thread; the error when none can be started.
    private func startThread(_ body: @escaping @Sendable () -> Void) -> HTTPTransportError? {
        final class Work: Sendable {
            let body: @Sendable () -> Void
            init(_ body: @escaping @Sendable () -> Void) { self.body = body }
        }
        let work = Unmanaged.passRetained(Work(body)).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(&thread, nil, { context in
            Unmanaged<Work>.fromOpaque(context!).takeRetainedValue().body()
            return nil
        }, work)
        guard result == 0 else {
            Unmanaged<Work>.fromOpaque(work).release()
            return .unreachable("cannot start a thread: \(String(cString: strerror(result)))")
        }
        pthread_detach(thread)
        return nil
    }

    /// `seconds` as whole milliseconds, at least 1 and at most a century.
    private static func milliseconds(_ seconds: TimeInterval) -> Int {
        Int(max(1, min(seconds, 100 * 365 * 86_400) * 1000))
    }
}

/// One POST on one libcurl easy handle: options, reply buffer, error text, cancellation flag.
final class CurlExchange: @unchecked Sendable {
    // Unchecked Sendable: owns a libcurl easy handle and its header list (C handles, freed in
    // deinit). Only `perform()` uses the handle, on one thread at a time; `cancel()` touches
    // only the atomic flag the progress callback polls.
    private let handle: UnsafeMutableRawPointer
    private let headers: UnsafeMutablePointer<curl_slist>
    private let errorText = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))
    private let url: URL
    private let body: [UInt8]
    private let maxReplySize: Int
    private var reply: [UInt8] = []
    private var replyTooLarge = false
    private let cancelled = Atomic(false)

    init(url: URL, body: [UInt8], headers lines: [String], timeoutMilliseconds: Int, maxReplySize: Int) throws {
        guard let handle = signet_curl_easy_init() else { throw HTTPTransportError.unreachable("\(url.absoluteString): curl_easy_init failed") }
        // "Expect:" keeps libcurl from waiting for a 100-continue before sending the body.
        var list: UnsafeMutablePointer<curl_slist>?
        for line in lines + ["Expect:"] {
            guard let extended = signet_curl_slist_append(list, line) else {
                signet_curl_slist_free_all(list)
                signet_curl_easy_cleanup(handle)
                throw HTTPTransportError.unreachable("\(url.absoluteString): out of memory")
            }
            list = extended
        }
        self.handle = handle
        self.headers = list!
        self.url = url
        self.body = body
        self.maxReplySize = maxReplySize
        errorText.initialize(to: 0)
        configure(timeoutMilliseconds: timeoutMilliseconds)
    }

    deinit {
        signet_curl_easy_cleanup(handle)
        signet_curl_slist_free_all(headers)
        errorText.deallocate()
    }

    /// Stops the exchange at the next progress callback.
    func cancel() {
        cancelled.store(true, ordering: .relaxed)
    }

    private var isCancelled: Bool { cancelled.load(ordering: .relaxed) }

    private func configure(timeoutMilliseconds: Int) {
        let context = Unmanaged.passUnretained(self).toOpaque()
        _ = signet_curl_setopt_pointer(handle, CURLOPT_URL, url.absoluteString)
        _ = signet_curl_setopt_pointer(handle, CURLOPT_PROTOCOLS_STR, "http,https")
        _ = signet_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0)
        // An empty proxy: none, whatever http_proxy and friends say.
        _ = signet_curl_setopt_pointer(handle, CURLOPT_PROXY, "")
        // No signals: libcurl runs on a thread of a multi-threaded process.
        _ = signet_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        _ = signet_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, timeoutMilliseconds)
        _ = signet_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, timeoutMilliseconds)
        _ = signet_curl_setopt_pointer(handle, CURLOPT_HTTPHEADER, headers)
        _ = signet_curl_setopt_long(handle, CURLOPT_POST, 1)
        _ = signet_curl_setopt_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
        // Refused before the body when the Content-Length says too much; the write callback
        // bounds bodies without one.
        _ = signet_curl_setopt_off_t(handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(maxReplySize))
        _ = signet_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorText)
        _ = signet_curl_setopt_write_function(handle) { data, size, count, context in
            let exchange = Unmanaged<CurlExchange>.fromOpaque(context!).takeUnretainedValue()
            return exchange.receive(UnsafeRawBufferPointer(start: data, count: size * count))
        }
        _ = signet_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, context)
        _ = signet_curl_setopt_long(handle, CURLOPT_NOPROGRESS, 0)
        _ = signet_curl_setopt_xferinfo_function(handle) { context, _, _, _, _ in
            Unmanaged<CurlExchange>.fromOpaque(context!).takeUnretainedValue().isCancelled ? 1 : 0
        }
        _ = signet_curl_setopt_pointer(handle, CURLOPT_XFERINFODATA, context)
    }

    /// The write callback: appends to the reply, or refuses (returns 0) past the limit.
    private func receive(_ bytes: UnsafeRawBufferPointer) -> Int {
        guard reply.count + bytes.count <= maxReplySize else {
            replyTooLarge = true
            return 0
        }
        reply.append(contentsOf: bytes)
        return bytes.count
    }

    /// Runs the exchange (blocking) and returns the reply or the typed error.
    func perform() -> Result<HTTPReply, any Error> {
        let code = body.withUnsafeBytes { buffer in
            // The body is sent from this buffer, which stays valid for the whole perform. An
            // empty body has no buffer; libcurl reads 0 bytes from any valid pointer, and a null
            // one would make it read the body with a callback instead.
            _ = signet_curl_setopt_pointer(handle, CURLOPT_POSTFIELDS, buffer.baseAddress ?? UnsafeRawPointer(errorText))
            return signet_curl_easy_perform(handle)
        }
        switch code {
        case CURLE_OK:
            var status = 0
            _ = signet_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
            var contentType: UnsafePointer<CChar>?
            _ = signet_curl_getinfo_string(handle, CURLINFO_CONTENT_TYPE, &contentType)
            return .success(HTTPReply(status: status, contentType: contentType.map { String(cString: $0) }, body: reply))
        case CURLE_OPERATION_TIMEDOUT:
            return .failure(HTTPTransportError.timeout)
        case CURLE_ABORTED_BY_CALLBACK where isCancelled:
            return .failure(CancellationError())
        case CURLE_FILESIZE_EXCEEDED:
            return .failure(HTTPTransportError.replyTooLarge(limit: maxReplySize))
        case CURLE_WRITE_ERROR where replyTooLarge:
            return .failure(HTTPTransportError.replyTooLarge(limit: maxReplySize))
        default:
            let detail = String(cString: errorText)
            let why = detail.isEmpty ? String(cString: signet_curl_easy_strerror(code)) : detail
            return .failure(HTTPTransportError.unreachable("\(url.absoluteString): \(why)"))
        }
    }
}
