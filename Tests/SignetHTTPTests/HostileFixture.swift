import Foundation
import NIOHTTP1
import SignetService
import SignetTestSupport
import Testing

/// What the hostile table needs to exist first: a merchant; contract A with a signer session
/// (its cookie, CSRF token and the one-time code it used), contract B with another signer's
/// session, contract C with a pending code challenge and a used embedded link; a webhook
/// endpoint with a delivery; an export job; a console session and a console sign-in form.
struct HostileFixture {
    let merchantID: String
    let contractA: String
    let tokenA: String
    let sessionA: String
    let csrfA: String
    let usedCodeA: String
    let tokenB: String
    let sessionB: String
    let csrfB: String
    let tokenC: String
    let usedEmbeddedPath: String
    let endpointID: String
    let deliveryID: String
    let exportID: String
    let consoleSession: String
    let consoleCSRF: String
    let loginCookie: String
    let loginCSRF: String
    /// The sample contract's fields (without the merchant's).
    let sampleFields: [String: Any]

    static func make(_ api: APIHarness) async throws -> HostileFixture {
        // A public address literal: accepted, and nothing is sent (no delivery worker runs).
        let endpoint = try await api.call(.POST, "/v1/webhook-endpoints", json: ["url": "https://93.184.215.14/hook"])
        try #require(endpoint.status == 201, "\(endpoint.text)")
        let (merchant, contract) = try await api.merchantAndContract()
        let merchantID = try #require(merchant["id"] as? String)
        let contractA = try #require(contract["id"] as? String)
        let tokenA = try APIHarness.token(of: contract)
        let pageA = PageClient(base: api.baseURL)
        try await LiveService.SigningPageTests.authenticate(api, pageA, token: tokenA)
        let usedCodeA = try #require(try api.loggedCodes().last)
        let csrfA = try #require(try await pageA.get("/s/\(tokenA)/review").hidden("csrf"))

        func newContract() async throws -> String {
            let created = try await api.call(.POST, "/v1/contracts", json: [
                "merchant_id": merchantID, "template_id": "merchant-service-agreement", "fields": try APIHarness.sampleFields()] as [String: Any])
            try #require(created.status == 201, "\(created.text)")
            return try APIHarness.token(of: created.json)
        }
        let tokenB = try await newContract()
        let pageB = PageClient(base: api.baseURL)
        try await LiveService.SigningPageTests.authenticate(api, pageB, token: tokenB)
        let csrfB = try #require(try await pageB.get("/s/\(tokenB)/review").hidden("csrf"))

        let contractC = try await api.call(.POST, "/v1/contracts", json: [
            "merchant_id": merchantID, "template_id": "merchant-service-agreement", "fields": try APIHarness.sampleFields()] as [String: Any])
        let tokenC = try APIHarness.token(of: contractC.json)
        let contractCID = try #require(contractC.json["id"] as? String)
        let pageC = PageClient(base: api.baseURL)
        #expect(try await pageC.get("/s/\(tokenC)").status == 200)
        #expect(try await pageC.post("/s/\(tokenC)/code").status == 303)
        let embedded = try await api.call(.POST, "/v1/contracts/\(contractCID)/signers/merchant/embedded-link")
        let embeddedPath = String(try #require(embedded.json["url"] as? String).dropFirst(api.baseURL.count))
        #expect(try await PageClient(base: api.baseURL).get(embeddedPath).status == 303, "entered once")

        let export = try await api.call(.POST, "/v1/exports", json: ["merchant_id": merchantID])
        try #require(export.status == 202, "\(export.text)")
        let endpointID = try #require(endpoint.json["id"] as? String)
        // The outbox fans out into deliveries as the worker would (it does not run here: the
        // table must not race it).
        _ = try await api.service.storage.webhooks.dispatch(now: Date(), limit: 100)
        let deliveries = try await api.call(.GET, "/v1/webhook-endpoints/\(endpointID)/deliveries")
        let deliveryID = try #require((deliveries.json["data"] as? [[String: Any]])?.first?["id"] as? String, "\(deliveries.text)")

        let console = PageClient(base: api.baseURL)
        #expect(try await LiveService.ConsoleTests.signIn(console, key: api.apiKey).status == 303)
        let consoleCSRF = try #require(try await console.get("/console").hidden("csrf"))
        let login = PageClient(base: api.baseURL)
        let loginCSRF = try #require(try await login.get("/console/login").hidden("csrf"))

        return HostileFixture(
            merchantID: merchantID, contractA: contractA, tokenA: tokenA, sessionA: try #require(pageA.cookie("signet_session")),
            csrfA: csrfA, usedCodeA: usedCodeA, tokenB: tokenB, sessionB: try #require(pageB.cookie("signet_session")), csrfB: csrfB,
            tokenC: tokenC, usedEmbeddedPath: embeddedPath, endpointID: endpointID, deliveryID: deliveryID,
            exportID: try #require(export.json["id"] as? String), consoleSession: try #require(console.cookie(ConsoleCookie.session)),
            consoleCSRF: consoleCSRF, loginCookie: try #require(login.cookie("signet_console_login")), loginCSRF: loginCSRF,
            sampleFields: try APIHarness.sampleFields())
    }
}
