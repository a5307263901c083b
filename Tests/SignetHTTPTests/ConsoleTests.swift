import Foundation
import FoundationXML
import NIOHTTP1
import SignetCrypto
import SignetService
import SignetTemplates
import SignetTestSupport
import Synchronization
import Testing
import SignetArchive

extension LiveService {
    /// The operator console over HTTP on a real server: sign-in with an API key, the session's
    /// ends (logout, idle timeout, revoked key), CSRF on the forms, the overview's figures for
    /// journeys whose times the test sets, the SVG chart, a contract's timeline and a tampered
    /// chain.
    @Suite("Operator console (live)")
    struct ConsoleTests {
        /// Signs in with `key` through the login form; the client then holds the session cookie.
        static func signIn(_ page: PageClient, key: String) async throws -> APIHarness.Reply {
            let form = try await page.get("/console/login")
            let csrf = try #require(form.hidden("csrf"))
            return try await page.post("/console/login", ["api_key": key, "csrf": csrf])
        }

        static func expectConsoleHeaders(_ reply: APIHarness.Reply, _ what: String) {
            SigningPageTests.expectSecurityHeaders(reply, what)
            #expect(reply.header("Content-Type") == "text/html; charset=utf-8", "\(what)")
            #expect(!reply.text.contains("<script>") && !reply.text.contains("style="), "\(what): no inline script or style")
        }

        @Test("Sign-in: a good key opens a session cookie; bad, revoked or CSRF-less sign-ins are refused without one; pages without a session redirect; logout, idle timeout and a revoked key end the session")
        func sessions() async throws {
            let clock = FrozenClock()
            let api = try await APIHarness.start(clock: { clock.now })
            defer { Task { try? await api.stop() } }
            let page = PageClient(base: api.baseURL)

            for path in ["/console", "/console/merchants", "/console/merchants/mer_x", "/console/contracts/ctr_x"] {
                let reply = try await page.get(path)
                #expect(reply.status == 303 && reply.header("Location") == "/console/login", "\(path) without a session")
            }
            let form = try await page.get("/console/login")
            #expect(form.status == 200)
            Self.expectConsoleHeaders(form, "login")
            #expect(form.text.contains("<html lang=\"en\">") && form.text.contains("<label for=\"api_key\">"))
            let csrf = try #require(form.hidden("csrf"))

            // No CSRF token, or a forged one: 403, no session.
            #expect(try await page.post("/console/login", ["api_key": api.apiKey]).status == 403)
            #expect(try await page.post("/console/login", ["api_key": api.apiKey, "csrf": "forged"]).status == 403)
            #expect(try await PageClient(base: api.baseURL).post("/console/login", ["api_key": api.apiKey, "csrf": csrf]).status == 403,
                    "a token without its login cookie")
            #expect(page.cookie(ConsoleCookie.session) == nil)

            // Unknown and revoked keys: the login page again with 401.
            let unknown = try await Self.signIn(page, key: "sk_" + Base32.base64URL(SecureRandom.bytes(32)))
            #expect(unknown.status == 401 && unknown.text.contains("not valid") && !unknown.headers[canonicalForm: "Set-Cookie"].contains { $0.hasPrefix("\(ConsoleCookie.session)=") })
            Self.expectConsoleHeaders(unknown, "refused login")
            let revoked = try await api.service.createAPIKey(name: "revoked")
            #expect(try await api.service.apiKeyRegistry.revoke(id: revoked.record.id))
            #expect(try await Self.signIn(page, key: revoked.secret).status == 401)
            #expect(page.cookie(ConsoleCookie.session) == nil)

            // A good key: 303 to the overview with the session cookie.
            let signedIn = try await Self.signIn(page, key: api.apiKey)
            #expect(signedIn.status == 303 && signedIn.header("Location") == "/console")
            let cookie = try #require(signedIn.headers[canonicalForm: "Set-Cookie"].map(String.init).first { $0.hasPrefix("\(ConsoleCookie.session)=") })
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/console") && !cookie.contains("Secure"))
            let secret = try #require(page.cookie(ConsoleCookie.session))
            #expect(secret.hasPrefix("cs_") && secret.count == 46, "256 random bits")
            for path in ["/console", "/console/merchants"] {
                let reply = try await page.get(path)
                #expect(reply.status == 200, "\(path)")
                Self.expectConsoleHeaders(reply, path)
            }
            #expect(!api.log.lines.joined().contains(secret) && !api.log.lines.joined().contains(api.apiKey), "no secret in the log")

            // Logout needs the session's CSRF token; then the session is gone.
            let overview = try await page.get("/console")
            #expect(try await page.post("/console/logout").status == 403)
            let loggedOut = try await page.post("/console/logout", ["csrf": try #require(overview.hidden("csrf"))])
            #expect(loggedOut.status == 303 && loggedOut.header("Location") == "/console/login")
            let stale = PageClient(base: api.baseURL)
            stale.setCookie(ConsoleCookie.session, secret)
            #expect(try await stale.get("/console").status == 303, "the old cookie no longer works")

            // Idle timeout: 30 minutes without a request.
            #expect(try await Self.signIn(page, key: api.apiKey).status == 303)
            clock.advance(29 * 60)
            #expect(try await page.get("/console").status == 200)
            clock.advance(29 * 60)
            #expect(try await page.get("/console").status == 200, "each request moves the idle timeout")
            clock.advance(31 * 60)
            #expect(try await page.get("/console").status == 303)

            // Absolute timeout: 12 hours, however busy.
            #expect(try await Self.signIn(page, key: api.apiKey).status == 303)
            for _ in 0..<25 {
                clock.advance(29 * 60)
                _ = try await page.get("/console")
            }
            #expect(try await page.get("/console").status == 303, "12 h after sign-in")

            // Revoking the key ends its sessions.
            let second = try await api.service.createAPIKey(name: "operator")
            #expect(try await Self.signIn(page, key: second.secret).status == 303)
            #expect(try await page.get("/console").status == 200)
            #expect(try await api.service.apiKeyRegistry.revoke(id: second.record.id))
            #expect(try await page.get("/console").status == 303)
        }

        @Test("Overview: state counts of the contracts created; link opened → signed median, p90 and histogram for journeys of 20 s, 45 s and 90 s; the SVG chart parses as XML and marks one minute")
        func overview() async throws {
            let clock = FrozenClock()
            let api = try await APIHarness.start(clock: { clock.now })
            defer { Task { try? await api.stop() } }
            var ids: [String] = []
            for (index, seconds) in [20.0, 45, 90].enumerated() {
                let (_, contract) = try await api.merchantAndContract(externalID: "m-\(index)")
                let id = try #require(contract["id"] as? String)
                _ = try await api.service.openLink(token: try APIHarness.token(of: contract), origin: RequestOrigin(actor: "signer"))
                clock.advance(seconds)
                let signed = try await api.service.sign(contractID: id, role: .merchant,
                                                        evidence: SigningEvidence(origin: .system, authentication: "service"))
                #expect(signed.state == .completed)
                ids.append(id)
            }
            _ = try await api.merchantAndContract(externalID: "m-unopened")

            let statistics = try await api.service.journeyStatistics(period: ConsolePeriod(from: clock.now.addingTimeInterval(-3600),
                                                                                          to: clock.now.addingTimeInterval(1)))
            #expect(statistics.durations.count == 3)
            #expect(statistics.durations.medianMilliseconds == 45_000 && statistics.durations.p90Milliseconds == 90_000)
            #expect(statistics.buckets.map(\.count) == [1, 1, 1, 0, 0, 0])
            #expect(statistics.stateCounts[.completed] == 3 && statistics.stateCounts[.sent] == 1 && statistics.stateCounts[.draft] == 0)

            let page = PageClient(base: api.baseURL)
            #expect(try await Self.signIn(page, key: api.apiKey).status == 303)
            let overview = try await page.get("/console?period=24h")
            #expect(overview.status == 200)
            Self.expectConsoleHeaders(overview, "overview")
            let text = overview.text
            #expect(text.contains("<tr data-state=\"completed\"><td>completed</td><td class=\"number\">3</td></tr>"))
            #expect(text.contains("<tr data-state=\"sent\"><td>sent</td><td class=\"number\">1</td></tr>"))
            #expect(text.contains("<td class=\"number\" data-total>4</td>"))
            #expect(text.contains("<dd data-signings>3</dd>") && text.contains("<dd data-median>45 s</dd>")
                    && text.contains("<dd data-p90>1 min 30 s</dd>") && text.contains("<dd data-under-minute>66 %</dd>"))

            let svg = try #require(Self.svg(in: text))
            let parser = XMLParser(data: Data(svg.utf8))
            #expect(parser.parse(), "the chart is well-formed XML: \(parser.parserError.map { "\($0)" } ?? "")")
            #expect(svg.contains("class=\"one-minute\"") && svg.contains("role=\"img\"") && svg.contains("<title id=\"chart-title\">"))
            #expect(svg.components(separatedBy: "<rect ").count - 1 == 6, "one bar per bucket")
            #expect(text.contains("<td>&lt; 30 s</td><td class=\"number\">1</td>") && text.contains("<td>1–2 min</td><td class=\"number\">1</td>"),
                    "the text alternative")

            // A custom period that ended yesterday holds none of it.
            let yesterday = CivilTimeText.day(clock.now.addingTimeInterval(-86_400 * 2))
            let past = try await page.get("/console?period=custom&from=\(yesterday)&to=\(yesterday)")
            #expect(past.text.contains("<dd data-signings>0</dd>") && past.text.contains("<td class=\"number\" data-total>0</td>"))
            #expect(Self.svg(in: past.text).map { XMLParser(data: Data($0.utf8)).parse() } == true)
        }

        @Test("Merchants and a contract's timeline: filters by state and date; every event with its hash; the chain verified, then BROKEN after a row is edited in the database; no signing token shown")
        func timeline() async throws {
            let api = try await APIHarness.start()
            defer { Task { try? await api.stop() } }
            let (merchant, contract) = try await api.merchantAndContract()
            let merchantID = try #require(merchant["id"] as? String)
            let contractID = try #require(contract["id"] as? String)
            let token = try APIHarness.token(of: contract)
            let page = PageClient(base: api.baseURL)
            #expect(try await Self.signIn(page, key: api.apiKey).status == 303)

            let merchants = try await page.get("/console/merchants")
            #expect(merchants.text.contains("data-merchant=\"\(merchantID)\"") && merchants.text.contains("杭州青禾餐饮管理有限公司"))
            #expect(merchants.text.contains("<span class=\"state state-sent\">sent 1</span>"))
            let list = try await page.get("/console/merchants/\(merchantID)")
            #expect(list.status == 200 && list.text.contains("data-contract=\"\(contractID)\""))
            Self.expectConsoleHeaders(list, "merchant")
            #expect(try await page.get("/console/merchants/\(merchantID)?state=sent").text.contains("data-contract=\"\(contractID)\""))
            #expect(!(try await page.get("/console/merchants/\(merchantID)?state=completed").text.contains("data-contract=")))
            let tomorrow = CivilTimeText.day(Date().addingTimeInterval(86_400 * 2))
            #expect(!(try await page.get("/console/merchants/\(merchantID)?from=\(tomorrow)").text.contains("data-contract=")))
            #expect(try await page.get("/console/merchants/\(merchantID)?to=\(tomorrow)").text.contains("data-contract=\"\(contractID)\""))
            #expect(try await page.get("/console/merchants/mer_missing").status == 404)
            #expect(try await page.get("/console/contracts/ctr_missing").status == 404)

            let trail = try await api.service.auditTrail(contractID: contractID).events
            let shown = try await page.get("/console/contracts/\(contractID)")
            #expect(shown.status == 200)
            Self.expectConsoleHeaders(shown, "contract")
            #expect(shown.text.contains("data-chain=\"verified\"")
                    && shown.text.contains("Chain verified ✓ (\(trail.count) events, head \(trail.last!.hash.prefix(16))…)"))
            for event in trail {
                #expect(shown.text.contains("data-event=\"\(event.sequence)\"") && shown.text.contains(event.hash), "event \(event.sequence)")
            }
            let original = try await api.call(.GET, "/v1/contracts/\(contractID)/document.pdf")
            #expect(shown.text.contains(DigestAlgorithm.sha256.hash(original.body).hexString), "the document's SHA-256")
            #expect(!shown.text.contains(token) && !shown.text.contains(api.apiKey), "no secret on the page")

            // Edit an event in the database behind the service's back.
            let edit = try api.executeSQL("UPDATE audit_events SET actor = 'api_key:key_forged' WHERE contract_id = '\(contractID)' AND sequence = 2")
            #expect(edit.status == 0, "\(edit.combinedOutput)")
            let broken = try await page.get("/console/contracts/\(contractID)")
            #expect(broken.text.contains("data-chain=\"broken\"") && broken.text.contains("Chain BROKEN at event 2"))
            #expect(broken.text.contains("<tr data-event=\"2\" class=\"broken\">"))
            #expect(!broken.text.contains("Chain verified"))
        }

        /// The `<svg …>…</svg>` element of a page.
        static func svg(in html: String) -> String? {
            guard let start = html.range(of: "<svg "), let end = html.range(of: "</svg>", range: start.upperBound..<html.endIndex) else { return nil }
            return String(html[start.lowerBound..<end.upperBound])
        }
    }
}

/// The console's cookie names.
enum ConsoleCookie {
    static let session = "signet_console"
}

/// `YYYY-MM-DD` of a date in UTC+8 (the service's default offset).
enum CivilTimeText {
    static func day(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 8 * 3600)!
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }
}

/// A clock that stands still until the test moves it (the journeys' times are exact).
final class FrozenClock: Sendable {
    private let current = Mutex<Date>(Date(timeIntervalSince1970: (Date().timeIntervalSince1970 * 1000).rounded() / 1000))
    var now: Date { current.withLock { $0 } }
    func advance(_ seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}
