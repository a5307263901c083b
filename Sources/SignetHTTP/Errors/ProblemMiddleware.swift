public import Hummingbird
import HTTPTypes
import Logging
import NIOHTTP1
import SignetService

/// Turns every error a route throws into an RFC 9457 problem carrying the request id:
/// - an `APIProblem` as it is;
/// - NIO's `HTTPParserError` while a route reads the body: 400 `incomplete_body` for a body
///   that ended before its `Content-Length`, else 400 `invalid_request`;
/// - Hummingbird's `HTTPError` (and any other `HTTPResponseError`) by its status: 404 for an
///   unknown route `not_found` — or 405 `method_not_allowed` when the path has routes for
///   other methods (`RouteTable`), 413 `body_too_large` (from `collect(upTo:)` and JSON
///   decoding), 400 `invalid_request`, 415 `unsupported_media_type`, …, never with
///   Hummingbird's message;
/// - anything else: 500 `internal_error` without any detail, the error logged (at error
///   level, with the request id) for the operator.
public struct ProblemMiddleware: RouterMiddleware {
    private let routes: RouteIndex

    /// A middleware that looks up 405s in `routes`.
    public init(routes: RouteIndex) {
        self.routes = routes
    }

    /// Calls the chain; maps a thrown error to its problem response.
    public func handle(_ request: Request, context: SignetRequestContext,
                       next: (Request, SignetRequestContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            var problem = problem(for: error, request: request, context: context)
            problem.requestID = context.requestID
            return try problem.response(from: request, context: context)
        }
    }

    private func problem(for error: any Error, request: Request, context: SignetRequestContext) -> APIProblem {
        switch error {
        case let problem as APIProblem:
            return problem
        case let error as HTTPParserError:
            // Reading the body failed: it ended early (the client closed its side), or its
            // framing is broken. The client's fault, never a 500.
            return error == .invalidEOFState ? .incompleteBody : .invalidRequest("The request body could not be read.")
        case let error as any HTTPResponseError:
            if error.status == .notFound, context.endpointPath == nil || context.endpointPath == "NotFound",
               let route = routes.allowedMethods(forPath: request.uri.path) {
                // Hummingbird answers 404 for a known path with another method.
                context.coreContext.endpointPath.value = route.template
                return .methodNotAllowed(request.method, allowed: route.methods)
            }
            return Self.problem(forStatus: error.status)
        default:
            context.logger.error("internal error", metadata: [
                "error.type": .string(String(reflecting: type(of: error))),
                "error.code": .string(ErrorCodes.code(of: error) ?? "none"),
                "error": .string("\(error)"),
            ])
            return .internalError
        }
    }

    /// The problem for a status Hummingbird (or NIO) answered with, without its message.
    static func problem(forStatus status: HTTPResponse.Status) -> APIProblem {
        switch status {
        case .notFound: return .notFound()
        case .contentTooLarge: return .bodyTooLarge(limit: nil)
        case .badRequest: return .invalidRequest("The request could not be read.")
        case .unsupportedMediaType:
            return APIProblem(status: status, code: "unsupported_media_type", title: "Unsupported media type",
                              detail: "The request's content type is not accepted here.")
        case .unauthorized:
            return APIProblem(status: status, code: "unauthorized", title: "Unauthorized", detail: "A valid API key is required.")
        case .methodNotAllowed:
            return APIProblem(status: status, code: "method_not_allowed", title: "Method not allowed",
                              detail: "The method is not allowed on this route.")
        default:
            if status.code >= 500 { return status == .serviceUnavailable ? .notReady(failedChecks: []) : .internalError }
            let code = status.reasonPhrase.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).joined(separator: "_")
            return APIProblem(status: status, code: code.isEmpty ? "client_error" : code, title: status.reasonPhrase,
                              detail: "The request was refused (\(status.code)).")
        }
    }
}
