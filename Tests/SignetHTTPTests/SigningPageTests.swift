import Foundation
import NIOHTTP1
import SignetCrypto
import SignetService
import SignetTemplates
import SignetTestSupport
import Testing

extension LiveService {
    /// The signing page over HTTP without a browser: the journey, its evidence, and the
    /// refusals (codes, sessions, CSRF, dead links), on a real server.
    @Suite("Signing page (live)")
    struct SigningPageTests {
        static let headerNames = ["Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy", "Cache-Control"]

        static func expectSecurityHeaders(_ reply: APIHarness.Reply, _ what: String) {
            for name in headerNames { #expect(reply.header(name) != nil, "\(what) lacks \(name)") }
            #expect(reply.header("Content-Security-Policy")?.contains("script-src 'self'") == true)
            #expect(reply.header("Content-Security-Policy")?.contains("frame-ancestors 'none'") == true)
            #expect(reply.header("Cache-Control") == "no-store", "\(what)")
        }

        /// Landing → code (from the log notifier) → verify; the client holds the session.
        static func authenticate(_ api: APIHarness, _ page: PageClient, token: String) async throws {
            #expect(try await page.get("/s/\(token)").status == 200)
            let sent = try await page.post("/s/\(token)/code")
            #expect(sent.status == 303 && sent.header("Location") == "/s/\(token)/code?sent=1")
            let code = try #require(try api.loggedCodes().last)
            let verified = try await page.post("/s/\(token)/verify", ["code": code])
            #expect(verified.status == 303 && verified.header("Location") == "/s/\(token)/review", "\(verified.text.prefix(400))")
            let cookie = try #require(verified.header("Set-Cookie"))
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/s/\(token)"))
            #expect(!cookie.contains("Secure"), "http base URL: no Secure")
        }

        /// Every `<img>` of `review` is a PNG of its page at 2× (the page's size in points by
        /// `pdfinfo`, × 2, rounded up; decoded by libpng through Cairo), shown at half its pixels,
        /// with alt text; served only to the session, as private content; no page 0 or N + 1.
        static func expectPageImages(_ review: APIHarness.Reply, original: [UInt8], token: String, page: PageClient,
                                     api: APIHarness) async throws {
            let file = api.directory.file("page-original-\(token.prefix(8)).pdf")
            try Data(original).write(to: file)
            let sizes = try ReviewImage.pageSizes(of: file)
            let images = ReviewImage.all(in: review.text)
            #expect(!sizes.isEmpty && images.count == sizes.count, "\(images.count) images for \(sizes.count) pages")
            for (index, (image, points)) in zip(images, sizes).enumerated() {
                #expect(image.src == "/s/\(token)/pages/\(index + 1).png")
                #expect(image.alt.contains("\(index + 1)") && image.alt.contains("\(sizes.count)"), "alt: \(image.alt)")
                let reply = try await page.get(image.src)
                #expect(reply.status == 200 && reply.header("Content-Type") == "image/png")
                #expect(reply.header("Cache-Control") == "private, max-age=1800", "\(reply.header("Cache-Control") ?? "")")
                let pixels = try PNGPixels(png: reply.body)
                #expect(pixels.width == Int((points.width * 2).rounded(.up)) && pixels.height == Int((points.height * 2).rounded(.up)),
                        "page \(index + 1): \(pixels.width)×\(pixels.height) px for \(points) pt")
                #expect(image.width == (pixels.width + 1) / 2 && image.height == (pixels.height + 1) / 2, "shown at half its pixels")
            }
            #expect(try await PageClient(base: api.baseURL).get("/s/\(token)/pages/1.png").status == 401, "session only")
            #expect(try await page.get("/s/\(token)/pages/0.png").status == 404)
            #expect(try await page.get("/s/\(token)/pages/\(sizes.count + 1).png").status == 404)
        }

        @Test("Landing → code → verify → review → sign → done → signed PDF (pdfsig, pyHanko); evidence in the audit trail; no token or code in the logs")
        func journey() async throws {
            let api = try await APIHarness.start()
            defer { Task { try? await api.stop() } }
            let (_, contract, contractID, token, page) = try await api.pageContract()

            let landing = try await page.get("/s/\(token)")
            #expect(landing.status == 200 && landing.header("Content-Type") == "text/html; charset=utf-8")
            Self.expectSecurityHeaders(landing, "landing")
            #expect(landing.text.contains("<html lang=\"zh-CN\">") && landing.text.contains("商户服务协议"))
            #expect(landing.text.contains("杭州青禾餐饮管理有限公司"), "the merchant party")
            #expect(!landing.text.contains("<script>") && !landing.text.contains("style="), "no inline script or style")
            #expect(try await api.call(.GET, "/v1/contracts/\(contractID)").json["state"] as? String == "viewed")

            try await Self.authenticate(api, page, token: token)
            let review = try await page.get("/s/\(token)/review")
            #expect(review.status == 200)
            Self.expectSecurityHeaders(review, "review")
            let original = try await api.call(.GET, "/v1/contracts/\(contractID)/document.pdf")
            let sha = DigestAlgorithm.sha256.hash(original.body).hexString
            #expect(review.text.contains(sha))
            try await Self.expectPageImages(review, original: original.body, token: token, page: page, api: api)
            let shown = try await page.get("/s/\(token)/document.pdf")
            #expect(shown.status == 200 && shown.body == original.body)
            let csrf = try #require(review.hidden("csrf"))

            let noConsent = try await page.post("/s/\(token)/sign", ["csrf": csrf, "document_sha256": sha])
            #expect(noConsent.status == 422)
            let signed = try await page.post("/s/\(token)/sign", ["csrf": csrf, "document_sha256": sha, "consent": "yes"])
            #expect(signed.status == 303 && signed.header("Location") == "/s/\(token)/done")
            let done = try await page.get("/s/\(token)/done")
            #expect(done.status == 200 && done.text.contains("data-page=\"done\""), "\(done.text.prefix(600))")
            let download = try await page.get("/s/\(token)/signed.pdf")
            #expect(download.status == 200)
            #expect(done.text.contains(DigestAlgorithm.sha256.hash(download.body).hexString), "the done page shows the signed PDF's SHA-256")
            let file = api.directory.file("page-signed.pdf")
            try Data(download.body).write(to: file)
            let pdfsig = try PDFSig.verify(file, trusting: [api.rootFile])
            let approvals = pdfsig.verdicts.filter { $0.signatureType == "ETSI.CAdES.detached" }
            #expect(approvals.map(\.fieldName) == ["merchant", "platform"], "\(pdfsig.raw.combinedOutput)")
            #expect(approvals.allSatisfy { $0.isValid && $0.isTrusted }, "\(pdfsig.raw.combinedOutput)")
            let pyhanko = try PyHanko.validate(file, trusting: [api.rootFile])
            #expect(pyhanko.raw.status == 0 && pyhanko.verdicts.allSatisfy { $0.isIntactAndTrusted }, "\(pyhanko.raw.combinedOutput)")

            // The link is dead for anyone without the session.
            #expect(try await PageClient(base: api.baseURL).get("/s/\(token)").status == 410)

            let trail = try await api.call(.GET, "/v1/contracts/\(contractID)/audit-trail")
            #expect(trail.json["chain_valid"] as? Bool == true)
            let events = try #require(trail.json["events"] as? [[String: Any]])
            let types = events.compactMap { $0["type"] as? String }
            #expect(types == ["contract.created", "contract.sent", "signer.link_issued", "contract.viewed", "signer.otp_requested",
                              "signer.otp_verified", "signer.signed", "contract.signed", "signer.signed", "contract.completed"])
            let signature = try #require(events.first { $0["type"] as? String == "signer.signed" }?["data"] as? [String: String])
            #expect(signature["authentication"] == "otp")
            #expect(signature["document_sha256_shown"] == sha)
            #expect(signature["consent"]?.hasPrefix("我已阅读并同意") == true)
            #expect((events.first { $0["type"] as? String == "signer.otp_verified" }?["data"] as? [String: String])?["notifier"] == "log")

            // Tokens and codes: only the notifier's line holds the code; nothing holds the token or the cookie.
            let code = try #require(try api.loggedCodes().last)
            let session = try #require(page.cookie("signet_session"))
            let lines = api.log.lines
            for secret in [token, session] { #expect(!lines.joined().contains(secret), "a secret is in the log") }
            #expect(lines.filter { $0.contains("\"\(code)\"") }.allSatisfy { $0.contains("\"label\":\"signet-test\"") && $0.contains("one-time code") })
            #expect(lines.contains { $0.contains("\"route\":\"/s/{token}/verify\"") }, "the access log names the route template")
            let trailText = trail.text
            for secret in [token, session, code] { #expect(!trailText.contains(secret)) }
            try api.conformance.check()
        }

        @Test("Refusals: wrong code ×5 locks, resend within 60 s is 429 with Retry-After, unknown 404, superseded 410, CSRF-less 403, another signer's cookie refused, decline kills the link")
        func refusals() async throws {
            let api = try await APIHarness.start()
            defer { Task { try? await api.stop() } }
            let (merchant, contract, contractID, token, page) = try await api.pageContract()

            // Unknown token: 404 page (HTML, headers); malformed: 404 too.
            let unknown = try await page.get("/s/\(Base32.base64URL(SecureRandom.bytes(32)))")
            #expect(unknown.status == 404 && unknown.header("Content-Type")?.hasPrefix("text/html") == true)
            Self.expectSecurityHeaders(unknown, "404 page")
            #expect(try await page.get("/s/short").status == 404)

            #expect(try await page.post("/s/\(token)/code").status == 303)
            let again = try await page.post("/s/\(token)/code")
            #expect(again.status == 429 && Int(again.header("Retry-After") ?? "") ?? 0 > 0 && again.text.contains("data-page=\"rate\""))
            let right = try #require(try api.loggedCodes().last)
            let wrong = right == "000000" ? "111111" : "000000"
            for attempt in 1...4 {
                let reply = try await page.post("/s/\(token)/verify", ["code": wrong])
                #expect(reply.status == 422 && reply.text.contains("\(5 - attempt)"), "attempt \(attempt)")
            }
            let locked = try await page.post("/s/\(token)/verify", ["code": wrong])
            #expect(locked.status == 429 && locked.text.contains("data-page=\"locked\""))
            #expect(try await page.post("/s/\(token)/verify", ["code": right]).status == 429, "the right code no longer opens a locked challenge")
            #expect(page.cookie("signet_session") == nil)

            // No session: 401 page; a second contract's signer session on this contract's pages: refused.
            #expect(try await page.get("/s/\(token)/review").status == 401)
            let second = try await api.call(.POST, "/v1/contracts", json: [
                "merchant_id": try #require(merchant["id"] as? String), "template_id": "merchant-service-agreement",
                "fields": try APIHarness.sampleFields()] as [String: Any])
            let otherToken = try APIHarness.token(of: second.json)
            let other = PageClient(base: api.baseURL)
            try await SigningPageTests.authenticate(api, other, token: otherToken)
            let stolen = try #require(other.cookie("signet_session"))
            page.setCookie("signet_session", stolen)
            #expect(try await page.get("/s/\(token)/review").status == 401)
            let review = try await other.get("/s/\(otherToken)/review")
            let csrf = try #require(review.hidden("csrf"))
            #expect(try await page.post("/s/\(token)/sign", ["csrf": csrf, "consent": "yes"]).status == 401)

            // CSRF: missing or wrong token → 403, nothing signed.
            #expect(try await other.post("/s/\(otherToken)/sign", ["consent": "yes"]).status == 403)
            #expect(try await other.post("/s/\(otherToken)/decline", ["reason": "x", "csrf": "forged"]).status == 403)
            #expect(try await api.call(.GET, "/v1/contracts/\(try #require(second.json["id"] as? String))").json["state"] as? String == "viewed")

            // Superseded: a new link for the first contract; the old one is 410.
            let issued = try await api.call(.POST, "/v1/contracts/\(contractID)/signers/merchant/link")
            #expect(issued.status == 201)
            #expect(try await PageClient(base: api.baseURL).get("/s/\(token)").status == 410)

            // Decline with a reason: declined, link dead, reason in the trail.
            let declined = try await other.post("/s/\(otherToken)/decline", ["reason": "费率不对", "csrf": csrf])
            #expect(declined.status == 303)
            #expect(try await other.get("/s/\(otherToken)/done").text.contains("data-page=\"declined\""))
            let secondID = try #require(second.json["id"] as? String)
            let state = try await api.call(.GET, "/v1/contracts/\(secondID)")
            #expect(state.json["state"] as? String == "declined")
            #expect(try await PageClient(base: api.baseURL).get("/s/\(otherToken)").status == 410)
            let trail = try await api.call(.GET, "/v1/contracts/\(secondID)/audit-trail")
            let events = try #require(trail.json["events"] as? [[String: Any]])
            #expect((events.last?["data"] as? [String: String])?["reason"] == "费率不对")
            try api.conformance.check()
        }

        @Test("An expired contract's link is 410; an embedded link opens a session once (integrator), then 410")
        func expiryAndEmbedded() async throws {
            let clock = TestClock()
            let api = try await APIHarness.start(clock: { clock.now })
            defer { Task { try? await api.stop() } }
            let (_, contract) = try await api.merchantAndContract()
            let contractID = try #require(contract["id"] as? String)
            let embedded = try await api.call(.POST, "/v1/contracts/\(contractID)/signers/merchant/embedded-link")
            #expect(embedded.status == 201, "\(embedded.text)")
            let url = try #require(embedded.json["url"] as? String)
            let path = String(url.dropFirst(api.baseURL.count))
            let page = PageClient(base: api.baseURL)
            let entered = try await page.get(path)
            #expect(entered.status == 303 && entered.header("Location") == "\(path)/review")
            #expect(try await page.get("\(path)/review").status == 200)
            #expect(try await PageClient(base: api.baseURL).get(path).status == 410, "usable once")
            let second = try await api.call(.POST, "/v1/contracts/\(contractID)/signers/merchant/embedded-link")
            let secondPath = String(try #require(second.json["url"] as? String).dropFirst(api.baseURL.count))
            clock.advance(301)
            #expect(try await PageClient(base: api.baseURL).get(secondPath).status == 410, "valid 5 minutes")

            clock.advance(8 * 86_400)
            let token = try APIHarness.token(of: contract)
            #expect(try await PageClient(base: api.baseURL).get("/s/\(token)").status == 410, "expired contract")
            try api.conformance.check()
        }

        @Test("20 concurrent Sign posts of one session make exactly one signature; every answer is a redirect to the done page")
        func concurrentSign() async throws {
            let api = try await APIHarness.start()
            defer { Task { try? await api.stop() } }
            let (_, contract, contractID, token, page) = try await api.pageContract()
            try await Self.authenticate(api, page, token: token)
            let review = try await page.get("/s/\(token)/review")
            let form = ["csrf": try #require(review.hidden("csrf")), "document_sha256": try #require(review.hidden("document_sha256")), "consent": "yes"]
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<20 { group.addTask { try await page.post("/s/\(token)/sign", form).status } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0 == 303 }, "\(statuses)")
            let trail = try await api.call(.GET, "/v1/contracts/\(contractID)/audit-trail")
            let events = try #require(trail.json["events"] as? [[String: Any]])
            let merchantSignatures = events.filter { $0["type"] as? String == "signer.signed" && ($0["data"] as? [String: String])?["role"] == "merchant" }
            #expect(merchantSignatures.count == 1)
            #expect(!api.log.lines.contains { $0.contains("\"status\":5") }, "no 5xx")
        }
    }
}

/// A clock the tests move.
final class TestClock: Sendable {
    private let offset = Mutex<TimeInterval>(0)
    var now: Date { Date().addingTimeInterval(offset.withLock { $0 }) }
    func advance(_ seconds: TimeInterval) { offset.withLock { $0 += seconds } }
}

import Synchronization
