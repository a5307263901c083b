import Foundation
import NIOHTTP1
import SignetService
import SignetTestSupport
import Testing

extension LiveService {
    /// The sliding-window limits of signer authentication (`ServiceConfiguration.signerAccess`):
    /// per client address (code requests and code entries) and per signer (codes asked for).
    @Suite("Signing page rate limits (live)")
    struct PageRateLimitTests {
        /// `count` more sent contracts of one merchant; their link tokens.
        static func tokens(_ api: APIHarness, _ count: Int) async throws -> [String] {
            let (merchant, first) = try await api.merchantAndContract()
            var tokens = [try APIHarness.token(of: first)]
            for _ in 1..<count {
                let created = try await api.call(.POST, "/v1/contracts", json: [
                    "merchant_id": try #require(merchant["id"] as? String), "template_id": "merchant-service-agreement",
                    "fields": try APIHarness.sampleFields()] as [String: Any])
                tokens.append(try APIHarness.token(of: created.json))
            }
            return tokens
        }

        @Test("Per address: the 4th code request or entry from one address within the window is a 429 page with Retry-After; other signers' links too; it passes once the window slides")
        func perAddress() async throws {
            let clock = TestClock()
            let api = try await APIHarness.start(clock: { clock.now }) { settings in
                settings.signerAccess.requestsPerAddress = 3
                settings.signerAccess.rateWindow = 600
            }
            defer { Task { try? await api.stop() } }
            let tokens = try await Self.tokens(api, 3)
            let page = PageClient(base: api.baseURL)
            #expect(try await page.post("/s/\(tokens[0])/code").status == 303)
            #expect(try await page.post("/s/\(tokens[1])/code").status == 303)
            clock.advance(100)
            #expect(try await page.post("/s/\(tokens[0])/verify", ["code": "000000"]).status != 429, "the third hit is allowed")
            let refused = try await page.post("/s/\(tokens[2])/code")
            #expect(refused.status == 429 && refused.text.contains("data-page=\"rate\""), "\(refused.status)")
            #expect(refused.header("Content-Type")?.hasPrefix("text/html") == true)
            let wait = try #require(Int(refused.header("Retry-After") ?? ""))
            #expect((495...500).contains(wait), "the oldest hit leaves the 600 s window in about 500 s, not \(wait)")
            #expect(refused.text.contains("\(wait)"), "the page says how long to wait")
            #expect(try await page.post("/s/\(tokens[1])/verify", ["code": "000000"]).status == 429, "code entries count too")
            #expect(try await api.loggedCodes().count == 2, "no code sent past the limit")
            clock.advance(Double(wait) + 1)
            #expect(try await page.post("/s/\(tokens[2])/code").status == 303, "the window slid")
        }

        @Test("Per signer: the 3rd code within the window (each after the 60 s resend wait) is a 429 page with Retry-After; it passes once the window slides")
        func perSigner() async throws {
            let clock = TestClock()
            let api = try await APIHarness.start(clock: { clock.now }) { settings in
                settings.signerAccess.codesPerSigner = 2
                settings.signerAccess.rateWindow = 900
            }
            defer { Task { try? await api.stop() } }
            let token = try #require(try await Self.tokens(api, 1).first)
            let page = PageClient(base: api.baseURL)
            #expect(try await page.post("/s/\(token)/code").status == 303)
            clock.advance(61)
            #expect(try await page.post("/s/\(token)/code").status == 303)
            clock.advance(61)
            let refused = try await page.post("/s/\(token)/code")
            #expect(refused.status == 429 && refused.text.contains("data-page=\"rate\""), "\(refused.status)")
            let wait = try #require(Int(refused.header("Retry-After") ?? ""))
            #expect((775...778).contains(wait), "the first code leaves the 900 s window in about 778 s, not \(wait)")
            #expect(try await api.loggedCodes().count == 2)
            #expect(try await PageClient(base: api.baseURL).post("/s/\(token)/code").status == 429, "per signer, whatever the session")
            clock.advance(Double(wait) + 1)
            #expect(try await page.post("/s/\(token)/code").status == 303, "the window slid")
            #expect(try await api.loggedCodes().count == 3)
        }
    }
}
