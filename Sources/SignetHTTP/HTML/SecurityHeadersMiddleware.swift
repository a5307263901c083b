import HTTPTypes
public import Hummingbird

/// Who may frame the HTML pages: nobody by default (`frame-ancestors 'none'`,
/// `X-Frame-Options: DENY`); an integrator that embeds the signing page opts in with its
/// origins (`frame-ancestors https://onboarding.example`, no `X-Frame-Options`, which cannot
/// name an origin) — per embedded link (`frame_ancestors`, the pages of that link's session)
/// or server-wide for the signing pages (`signet serve --frame-ancestors`). The origins must
/// have passed `FrameAncestors` (they go into the header verbatim).
public struct FramePolicy: Sendable, Hashable {
    /// Origins allowed to frame the pages (`https://host[:port]`); empty: none.
    public var allowedOrigins: [String]

    /// A policy allowing `allowedOrigins` (none by default).
    public init(allowedOrigins: [String] = []) {
        self.allowedOrigins = allowedOrigins
    }

    /// The `frame-ancestors` directive's source list.
    var frameAncestors: String { allowedOrigins.isEmpty ? "'none'" : allowedOrigins.joined(separator: " ") }

    /// The Content-Security-Policy of the pages under this policy.
    var contentSecurityPolicy: String {
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "form-action 'self'; frame-ancestors \(frameAncestors); base-uri 'none'; object-src 'none'"
    }

    /// Sets the CSP, and `X-Frame-Options: DENY` when nobody may frame (removed otherwise),
    /// on `headers`. A route that sets them itself (a page of an embedded link's session)
    /// keeps them: `SecurityHeadersMiddleware` fills in only a missing CSP.
    func apply(to headers: inout HTTPFields) {
        headers[.contentSecurityPolicy] = contentSecurityPolicy
        headers[.xFrameOptions] = allowedOrigins.isEmpty ? "DENY" : nil
    }
}

/// The security headers of every HTML page (the signing page, the console) and their assets:
/// a Content-Security-Policy without inline script or style, framing as `FramePolicy` says,
/// `nosniff`, no referrer (a signing link's token is in the path), `no-store` (nothing of a
/// signer's session kept in caches), and no powerful browser features.
public struct SecurityHeadersMiddleware: RouterMiddleware {
    /// The headers set on every response.
    let headers: HTTPFields

    /// A middleware with `framing` (for the pages whose route sets no framing of its own).
    public init(framing: FramePolicy = FramePolicy()) {
        var headers: HTTPFields = [:]
        framing.apply(to: &headers)
        headers[.xContentTypeOptions] = "nosniff"
        headers[.referrerPolicy] = "no-referrer"
        headers[.cacheControl] = "no-store"
        headers[.permissionsPolicy] = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
        headers[.crossOriginOpenerPolicy] = "same-origin"
        self.headers = headers
    }

    /// Calls the chain and adds the headers (replacing any the route set, except
    /// `Cache-Control` of the static assets, which may be cached, and the framing of a page
    /// that set its own CSP: an embedded link's session, `FramePolicy.apply`).
    public func handle(_ request: Request, context: SignetRequestContext,
                       next: (Request, SignetRequestContext) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        let ownFraming = response.headers[.contentSecurityPolicy] != nil
        for field in headers {
            if field.name == .cacheControl, response.headers[.cacheControl] != nil { continue }
            if ownFraming, field.name == .contentSecurityPolicy || field.name == .xFrameOptions { continue }
            response.headers[field.name] = field.value
        }
        return response
    }
}

extension HTTPField.Name {
    /// CSP.
    static let contentSecurityPolicy = HTTPField.Name("Content-Security-Policy")!
    /// Framing (legacy form of `frame-ancestors`).
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
    /// `nosniff`.
    static let xContentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
    /// Referrer policy.
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    /// Browser features.
    static let permissionsPolicy = HTTPField.Name("Permissions-Policy")!
    /// COOP.
    static let crossOriginOpenerPolicy = HTTPField.Name("Cross-Origin-Opener-Policy")!
}
