import Foundation
import Hummingbird
import HummingbirdTesting
import NIOHTTP1
import SignetHTTP
import SignetService
import SignetTestSupport
import Testing

extension LiveService {
    /// Embedding is opt-in per integrator: the `frame_ancestors` of an embedded link frame the
    /// pages of that link's session, and nothing else.
    @Suite("Embedded links' framing (live)")
    struct EmbeddedFramingTests {
        static let origins = ["https://app.example.com", "https://onboarding.example.org:8443"]

        /// `reply` may be framed by exactly `origins` (no X-Frame-Options), or by nobody.
        static func expectFraming(_ reply: APIHarness.Reply, _ origins: [String], _ what: String) {
            let policy = reply.header("Content-Security-Policy") ?? ""
            if origins.isEmpty {
                #expect(policy.contains("frame-ancestors 'none';") && reply.header("X-Frame-Options") == "DENY", "\(what): \(policy)")
            } else {
                #expect(policy.contains("frame-ancestors \(origins.joined(separator: " "));"), "\(what): \(policy)")
                #expect(reply.header("X-Frame-Options") == nil, "\(what)")
            }
            #expect(policy.contains("script-src 'self'") && reply.header("X-Content-Type-Options") == "nosniff", "\(what)")
        }

        @Test("frame_ancestors frame the pages of that link's session only; other sessions, landings and the console stay unframeable")
        func framingPerSession() async throws {
            let api = try await APIHarness.start()
            defer { Task { try? await api.stop() } }
            let (_, _, contractID, token, _) = try await api.pageContract()
            let endpoint = "/v1/contracts/\(contractID)/signers/merchant/embedded-link"

            let framedLink = try await api.call(.POST, endpoint, json: ["frame_ancestors": ["HTTPS://App.Example.com"] + Self.origins.dropFirst()])
            #expect(framedLink.status == 201, "\(framedLink.text)")
            let framedPath = String(try #require(framedLink.json["url"] as? String).dropFirst(api.baseURL.count))
            let framed = PageClient(base: api.baseURL)
            let entered = try await framed.get(framedPath)
            #expect(entered.status == 303)
            Self.expectFraming(entered, Self.origins, "the embedded link's redirect")
            let cookie = try #require(entered.header("Set-Cookie"))
            #expect(cookie.contains("SameSite=Strict") && !cookie.contains("Secure"), "http base URL: Strict, no Secure: \(cookie)")
            let review = try await framed.get("\(framedPath)/review")
            #expect(review.status == 200)
            Self.expectFraming(review, Self.origins, "the framed session's review")
            Self.expectFraming(try await framed.get("\(framedPath)/document.pdf"), Self.origins, "the framed session's PDF")
            Self.expectFraming(try await framed.get(framedPath), Self.origins, "the framed session's landing (a redirect)")
            let trail = try await api.call(.GET, "/v1/contracts/\(contractID)/audit-trail")
            let issued = (trail.json["events"] as? [[String: Any]] ?? []).first { $0["type"] as? String == "signer.embedded_link_issued" }
            #expect((issued?["data"] as? [String: String])?["frame_ancestors"] == Self.origins.joined(separator: " "))

            // An embedded link without frame_ancestors, the signer's own link and its session,
            // a page without a session, the console: nobody may frame them.
            let plainLink = try await api.call(.POST, endpoint)
            let plainPath = String(try #require(plainLink.json["url"] as? String).dropFirst(api.baseURL.count))
            let plain = PageClient(base: api.baseURL)
            Self.expectFraming(try await plain.get(plainPath), [], "a plain embedded link's redirect")
            Self.expectFraming(try await plain.get("\(plainPath)/review"), [], "a plain embedded session's review")
            let own = PageClient(base: api.baseURL)
            Self.expectFraming(try await own.get("/s/\(token)"), [], "the signing link's landing")
            Self.expectFraming(try await PageClient(base: api.baseURL).get("\(framedPath)/review"), [], "the framed link's page without its session")
            Self.expectFraming(try await own.get("/console/login"), [], "the console")
            Self.expectFraming(try await own.get("/assets/signet.css"), [], "an asset")
            try api.conformance.check()
        }

        @Test("frame_ancestors: 422 listing each bad origin (http, path, wildcard, more than five); 400 for a wrong type or member")
        func validation() async throws {
            let api = try await APIHarness.start()
            defer { Task { try? await api.stop() } }
            let (_, _, contractID, _, _) = try await api.pageContract()
            let endpoint = "/v1/contracts/\(contractID)/signers/merchant/embedded-link"

            let bad = try await api.call(.POST, endpoint, json: ["frame_ancestors": [
                "http://app.example.com", "https://app.example.com/path", "https://*.example.com", "https://app.example.com",
                "https://user@app.example.com", "https://app.example.com:0", "https://app.example.com; script-src *"]])
            #expect(bad.status == 422 && bad.code == "validation_failed", "\(bad.text)")
            let fields = (bad.json["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
            #expect(fields == ["frame_ancestors", "frame_ancestors[0]", "frame_ancestors[1]", "frame_ancestors[2]",
                               "frame_ancestors[4]", "frame_ancestors[5]", "frame_ancestors[6]"], "\(fields)")
            let six = (1...6).map { "https://app\($0).example.com" }
            let tooMany = try await api.call(.POST, endpoint, json: ["frame_ancestors": six])
            #expect(tooMany.status == 422 && (tooMany.json["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String } == ["frame_ancestors"])
            let wrongType = try await api.call(.POST, endpoint, json: ["frame_ancestors": ["https://app.example.com", 5]])
            #expect(wrongType.status == 400 && wrongType.code == "invalid_request")
            #expect((wrongType.json["errors"] as? [[String: Any]])?.first?["field"] as? String == "frame_ancestors[1]")
            #expect(try await api.call(.POST, endpoint, json: ["frame_ancestors": "https://app.example.com"]).status == 400)
            #expect(try await api.call(.POST, endpoint, json: ["frame": []]).status == 400)
            let five = try await api.call(.POST, endpoint, json: ["frame_ancestors": Array(six.prefix(5))])
            #expect(five.status == 201, "five are allowed")
            try api.conformance.check()
        }
    }
}

@Suite("Page framing and cookies")
struct PageFramingTests {
    @Test("An embedded session's cookie is SameSite=None; Secure only when framed over https; Strict otherwise")
    func cookies() {
        let https = PageCookies(baseURL: "https://sign.example.com")
        let http = PageCookies(baseURL: "http://127.0.0.1:8080")
        let framed = https.session(name: "s", value: "v", path: "/s/t", framed: true).description
        #expect(framed.contains("SameSite=None") && framed.contains("Secure") && framed.contains("HttpOnly"), "\(framed)")
        #expect(https.session(name: "s", value: "v", path: "/s/t").description.contains("SameSite=Strict"))
        let plain = http.session(name: "s", value: "v", path: "/s/t", framed: true).description
        #expect(plain.contains("SameSite=Strict") && !plain.contains("Secure"), "None needs Secure: \(plain)")
    }

    @Test("signet serve --frame-ancestors: a server-wide default for the signing pages")
    func serverWideDefault() async throws {
        var configuration = ServerConfiguration(port: 0)
        configuration.framing = FramePolicy(allowedOrigins: ["https://app.example.com"])
        try await TestApplication.make(configuration: configuration).test(.router) { client in
            try await client.execute(uri: "/assets/signet.css", method: .get) { response in
                #expect(response.headers[.init("Content-Security-Policy")!]?.contains("frame-ancestors https://app.example.com;") == true)
                #expect(response.headers[.init("X-Frame-Options")!] == nil)
            }
        }
        try await TestApplication.make().test(.router) { client in
            try await client.execute(uri: "/assets/signet.css", method: .get) { response in
                #expect(response.headers[.init("Content-Security-Policy")!]?.contains("frame-ancestors 'none';") == true)
                #expect(response.headers[.init("X-Frame-Options")!] == "DENY")
            }
        }
    }

    @Test("FrameAncestors: https origins only, lowercased, at most five")
    func origins() {
        #expect(FrameAncestors.origin("HTTPS://App.Example.COM:443") == "https://app.example.com:443")
        for bad in ["http://a.example", "https://a.example/", "https://-a.example", "https://a..example", "https://a.example:65536",
                    "https://*.example", "https://a.example?x", "https://", "https://a_b.example", "https://[::1]"] {
            #expect(FrameAncestors.origin(bad) == nil, "\(bad)")
        }
    }
}
