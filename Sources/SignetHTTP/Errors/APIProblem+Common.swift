public import HTTPTypes

extension APIProblem {
    /// 400 `invalid_json`: the body is not JSON (or not UTF-8).
    public static func invalidJSON(_ detail: String = "The request body is not valid JSON.") -> APIProblem {
        APIProblem(status: .badRequest, code: "invalid_json", title: "Invalid JSON", detail: detail)
    }

    /// 400 `incomplete_body`: the connection's sending side closed before the body reached
    /// its `Content-Length` (nothing of it was used).
    public static let incompleteBody = APIProblem(status: .badRequest, code: "incomplete_body", title: "Incomplete body",
                                                  detail: "The request body ended before its Content-Length.")

    /// 400 `invalid_request`: a member has the wrong type, is missing or unknown.
    public static func invalidRequest(_ detail: String, errors: [FieldProblem]? = nil) -> APIProblem {
        APIProblem(status: .badRequest, code: "invalid_request", title: "Invalid request", detail: detail, errors: errors)
    }

    /// 404 with a resource code (`contract_not_found`, …) or `not_found` for an unknown route.
    public static func notFound(code: String = "not_found", detail: String = "No such resource.") -> APIProblem {
        APIProblem(status: .notFound, code: code, title: "Not found", detail: detail)
    }

    /// 405 `method_not_allowed`, with the `Allow` header listing the route's methods.
    public static func methodNotAllowed(_ method: HTTPRequest.Method, allowed: [HTTPRequest.Method]) -> APIProblem {
        var headers = HTTPFields()
        headers[.allow] = allowed.map(\.rawValue).sorted().joined(separator: ", ")
        return APIProblem(status: .methodNotAllowed, code: "method_not_allowed", title: "Method not allowed",
                          detail: "\(method.rawValue) is not allowed on this route.", headers: headers)
    }

    /// 409 with a state code (`invalid_state`, `already_signed`, …).
    public static func conflict(code: String, detail: String) -> APIProblem {
        APIProblem(status: .conflict, code: code, title: "Conflict", detail: detail)
    }

    /// 413 `body_too_large`.
    public static func bodyTooLarge(limit: Int?) -> APIProblem {
        APIProblem(status: .contentTooLarge, code: "body_too_large", title: "Request body too large",
                   detail: limit.map { "The request body exceeds the limit of \($0) bytes." } ?? "The request body is too large.")
    }

    /// 415 `unsupported_media_type`.
    public static func unsupportedMediaType(expected: String) -> APIProblem {
        APIProblem(status: .unsupportedMediaType, code: "unsupported_media_type", title: "Unsupported media type",
                   detail: "This route takes \(expected).")
    }

    /// 422 `validation_failed` listing every field problem at once.
    public static func validationFailed(_ errors: [FieldProblem]) -> APIProblem {
        APIProblem(status: .unprocessableContent, code: "validation_failed", title: "Validation failed",
                   detail: "\(errors.count) field\(errors.count == 1 ? "" : "s") failed validation.", errors: errors)
    }

    /// 500 `internal_error`: a bug. Never with details (they are in the log, under the
    /// request id).
    public static var internalError: APIProblem {
        APIProblem(status: .internalServerError, code: "internal_error", title: "Internal error", detail: nil)
    }

    /// 503 `not_ready`, naming the failed checks (if any).
    public static func notReady(failedChecks: [String]) -> APIProblem {
        APIProblem(status: .serviceUnavailable, code: "not_ready", title: "Not ready",
                   detail: failedChecks.isEmpty ? "The service is not ready."
                       : "Failed readiness checks: \(failedChecks.joined(separator: ", ")).")
    }
}
