import HTTPTypes
public import SignetService

extension APIProblem {
    /// The problem for a refusal of the service: its code, a status by its kind, and its
    /// sentence (never detail for an internal failure).
    public init(_ error: ServiceError) {
        switch error.kind {
        case .notFound:
            self = .notFound(code: error.code, detail: error.description)
        case .conflict:
            self = .conflict(code: error.code, detail: error.description)
        case .unprocessable:
            if case .validationFailed(let issues) = error {
                self = .validationFailed(issues.map(APIProblem.FieldProblem.init))
            } else {
                self.init(status: .unprocessableContent, code: error.code, title: APIProblem.titles[error.code] ?? "Unprocessable request",
                          detail: error.description)
            }
        case .internalFailure:
            self = .internalError
        case .gone:
            self.init(status: .gone, code: error.code, title: "Gone", detail: error.description)
        case .tooManyRequests:
            self.init(status: .tooManyRequests, code: error.code, title: "Too many requests", detail: error.description)
            headers[.retryAfter] = String(error.retryAfter ?? 1)
        case .unauthorized:
            self.init(status: .unauthorized, code: error.code, title: "Unauthorized", detail: error.description)
        case .forbidden:
            self.init(status: .forbidden, code: error.code, title: "Forbidden", detail: error.description)
        case .badRequest:
            self.init(status: .badRequest, code: error.code, title: "Bad request", detail: error.description)
            errors = error.fieldErrors.map(APIProblem.FieldProblem.init)
        }
    }

    /// Titles of the 422 codes other than `validation_failed`.
    static let titles = [
        "not_a_pdf": "Not a PDF", "encrypted_pdf": "Encrypted PDF", "damaged_pdf": "Damaged PDF",
        "idempotency_key_reused": "Idempotency key reused", "webhook_url_refused": "Webhook URL refused",
        "export_empty": "Nothing to export",
    ]

    /// A 400 `invalid_request` listing every structural problem of a body.
    static func invalidRequest(issues: [ValidationIssue]) -> APIProblem {
        .invalidRequest("The request body has \(issues.count) problem\(issues.count == 1 ? "" : "s").",
                        errors: issues.map(APIProblem.FieldProblem.init))
    }

    /// A 400 `invalid_query` for a bad query parameter.
    static func invalidQuery(_ parameter: String, _ detail: String) -> APIProblem {
        APIProblem(status: .badRequest, code: "invalid_query", title: "Invalid query parameter", detail: "\(parameter): \(detail)")
    }
}

extension APIProblem.FieldProblem {
    /// A service validation issue as a field problem.
    init(_ issue: ValidationIssue) {
        self.init(field: issue.field, code: issue.code, message: issue.message)
    }
}
