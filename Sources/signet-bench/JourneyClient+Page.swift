import AsyncHTTPClient
import FoundationEssentials
import NIOCore
import NIOHTTP1
import SignetService
import SignetTemplates

/// Page images are not served by this build (`GET /s/{token}/pages/1.png` is 404 until the
/// rasteriser is merged).
struct PageImagesNotServed: Error, CustomStringConvertible {
    var description: String { "page images are not served by this build (GET /s/{token}/pages/1.png: HTTP 404)" }
}

extension JourneyClient {
    /// The merchant signs on the signing page as a browser without JavaScript does, every
    /// request over HTTP: landing `GET /s/{token}` → `POST …/code` and the code form it
    /// redirects to → the code (from `codes`) `POST …/verify` (303 with the session cookie) →
    /// `GET …/review` (its CSRF token and document digest read from the form) and, with
    /// `images`, every page image at once as a browser loads them → `POST …/sign` (consent,
    /// CSRF, digest; 303) → `GET …/done` (the signed PDF's SHA-256) → `GET …/signed.pdf`,
    /// checked to be the completed B-LTA with that SHA-256. Each step's duration.
    func signOnPage(contractID: String, signingURL: String, codes: CapturedCodes, images: Bool) async throws -> [(String, Duration)] {
        guard let marker = signingURL.firstRange(of: "/s/") else { throw BenchError("\(contractID): signing_url \(signingURL) has no /s/") }
        let base = "/s/" + signingURL[marker.upperBound...]
        let clock = ContinuousClock()
        var steps: [(String, Duration)] = []
        var mark = clock.now
        func step(_ name: String) {
            let now = clock.now
            steps.append((name, now - mark))
            mark = now
        }

        let landing = try await page(.GET, base, expect: 200)
        guard landing.text.contains("action=\"\(base)/code\"") else { throw BenchError("\(contractID): the landing has no code form") }
        step("landing")

        let sent = try await page(.POST, base + "/code", form: [:], expect: 303)
        _ = try await page(.GET, try sent.location(), expect: 200)
        let code = try codes.take(contractID: contractID, role: .merchant)
        step("code")

        let verified = try await page(.POST, base + "/verify", form: ["code": code], expect: 303)
        guard let cookie = verified.sessionCookie else { throw BenchError("\(contractID): verify set no session cookie") }
        step("verify")

        let review = try await page(.GET, try verified.location(), cookie: cookie, expect: 200)
        guard let csrf = review.hidden("csrf"), let digest = review.hidden("document_sha256") else {
            throw BenchError("\(contractID): the review page has no sign form")
        }
        step("review")

        if images {
            let sources = review.imageSources
            guard !sources.isEmpty else { throw BenchError("\(contractID): the review page shows no page images") }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for source in sources {
                    group.addTask {
                        let image = try await self.page(.GET, source, cookie: cookie, expect: nil)
                        if image.status == 404 { throw PageImagesNotServed() }
                        guard image.status == 200, image.headers.first(name: "Content-Type") == "image/png",
                              image.body.readableBytesView.starts(with: [0x89, 0x50, 0x4E, 0x47]) else {
                            throw BenchError("\(contractID): \(source): HTTP \(image.status), not a PNG")
                        }
                    }
                }
                try await group.waitForAll()
            }
            step("images")
        }

        let signed = try await page(.POST, base + "/sign", form: ["csrf": csrf, "document_sha256": digest, "consent": "yes"],
                                    cookie: cookie, expect: 303)
        guard try signed.location() == base + "/done" else { throw BenchError("\(contractID): sign went to \(try signed.location())") }
        step("sign")

        let done = try await page(.GET, base + "/done", cookie: cookie, expect: 200)
        guard let sha256 = done.element(id: "signed-sha256") else {
            throw BenchError("\(contractID): the done page shows no signed SHA-256 (not completed)")
        }
        step("done")

        let (status, headers, body) = try await execute(.GET, base + "/signed.pdf", body: nil, apiKey: false, cookie: cookie)
        try Self.checkSigned(status: status, headers: headers, body: body, sha256: sha256, what: "\(base)/signed.pdf of \(contractID)")
        step("download")
        return steps
    }

    /// A page request: a form body (`application/x-www-form-urlencoded`) when `form` is given;
    /// the status must be `expect` (any, when nil).
    private func page(_ method: HTTPMethod, _ path: String, form: [String: String]? = nil, cookie: String? = nil,
                      expect: Int?) async throws -> PageReply {
        let body = form.map { fields in
            Data(fields.sorted { $0.key < $1.key }.map { "\($0.key)=\(Self.formEscape($0.value))" }.joined(separator: "&").utf8)
        }
        let (status, headers, buffer) = try await execute(method, path, body: body, contentType: "application/x-www-form-urlencoded",
                                                          apiKey: false, cookie: cookie)
        let reply = PageReply(status: status, headers: headers, body: buffer)
        if let expect, status != expect {
            throw BenchError("\(method) /s/{token}/\(path.split(separator: "/").dropFirst(2).joined(separator: "/")): HTTP \(status), expected \(expect)")
        }
        return reply
    }

    /// `value` percent-encoded for a form (unreserved characters kept).
    static func formEscape(_ value: String) -> String {
        var out = ""
        for byte in value.utf8 {
            if (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || [0x2D, 0x2E, 0x5F, 0x7E].contains(byte) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                let hex = Array("0123456789ABCDEF".utf8)
                out += "%" + String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 15)]], as: UTF8.self)
            }
        }
        return out
    }
}

/// A signing page's response, with what the journey reads from it.
struct PageReply {
    let status: Int
    let headers: HTTPHeaders
    let body: ByteBuffer

    var text: String { String(decoding: body.readableBytesView, as: UTF8.self) }

    /// The `Location` of a redirect.
    func location() throws -> String {
        guard let location = headers.first(name: "Location") else { throw BenchError("HTTP \(status) without Location") }
        return location
    }

    /// `name=value` of the `signet_session` cookie set by this response.
    var sessionCookie: String? {
        headers["Set-Cookie"].lazy.compactMap { $0.split(separator: ";").first.map(String.init) }.first { $0.hasPrefix("signet_session=") }
    }

    /// The value of the hidden input `name`.
    func hidden(_ name: String) -> String? { text.after("name=\"\(name)\" value=\"", upTo: "\"") }

    /// The text of the element with id `id` (no markup inside).
    func element(id: String) -> String? { text.after("id=\"\(id)\">", upTo: "<") }

    /// The `src` of every `<img>`.
    var imageSources: [String] {
        text.split(separator: "<img src=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
    }
}

extension String {
    /// The text between the first `start` and the next `end`.
    fileprivate func after(_ start: String, upTo end: Character) -> String? {
        guard let range = firstRange(of: start) else { return nil }
        return String(self[range.upperBound...].prefix { $0 != end })
    }
}
