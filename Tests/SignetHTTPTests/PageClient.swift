import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SignetTestSupport
import Testing

/// A browser without JavaScript for the signing page tests: no redirects followed (the
/// tests look at each 303), a cookie jar, form posts.
final class PageClient: Sendable {
    let base: String
    private let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
    private let jar = SynchronizedJar()

    init(base: String) { self.base = base }

    deinit { try? client.syncShutdown() }

    /// A GET of `path`.
    func get(_ path: String, headers: [(String, String)] = []) async throws -> APIHarness.Reply {
        try await send(.GET, path, form: nil, headers: headers)
    }

    /// A form POST of `fields` to `path`.
    func post(_ path: String, _ fields: [String: String] = [:], headers: [(String, String)] = []) async throws -> APIHarness.Reply {
        try await send(.POST, path, form: fields, headers: headers)
    }

    /// A request with another method (no body).
    func send(_ method: HTTPMethod, _ path: String) async throws -> APIHarness.Reply {
        try await send(method, path, form: nil, headers: [])
    }

    /// The cookie `name`, as the jar holds it.
    func cookie(_ name: String) -> String? { jar.value(name) }

    /// Puts a cookie into the jar (another signer's, in the security tests).
    func setCookie(_ name: String, _ value: String) { jar.set(name, value) }

    private func send(_ method: HTTPMethod, _ path: String, form: [String: String]?, headers: [(String, String)]) async throws -> APIHarness.Reply {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        request.headers.add(name: "User-Agent", value: "SigningPageTests")
        if let cookies = jar.header() { request.headers.add(name: "Cookie", value: cookies) }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let form {
            let body = form.sorted { $0.key < $1.key }.map { "\($0.key)=\(Self.escape($0.value))" }.joined(separator: "&")
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await client.execute(request, timeout: .seconds(120))
        for header in response.headers[canonicalForm: "Set-Cookie"] { jar.store(String(header)) }
        let buffer = try await response.body.collect(upTo: 100 << 20)
        return APIHarness.Reply(status: Int(response.status.code), headers: response.headers, body: Array(buffer.readableBytesView))
    }

    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }
}

/// Cookies by name (the tests use one path at a time).
final class SynchronizedJar: Sendable {
    private let cookies = Mutex<[String: String]>([:])

    func store(_ setCookie: String) {
        guard let pair = setCookie.split(separator: ";").first, let equals = pair.firstIndex(of: "=") else { return }
        let name = String(pair[..<equals]).trimmingCharacters(in: .whitespaces)
        let value = String(pair[pair.index(after: equals)...])
        cookies.withLock { $0[name] = value.isEmpty ? nil : value }
    }

    func set(_ name: String, _ value: String) { cookies.withLock { $0[name] = value } }
    func value(_ name: String) -> String? { cookies.withLock { $0[name] } }
    func header() -> String? {
        cookies.withLock { $0.isEmpty ? nil : $0.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
    }
}

import Synchronization

extension APIHarness.Reply {
    /// The body as text.
    var text: String { String(decoding: body, as: UTF8.self) }
    /// The value of a hidden input `name` in the page.
    func hidden(_ name: String) -> String? {
        guard let range = text.range(of: "name=\"\(name)\" value=\"") else { return nil }
        return String(text[range.upperBound...].prefix { $0 != "\"" })
    }
}

extension APIHarness {
    /// The one-time codes the `log` notifier wrote, oldest first.
    func loggedCodes() throws -> [String] {
        try log.objects().filter { $0["message"] as? String == "one-time code" }.compactMap {
            ($0["metadata"] as? [String: Any])?["otp_code"] as? String ?? $0["otp_code"] as? String
        }
    }

    /// The one-time codes the `log` notifier wrote, by contract id, oldest first.
    func loggedCodesByContract() throws -> [String: [String]] {
        try log.objects().filter { $0["message"] as? String == "one-time code" }.reduce(into: [:]) { codes, line in
            let fields = line["metadata"] as? [String: Any] ?? line
            if let contract = fields["contract_id"] as? String, let code = fields["otp_code"] as? String {
                codes[contract, default: []].append(code)
            }
        }
    }

    /// A merchant and a sent contract for the page tests, with the contract's id, its merchant
    /// link's token and a fresh browser without JavaScript.
    func pageContract() async throws -> (merchant: [String: Any], contract: [String: Any], id: String, token: String, page: PageClient) {
        let (merchant, contract) = try await merchantAndContract()
        return (merchant, contract, try #require(contract["id"] as? String), try Self.token(of: contract), PageClient(base: baseURL))
    }

    /// The signing token of a created contract's first signer.
    static func token(of contract: [String: Any]) throws -> String {
        let url = try #require((contract["signers"] as? [[String: Any]])?.first?["signing_url"] as? String)
        return String(try #require(url.split(separator: "/").last))
    }
}
