import FoundationEssentials
import SignetCrypto
public import HTTPTypes
public import Hummingbird
import Logging

/// A page that answers with an error: an HTML page (never JSON) with its status — 404 for
/// an unknown link, 410 for a dead one, 401 without a session, 403 for a failed CSRF check,
/// 409 for a contract that cannot be signed, 429 with `Retry-After`.
public struct PageError: Error, Sendable {
    /// The HTTP status.
    public var status: HTTPResponse.Status
    /// The strings' key: `<key>_title` and `<key>_intro` are the page's heading and text.
    public var key: String
    /// Seconds to wait (429 and a locked code), shown in the text and sent as `Retry-After`.
    public var retryAfter: Int?
    /// The language of the page.
    public var language: PageLanguage?

    /// An error page.
    public init(_ status: HTTPResponse.Status, _ key: String, retryAfter: Int? = nil, language: PageLanguage? = nil) {
        self.status = status
        self.key = key
        self.retryAfter = retryAfter
        self.language = language
    }
}

/// Renders `PageError`s as HTML pages (and any other error as a generic 500 page, logged);
/// installed on the page routes inside `ProblemMiddleware`, so their errors never become
/// problem+json.
public struct PageErrorMiddleware: RouterMiddleware {
    /// The middleware.
    public init() {}

    /// Calls the chain; renders a thrown error as its page.
    public func handle(_ request: Request, context: SignetRequestContext,
                       next: (Request, SignetRequestContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as PageError {
            return PageErrors.render(error, request: request)
        } catch let error as any HTTPResponseError where error.status.code < 500 {
            return PageErrors.render(PageError(error.status, error.status == .notFound ? "not_found" : "error"), request: request)
        } catch {
            context.logger.error("internal error", metadata: [
                "error.type": .string(String(reflecting: type(of: error))), "error": .string("\(error)"),
            ])
            return PageErrors.render(PageError(.internalServerError, "error"), request: request)
        }
    }
}

/// The message page of a `PageError`.
enum PageErrors {
    static func render(_ error: PageError, request: Request) -> Response {
        let language = error.language ?? PageLanguage.preferred(request)
        var context: [String: Any] = language.strings
        let seconds = error.retryAfter.map(String.init) ?? ""
        let title = language.text("\(error.key)_title")
        context["title"] = title
        context["intro"] = language.text("\(error.key)_intro").replacing("{n}", with: seconds)
        context["code"] = error.key
        let html = PageLibrary.shared.render("message", context: context, language: language.rawValue, title: title)
        var headers: HTTPFields = [:]
        if let retryAfter = error.retryAfter { headers[.retryAfter] = String(retryAfter) }
        return HTMLResponse.page(html, status: error.status, headers: headers)
    }

    /// The 404 page for a request.
    static func notFoundPage(_ request: Request) -> Response { render(PageError(.notFound, "not_found"), request: request) }
}
