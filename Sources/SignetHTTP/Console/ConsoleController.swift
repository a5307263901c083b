import FoundationEssentials
import HTTPTypes
import Hummingbird
import SignetCrypto
import SignetService

/// The operator console (`/console…`, issue 15): read-only HTML pages behind a sign-in with
/// an API key. The session cookie `signet_console` (path `/console`, HttpOnly,
/// SameSite=Strict, Secure over https) holds the `cs_…` secret; the store keeps its SHA-256.
/// Sessions idle out after 30 minutes, end 12 hours after sign-in and when their API key is
/// revoked. The login form's CSRF token is derived from a random pre-session cookie
/// (`signet_console_login`), the logout form's from the session secret. No page changes a
/// contract; none is in the OpenAPI document.
struct ConsoleController {
    let service: SignetService
    let cookies: PageCookies

    static let sessionCookie = "signet_console"
    static let loginCookie = "signet_console_login"
    static let path = "/console"

    func endpoints(to group: RouterGroup<SignetRequestContext>) {
        group.get("console/login", use: loginForm)
        group.post("console/login", use: login)
        group.post("console/logout", use: logout)
        group.get("console", use: overview)
        group.get("console/merchants", use: merchants)
        group.get("console/merchants/{id}", use: merchant)
        group.get("console/contracts/{id}", use: contract)
    }

    // MARK: - Sign-in

    @Sendable func loginForm(_ request: Request, context: SignetRequestContext) async throws -> Response {
        loginPage(error: nil, status: .ok)
    }

    @Sendable func login(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let form = await FormBody.fields(request)
        guard let nonce = PageCookies.value(Self.loginCookie, in: request), CSRFToken.matches(form["csrf"], sessionSecret: nonce) else {
            return ConsolePages.message(.forbidden, title: "The form has expired",
                                        text: "The sign-in form was missing its security token. Open the sign-in page again.")
        }
        let origin = RequestOrigin(actor: "operator", ip: context.remoteAddress?.ipAddress,
                                   userAgent: request.headers[.userAgent].map { String($0.prefix(512)) })
        let grant: ConsoleSessionGrant?
        do {
            grant = try await service.openConsoleSession(apiKey: String((form["api_key"] ?? "").prefix(200)), origin: origin)
        } catch ServiceError.rateLimited(let seconds) {
            var response = loginPage(error: "Too many attempts. Try again in \(seconds) seconds.", status: .tooManyRequests)
            response.headers[.retryAfter] = String(seconds)
            return response
        }
        guard let grant else { return loginPage(error: "That API key is not valid (unknown or revoked).", status: .unauthorized) }
        var response = HTMLResponse.redirect(to: Self.path)
        response.setCookie(cookies.session(name: Self.sessionCookie, value: grant.secret, path: Self.path))
        response.setCookie(cookies.expired(name: Self.loginCookie, path: Self.path))
        return response
    }

    @Sendable func logout(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let form = await FormBody.fields(request)
        let secret = PageCookies.value(Self.sessionCookie, in: request)
        guard let secret, CSRFToken.matches(form["csrf"], sessionSecret: secret) else {
            return ConsolePages.message(.forbidden, title: "The form has expired", text: "Sign out from a console page.")
        }
        try await service.closeConsoleSession(secret: secret)
        var response = HTMLResponse.redirect(to: "\(Self.path)/login")
        response.setCookie(cookies.expired(name: Self.sessionCookie, path: Self.path))
        return response
    }

    // MARK: - Pages

    @Sendable func overview(_ request: Request, context: SignetRequestContext) async throws -> Response {
        try await signedIn(request) { csrf in
            let query = request.uri.queryParameters
            let form = ConsolePeriodForm(choice: query.get("period"), from: query.get("from"), to: query.get("to"),
                                         now: service.clock(), utcOffsetSeconds: service.configuration.utcOffsetSeconds)
            let statistics = try await service.journeyStatistics(period: form.period)
            return ConsolePages.page("console_overview", title: "Overview", csrf: csrf,
                                     context: ConsoleViews.overview(statistics, form: form, time: time))
        }
    }

    @Sendable func merchants(_ request: Request, context: SignetRequestContext) async throws -> Response {
        try await signedIn(request) { csrf in
            let after = request.uri.queryParameters.get("after").flatMap { Int64($0) }
            let page = try await service.merchantSummaries(page: PageRequest(limit: 25, after: after))
            return ConsolePages.page("console_merchants", title: "Merchants", csrf: csrf,
                                     context: ConsoleViews.merchants(page, time: time))
        }
    }

    @Sendable func merchant(_ request: Request, context: SignetRequestContext) async throws -> Response {
        try await signedIn(request) { csrf in
            guard let id = context.parameters.get("id"), let merchant = try await found({ try await service.merchant(id: id) }) else {
                return ConsolePages.message(.notFound, title: "No such merchant", text: "There is no merchant with this id.", csrf: csrf)
            }
            let query = request.uri.queryParameters
            let offset = service.configuration.utcOffsetSeconds
            let state = query.get("state").flatMap(ContractState.init(rawValue:))
            let from = ConsolePeriodForm.day(query.get("from"), offset)
            let to = ConsolePeriodForm.day(query.get("to"), offset)?.addingTimeInterval(86_400)
            let after = query.get("after").flatMap { Int64($0) }
            let contracts = try await service.contracts(ContractQuery(merchantID: merchant.id, state: state, createdAfter: from,
                                                                      createdBefore: to, page: PageRequest(limit: 25, after: after)))
            let filters = ConsoleViews.ContractFilters(state: state, from: from.map { _ in query.get("from") ?? "" } ?? "",
                                                       to: to.map { _ in query.get("to") ?? "" } ?? "")
            return ConsolePages.page("console_merchant", title: merchant.name, csrf: csrf,
                                     context: ConsoleViews.merchant(merchant, contracts: contracts, filters: filters, time: time))
        }
    }

    @Sendable func contract(_ request: Request, context: SignetRequestContext) async throws -> Response {
        try await signedIn(request) { csrf in
            guard let id = context.parameters.get("id"),
                  let timeline = try await found({ try await service.contractTimeline(contractID: id) }) else {
                return ConsolePages.message(.notFound, title: "No such contract", text: "There is no contract with this id.", csrf: csrf)
            }
            let merchant = try? await service.merchant(id: timeline.contract.merchantID)
            return ConsolePages.page("console_contract", title: timeline.contract.number, csrf: csrf,
                                     context: ConsoleViews.contract(timeline, merchant: merchant, time: time))
        }
    }

    // MARK: - Helpers

    /// Runs `body` with the session's CSRF token, or redirects to the sign-in page.
    private func signedIn(_ request: Request, _ body: (String) async throws -> Response) async throws -> Response {
        let secret = PageCookies.value(Self.sessionCookie, in: request)
        do {
            _ = try await service.consoleSession(secret: secret)
        } catch ServiceError.sessionRequired {
            var response = HTMLResponse.redirect(to: "\(Self.path)/login")
            if secret != nil { response.setCookie(cookies.expired(name: Self.sessionCookie, path: Self.path)) }
            return response
        }
        return try await body(CSRFToken.token(sessionSecret: secret ?? ""))
    }

    /// nil for the service's `notFound`.
    private func found<T>(_ body: () async throws -> T) async throws -> T? {
        do { return try await body() } catch ServiceError.notFound { return nil }
    }

    private func loginPage(error: String?, status: HTTPResponse.Status) -> Response {
        let nonce = Base32.base64URL(SecureRandom.bytes(32))
        var context: [String: Any] = ["csrf": CSRFToken.token(sessionSecret: nonce)]
        if let error { context["error"] = error }
        var response = ConsolePages.page("console_login", title: "Sign in", csrf: nil, context: context, status: status)
        response.setCookie(cookies.session(name: Self.loginCookie, value: nonce, path: Self.path))
        return response
    }

    private func time(_ date: Date) -> String {
        TimeText.iso8601(date, offsetFromUTC: service.configuration.utcOffsetSeconds)
    }
}
