public import Hummingbird
import HTTPTypes

/// The HTML answer for a path under the pages (`/s/…`, `/console…`, `/assets/…`) that no
/// route takes: a browser following a mistyped or truncated signing link gets the 404 page,
/// and a method the page has no route for gets a 405 page with `Allow` — both with the pages'
/// security headers (`SecurityHeadersMiddleware`), never a problem+json without them.
/// Installed on the router inside `ProblemMiddleware`; every other path's errors pass through.
public struct PagePathFallbackMiddleware: RouterMiddleware {
    /// The path prefixes of the HTML pages.
    static let prefixes = ["/s/", "/console/", "/assets/"]

    private let routes: RouteIndex
    private let headers = SecurityHeadersMiddleware()

    /// A middleware that looks up 405s in `routes`.
    public init(routes: RouteIndex) {
        self.routes = routes
    }

    /// Whether `path` is a page's path.
    static func isPagePath(_ path: String) -> Bool {
        path == "/console" || prefixes.contains { path.hasPrefix($0) }
    }

    /// Calls the chain; answers an unrouted page path's 404 with the HTML page.
    public func handle(_ request: Request, context: SignetRequestContext,
                       next: (Request, SignetRequestContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as any HTTPResponseError where error.status == .notFound && Self.isPagePath(request.uri.path)
            && (context.endpointPath == nil || context.endpointPath == "NotFound") {
            var page: Response
            if let route = routes.allowedMethods(forPath: request.uri.path) {
                context.coreContext.endpointPath.value = route.template
                page = PageErrors.render(PageError(.methodNotAllowed, "method_not_allowed"), request: request)
                page.headers[.allow] = route.methods.map(\.rawValue).sorted().joined(separator: ", ")
            } else {
                page = PageErrors.notFoundPage(request)
            }
            let answer = page
            return try await headers.handle(request, context: context) { _, _ in answer }
        }
    }
}
