import Foundation
import SignetCrypto
import SignetTestSupport
import Testing

/// `Tests/Fixtures/http-transport-server.py`: a local HTTP and HTTPS server that echoes,
/// redirects, sends big, slow or broken replies on request.
final class MisbehavingHTTPServer: Sendable {
    private let server: FixtureServer
    let port: Int
    let tlsPort: Int

    init() throws {
        server = try FixtureServer(script: "http-transport-server.py")
        let ports = try server.ports(2)
        (port, tlsPort) = (ports[0], ports[1])
    }

    /// `http://127.0.0.1:PORT/path`.
    func url(_ path: String) -> URL { URL(string: "http://127.0.0.1:\(port)/\(path)")! }
}

/// Posts `body` and returns the reply or the error.
private func post(_ url: URL, _ body: [UInt8] = Array("query".utf8), timeout: TimeInterval = TestTimeouts.exchange,
                  transport: AsyncHTTPClientTransport = AsyncHTTPClientTransport()) async -> Result<HTTPReply, any Error> {
    do {
        return .success(try await transport.post(body, to: url, contentType: "application/timestamp-query",
                                                 accept: "application/timestamp-reply", timeout: timeout))
    } catch {
        return .failure(error)
    }
}

/// The transport error of a failed post, nil for a reply or another error.
private func transportError(_ result: Result<HTTPReply, any Error>) -> HTTPTransportError? {
    if case .failure(let error) = result { return error as? HTTPTransportError }
    return nil
}

@Suite("HTTP transport over AsyncHTTPClient (a local server that misbehaves on request)")
struct HTTPTransportTests {
    @Test("The body is POSTed with its Content-Type, Accept and Content-Length; host names resolve")
    func postsBodyAndHeaders() async throws {
        let server = try MisbehavingHTTPServer()
        let body = [UInt8](0...255) + Array("end".utf8)
        for host in ["127.0.0.1", "localhost"] {
            let url = URL(string: "http://\(host):\(server.port)/echo")!
            let reply = try await post(url, body).get()
            #expect(reply.status == 200)
            #expect(reply.contentType == "application/x-echo")
            let head = Array("POST|application/timestamp-query|application/timestamp-reply|\(body.count)\n".utf8)
            #expect(reply.body == head + body)
        }
    }

    @Test("Redirects are not followed: the 3xx is the reply", arguments: [301, 302, 307, 308])
    func redirectsAreReplies(status: Int) async throws {
        let server = try MisbehavingHTTPServer()
        let reply = try await post(server.url("redirect-\(status)")).get()
        #expect(reply.status == status)
        #expect(reply.body == Array("moved".utf8))
    }

    @Test("Replies over the size limit are refused, with or without a Content-Length")
    func replySizeIsBounded() async throws {
        let server = try MisbehavingHTTPServer()
        let limit = AsyncHTTPClientTransport.defaultMaxReplySize
        #expect(limit == 1 << 20)
        #expect(try await post(server.url("size/\(limit)")).get().body.count == limit)
        #expect(try await post(server.url("chunked/\(limit)")).get().body.count == limit)
        #expect(transportError(await post(server.url("size/\(limit + 1)"))) == .replyTooLarge(limit: limit))
        #expect(transportError(await post(server.url("chunked/\(limit + 1)"))) == .replyTooLarge(limit: limit))

        let small = AsyncHTTPClientTransport(maxReplySize: 1000)
        #expect(try await post(server.url("size/1000"), transport: small).get().body.count == 1000)
        #expect(transportError(await post(server.url("size/1001"), transport: small)) == .replyTooLarge(limit: 1000))
        #expect(transportError(await post(server.url("chunked/100000"), transport: small)) == .replyTooLarge(limit: 1000))
    }

    @Test("The timeout bounds the whole exchange: a late head and a trickling body both time out")
    func deadlineCoversTheExchange() async throws {
        let server = try MisbehavingHTTPServer()
        #expect(transportError(await post(server.url("slow-head"), timeout: 1)) == .timeout)
        // The head arrives at once; the 1000-byte body would take 200 seconds.
        #expect(transportError(await post(server.url("slow-body"), timeout: 1)) == .timeout)
        // A deadline already passed.
        #expect(transportError(await post(server.url("echo"), timeout: 0)) == .timeout)
    }

    @Test("Cancelling the task cancels the exchange")
    func cancellation() async throws {
        let server = try MisbehavingHTTPServer()
        let url = server.url("slow-head")  // would answer after 5 seconds
        let exchange = Task { await post(url, timeout: 60) }
        try await Task.sleep(for: .milliseconds(300))
        exchange.cancel()
        guard case .failure(let error) = await exchange.value else {
            Issue.record("a cancelled exchange returned a reply")
            return
        }
        #expect(error is CancellationError)
    }

    @Test("Refused, closed and non-HTTP connections are unreachable; other schemes are unsupported")
    func unreachableAndUnsupported() async throws {
        let server = try MisbehavingHTTPServer()
        for url in [URL(string: "http://127.0.0.1:1/ok")!, server.url("close"), server.url("not-http")] {
            guard case .unreachable(let why)? = transportError(await post(url)) else {
                Issue.record("\(url): expected unreachable")
                continue
            }
            #expect(why.hasPrefix(url.absoluteString))
        }
        for text in ["ftp://127.0.0.1/tsa", "file:///tmp/tsa", "http+unix://%2Ftmp%2Fsocket/tsa", "tsa"] {
            let url = try #require(URL(string: text))
            #expect(transportError(await post(url)) == .unsupportedURL(url.absoluteString))
        }
    }

    @Test("https is spoken, and a certificate that is not trusted ends the exchange")
    func httpsWithUntrustedCertificate() async throws {
        let server = try MisbehavingHTTPServer()
        let url = URL(string: "https://127.0.0.1:\(server.tlsPort)/echo")!
        guard case .unreachable(let why)? = transportError(await post(url)) else {
            Issue.record("a self-signed server certificate must not be accepted")
            return
        }
        #expect(why.lowercased().contains("certificate"), "\(why)")
    }
}
