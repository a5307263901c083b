import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The scale-out tests' HTTP client: no redirects followed (the page tests look at each 303),
/// and up to 128 connections per host so that 100 requests really are in flight at once.
enum ScaleOutHTTP {
    static let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        configuration.connectionPool = .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: 128)
        return configuration
    }())

    /// Sends one request (through `client`, by default the one above); the whole response.
    static func send(_ method: NIOHTTP1.HTTPMethod, _ url: String, headers: [(String, String)] = [], body: [UInt8]? = nil,
                     timeout: TimeAmount = .seconds(120), client: HTTPClient = client) async throws -> APIHarness.Reply {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await client.execute(request, timeout: timeout)
        let buffer = try await response.body.collect(upTo: 200 << 20)
        return APIHarness.Reply(status: Int(response.status.code), headers: response.headers, body: Array(buffer.readableBytesView))
    }
}

/// A browser without JavaScript whose requests may go to a different instance each time: one
/// cookie jar, the base URL chosen per request (the session lives in the database, so any
/// instance must honour it).
final class ScaleOutBrowser: Sendable {
    private let jar = SynchronizedJar()

    /// A GET of `base + path`.
    func get(_ base: String, _ path: String) async throws -> APIHarness.Reply {
        try await send(.GET, base + path, form: nil)
    }

    /// A form POST of `fields` to `base + path`.
    func post(_ base: String, _ path: String, _ fields: [String: String] = [:]) async throws -> APIHarness.Reply {
        try await send(.POST, base + path, form: fields)
    }

    /// The cookie `name`.
    func cookie(_ name: String) -> String? { jar.value(name) }

    private func send(_ method: HTTPMethod, _ url: String, form: [String: String]?) async throws -> APIHarness.Reply {
        var headers = [("User-Agent", "ScaleOutTests")]
        if let cookies = jar.header() { headers.append(("Cookie", cookies)) }
        var body: [UInt8]?
        if let form {
            body = Array(form.sorted { $0.key < $1.key }.map { "\($0.key)=\(PageClient.escape($0.value))" }.joined(separator: "&").utf8)
            headers.append(("Content-Type", "application/x-www-form-urlencoded"))
        }
        let reply = try await ScaleOutHTTP.send(method, url, headers: headers, body: body)
        for header in reply.headers[canonicalForm: "Set-Cookie"] { jar.store(String(header)) }
        return reply
    }
}
