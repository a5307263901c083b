import FoundationEssentials
public import Hummingbird
import HTTPTypes

/// Refuses a form post another site's page sent (403): its `Origin` is not the service's
/// own (the base URL's scheme, host and port), or the browser says `Sec-Fetch-Site:
/// cross-site` (or `same-site`: a sibling host is another origin too). The pages' forms carry CSRF tokens and their cookies are SameSite; this is
/// the third lock, which holds even for a request that has both (a framed embedded session
/// with `SameSite=None`). Requests without either header (curl, old browsers) pass on to
/// the CSRF check. Only unsafe methods are checked.
public struct CrossSiteFormMiddleware: RouterMiddleware {
    /// The service's origin, `https://sign.example.com` (no default port).
    let origin: String
    /// The answer to a refused post.
    let refusal: @Sendable (Request) -> Response

    /// A middleware for a service at `baseURL`, answering a refused post with `refusal`.
    public init(baseURL: String, refusal: @escaping @Sendable (Request) -> Response) {
        origin = Self.origin(of: baseURL)
        self.refusal = refusal
    }

    /// `scheme://host[:port]` of `url`, lowercased, without the scheme's default port.
    static func origin(of url: String) -> String {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              let host = components.host?.lowercased() else { return url.lowercased() }
        let defaultPort = scheme == "https" ? 443 : scheme == "http" ? 80 : nil
        let port = components.port.flatMap { $0 == defaultPort ? nil : $0 }
        return "\(scheme)://\(host)" + (port.map { ":\($0)" } ?? "")
    }

    /// Whether a request with these headers comes from another site's page. `Origin: null`
    /// proves nothing either way: browsers send it for a same-origin form post from a page
    /// with `Referrer-Policy: no-referrer` (ours); `Sec-Fetch-Site` then tells.
    func isCrossSite(origin presented: String?, fetchSite: String?) -> Bool {
        if let presented, presented != "null", Self.origin(of: presented) != origin { return true }
        return ["cross-site", "same-site"].contains(fetchSite?.lowercased() ?? "")
    }

    /// Refuses a cross-site post; calls the chain otherwise.
    public func handle(_ request: Request, context: SignetRequestContext,
                       next: (Request, SignetRequestContext) async throws -> Response) async throws -> Response {
        guard ![.get, .head, .options].contains(request.method),
              isCrossSite(origin: request.headers[.origin], fetchSite: request.headers[.secFetchSite]) else {
            return try await next(request, context)
        }
        return refusal(request)
    }
}

extension HTTPField.Name {
    /// Fetch metadata: how the request's initiator relates to its target.
    static let secFetchSite = HTTPField.Name("Sec-Fetch-Site")!
}
