import Foundation
import HTTPTypes
import NIOHTTP1
import SignetCrypto
import SignetHTTP
import SignetService
import SignetTestSupport
import Testing

extension LiveService {
    /// Hostile requests to every route of the route table and every page form, each with its
    /// expected status and machine-readable code; never a 5xx; nothing changes in the database
    /// or the blob store but what a refused request is documented to record; the security
    /// headers on every HTML answer.
    @Suite("Hostile input over HTTP (live)")
    struct HostileInputTests {
        @Test("Every route and page form: hostile requests get their status and code, never a 5xx, and change nothing")
        func everyRoute() async throws {
            let clock = TestClock()
            // Code requests and entries from 127.0.0.1 are many here: the per-address limit
            // must not turn the cases' answers into 429s.
            let api = try await APIHarness.start(clock: { clock.now }) { settings in
                settings.signerAccess.requestsPerAddress = 1000
                // A second code request is refused however long the cases before it took.
                settings.signerAccess.resendInterval = 3600
            }
            defer { Task { try? await api.stop() } }
            let fixture = try await HostileFixture.make(api)
            let routes = try Self.routes(api)
            let table = HostileTable(api: api, fixture: fixture)
            table.addWrongMethods(routes)
            table.addAll()
            try table.addSSRF()

            var results: [(HostileCase, RawHTTP.Reply?)] = []
            var before = try api.snapshot()
            // The snapshot sees what the fixture made (it is not empty by construction).
            #expect(before.tables.count >= 20 && before.tables["contracts"]?.count == 3 && before.tables["merchants"]?.count == 1,
                    "\(before.tables.mapValues(\.count))")
            #expect(!(before.tables["blobs"] ?? []).isEmpty || !before.files.isEmpty, "the blobs are seen")
            for group in table.groups() {
                for item in group {
                    let reply = try RawHTTP.exchange(port: api.port, item.bytes(requestID: "hostile-\(results.count)"), halfClose: item.halfClose)
                    results.append((item, reply))
                    Self.judge(item, reply)
                }
                let after = try api.snapshot()
                let changed = HostileTable.comparable(after).differences(from: HostileTable.comparable(before))
                #expect(changed.isEmpty, "\(group.first?.route ?? ""): \(changed) changed (\(Self.diff(before, after, changed)))")
                before = after
            }

            // The expired link, last: the clock moves past every contract's expiry.
            clock.advance(8 * 86_400)
            for item in table.expiredCases() {
                let reply = try RawHTTP.exchange(port: api.port, item.bytes(requestID: "hostile-\(results.count)"))
                results.append((item, reply))
                Self.judge(item, reply)
            }
            let final = try api.snapshot()
            let changed = HostileTable.comparable(final).differences(from: HostileTable.comparable(before))
            #expect(changed.isEmpty, "expired links: \(changed) changed (\(Self.diff(before, final, changed)))")

            // Coverage: every route of the table got a case that reached it (the access log
            // names the route template of each request id).
            var reached: Set<String> = []
            for line in try api.log.objects() where line["message"] as? String == "request" {
                guard let id = line["request_id"] as? String, id.hasPrefix("hostile-"), let index = Int(id.dropFirst(8)),
                      index < results.count, let route = line["route"] as? String, let method = line["method"] as? String else { continue }
                if "\(method) \(route)" == results[index].0.route { reached.insert(results[index].0.route) }
            }
            let missing = routes.filter { !reached.contains($0) }
            #expect(missing.isEmpty, "routes without a hostile case that reached them: \(missing)")
            #expect(routes.count >= 60, "\(routes.count) routes")
            #expect(!api.log.lines.contains { $0.contains("\"status\":5") }, "no 5xx")
            #expect(!api.log.lines.contains { $0.contains("internal error") }, "no internal error logged: \(api.log.lines.filter { $0.contains("internal error") }.prefix(3))")
            print("hostile input: \(results.count) requests over \(routes.count) routes")
        }

        @Test("Every answer of a signing journey and a console visit: HTML with the security headers, cookies HttpOnly, SameSite and path-scoped")
        func securityHeadersOfAJourney() async throws {
            let api = try await APIHarness.start()
            defer { Task { try? await api.stop() } }
            let (merchant, contract, contractID, token, page) = try await api.pageContract()
            var answers: [(String, APIHarness.Reply)] = []
            func keep(_ what: String, _ reply: APIHarness.Reply) -> APIHarness.Reply {
                answers.append((what, reply))
                return reply
            }
            _ = contract
            _ = keep("landing", try await page.get("/s/\(token)"))
            _ = keep("code request", try await page.post("/s/\(token)/code"))
            _ = keep("code form", try await page.get("/s/\(token)/code?sent=1"))
            _ = keep("code resent too soon", try await page.post("/s/\(token)/code"))
            _ = keep("wrong code", try await page.post("/s/\(token)/verify", ["code": "000000x"]))
            let code = try #require(try api.loggedCodes().last)
            _ = keep("verify", try await page.post("/s/\(token)/verify", ["code": code]))
            let review = keep("review", try await page.get("/s/\(token)/review"))
            let csrf = try #require(review.hidden("csrf"))
            _ = keep("page image", try await page.get("/s/\(token)/pages/1.png"))
            _ = keep("document", try await page.get("/s/\(token)/document.pdf"))
            _ = keep("no consent", try await page.post("/s/\(token)/sign", ["csrf": csrf]))
            _ = keep("forged CSRF", try await page.post("/s/\(token)/sign", ["csrf": "x", "consent": "yes"]))
            _ = keep("sign", try await page.post("/s/\(token)/sign", ["csrf": csrf, "consent": "yes",
                                                                      "document_sha256": try #require(review.hidden("document_sha256"))]))
            _ = keep("done", try await page.get("/s/\(token)/done"))
            _ = keep("signed PDF", try await page.get("/s/\(token)/signed.pdf"))
            _ = keep("dead link", try await PageClient(base: api.baseURL).get("/s/\(token)"))
            _ = keep("no session", try await PageClient(base: api.baseURL).get("/s/\(token)/review"))
            _ = keep("unknown link", try await page.get("/s/" + String(repeating: "A", count: 43)))
            _ = keep("unrouted page path", try await page.get("/s/\(token)/nothing/here"))
            _ = keep("unrouted console path", try await page.get("/console/nothing"))
            _ = keep("page method not allowed", try await page.send(.DELETE, "/s/\(token)/review"))
            _ = keep("console method not allowed", try await page.send(.PUT, "/console/login"))
            _ = keep("asset", try await page.get("/assets/signet.css"))
            _ = keep("unknown asset", try await page.get("/assets/nothing.css"))

            let console = PageClient(base: api.baseURL)
            let form = keep("console login form", try await console.get("/console/login"))
            let loginCSRF = try #require(form.hidden("csrf"))
            _ = keep("console bad key", try await console.post("/console/login", ["api_key": "sk_x", "csrf": loginCSRF]))
            _ = keep("console CSRF-less login", try await console.post("/console/login", ["api_key": api.apiKey]))
            // A refused sign-in answers with a fresh form (a new pre-session cookie and token).
            let again = try #require(try await console.get("/console/login").hidden("csrf"))
            _ = keep("console login", try await console.post("/console/login", ["api_key": api.apiKey, "csrf": again]))
            let overview = keep("console overview", try await console.get("/console"))
            _ = keep("console merchants", try await console.get("/console/merchants"))
            _ = keep("console merchant", try await console.get("/console/merchants/\(try #require(merchant["id"] as? String))"))
            _ = keep("console contract", try await console.get("/console/contracts/\(contractID)"))
            _ = keep("console unknown contract", try await console.get("/console/contracts/ctr_missing"))
            _ = keep("console logout", try await console.post("/console/logout", ["csrf": try #require(overview.hidden("csrf"))]))
            _ = keep("console without a session", try await console.get("/console"))

            var html = 0
            for (what, reply) in answers {
                #expect(reply.status < 500, "\(what): \(reply.status)")
                let problems = HTMLSecurityHeaders.problems(reply)
                #expect(problems.isEmpty, "\(what): \(problems)")
                if reply.header("Content-Type")?.hasPrefix("text/html") == true { html += 1 }
                // Every answer of a page path — HTML, images, PDFs, redirects — is kept from
                // other sites' frames and from sniffing.
                #expect(reply.header("X-Content-Type-Options") == "nosniff" && reply.header("Content-Security-Policy") != nil, "\(what)")
            }
            for what in ["unrouted page path", "unrouted console path", "page method not allowed", "console method not allowed"] {
                let reply = try #require(answers.first { $0.0 == what }?.1)
                #expect(reply.header("Content-Type") == "text/html; charset=utf-8", "\(what): an HTML page, not a problem")
                #expect(reply.text.contains(what.contains("method") ? "data-page=\"method_not_allowed\"" : "data-page=\"not_found\""), "\(what)")
                if what.contains("method") { #expect(reply.status == 405 && reply.header("Allow") != nil, "\(what)") }
            }
            #expect(html >= 20, "\(html) HTML answers checked")
            let cookies = answers.flatMap { $0.1.headers[canonicalForm: "Set-Cookie"] }
            #expect(cookies.count >= 4, "session, console login, console session, expired cookies: \(cookies.count)")
        }

        /// Every route of the application, `METHOD /template`.
        static func routes(_ api: APIHarness) throws -> [String] {
            var services = HTTPServices(keys: api.keys, readinessChecks: [], openAPIDocument: OpenAPIDocument.bytes)
            services.service = api.service
            let table = try SignetApplication.buildRoutes(configuration: ServerConfiguration(port: api.port, baseURL: api.baseURL), services: services)
            return table.index.all.flatMap { route in route.methods.map { "\($0.rawValue) \(route.template)" } }
        }

        /// Checks one answer against its case: status and code, no 5xx, the problem or HTML
        /// form the route's kind documents, the security headers of HTML answers.
        static func judge(_ item: HostileCase, _ reply: RawHTTP.Reply?) {
            guard let reply else {
                #expect(item.status == 0, "\(item): no answer")
                return
            }
            #expect(reply.status < 500, "\(item): \(reply.status) \(reply.text.prefix(300))")
            #expect(reply.status == item.status && (item.code == nil || reply.code == item.code),
                    "\(item): \(reply.status) \(reply.code ?? "-") \(reply.text.prefix(300))")
            if reply.status >= 400, item.kind == .api {
                #expect(reply.header("Content-Type") == "application/problem+json", "\(item): \(reply.header("Content-Type") ?? "")")
            }
            if reply.status >= 400, item.kind == .page {
                #expect(reply.header("Content-Type") == "text/html; charset=utf-8", "\(item): \(reply.header("Content-Type") ?? "")")
            }
            let problems = HTMLSecurityHeaders.problems(reply)
            #expect(problems.isEmpty, "\(item): \(problems)")
        }

        /// The first differing rows of `tables`, for the failure message.
        static func diff(_ before: DatabaseSnapshot, _ after: DatabaseSnapshot, _ tables: [String]) -> String {
            tables.map { table in
                let old = Set(before.tables[table] ?? []), new = Set(after.tables[table] ?? [])
                return "\(table): -\(old.subtracting(new).first?.prefix(300) ?? "") +\(new.subtracting(old).first?.prefix(300) ?? "")"
            }.joined(separator: "; ")
        }
    }
}

/// One hostile request and what it must get.
struct HostileCase: Sendable, CustomStringConvertible {
    /// Which kind of answer the route gives: problem+json, HTML pages, or its own (PKI, metrics).
    enum Kind: Sendable { case api, page, other }

    /// `METHOD /template` of the route the case is for.
    let route: String
    let name: String
    let kind: Kind
    let method: String
    /// The request target, any bytes.
    let target: [UInt8]
    var headers: [(String, String)] = []
    var body: [UInt8]?
    var declaredLength: Int?
    var halfClose = false
    /// The status; 0: the server closes the connection without an answer.
    let status: Int
    /// The problem `code`, the page's `data-page`, the redirect's `Location`, the binary
    /// answer's content type; nil only where the HTTP parser answers (no route is reached).
    let code: String?

    var description: String { "\(route) — \(name)" }

    func bytes(requestID: String) -> [UInt8] {
        RawHTTP.request(method, target, headers: [("X-Request-ID", requestID)] + headers, body: body, declaredLength: declaredLength)
    }
}
