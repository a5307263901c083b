public import SignetTemplates

/// Why the service refused a request. Each case has a stable `code` (the API's problem
/// `code`) and a `kind` the HTTP layer maps to a status; nothing was changed when one is
/// thrown.
public enum ServiceError: Error, Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// No such resource (`what`: `merchant`, `contract`, `template`, `signer`, `document`, `page`).
    case notFound(String)
    /// A merchant with this external id exists.
    case merchantExists(externalID: String)
    /// The request's values are wrong; every problem at once.
    case validationFailed([ValidationIssue])
    /// The contract's state does not allow the action.
    case invalidState(state: ContractState, action: String)
    /// The signer has signed already.
    case alreadySigned(role: PartyRole)
    /// Another request is signing for this signer right now.
    case signingInProgress(role: PartyRole)
    /// The contract passed its expiry.
    case contractExpired
    /// No signed PDF exists yet.
    case signedDocumentNotReady
    /// The uploaded file is not a PDF.
    case notAPDF
    /// The uploaded PDF is encrypted.
    case encryptedPDF
    /// The uploaded PDF cannot be parsed.
    case damagedPDF(String)
    /// The same idempotency key came with another request.
    case idempotencyKeyReused
    /// The same idempotency key's first request is still running.
    case idempotencyKeyInUse
    /// The service itself failed (storage, keys, TSA): a 5xx, logged, never detailed to clients.
    case internalFailure(String)

    /// The class of refusal.
    public var kind: Kind {
        switch self {
        case .notFound: .notFound
        case .merchantExists, .invalidState, .alreadySigned, .signingInProgress, .contractExpired, .signedDocumentNotReady,
             .idempotencyKeyInUse: .conflict
        case .validationFailed, .notAPDF, .encryptedPDF, .damagedPDF, .idempotencyKeyReused: .unprocessable
        case .internalFailure: .internalFailure
        }
    }

    /// Which HTTP-ish class of refusal this is.
    public enum Kind: Sendable, Hashable {
        /// 404.
        case notFound
        /// 409.
        case conflict
        /// 422.
        case unprocessable
        /// 500.
        case internalFailure
    }

    /// The stable machine-readable code (api-shapes: the problem `code`).
    public var code: String {
        switch self {
        case .notFound(let what): "\(what)_not_found"
        case .merchantExists: "merchant_exists"
        case .validationFailed: "validation_failed"
        case .invalidState: "invalid_state"
        case .alreadySigned: "already_signed"
        case .signingInProgress: "signing_in_progress"
        case .contractExpired: "contract_expired"
        case .signedDocumentNotReady: "signed_document_not_ready"
        case .notAPDF: "not_a_pdf"
        case .encryptedPDF: "encrypted_pdf"
        case .damagedPDF: "damaged_pdf"
        case .idempotencyKeyReused: "idempotency_key_reused"
        case .idempotencyKeyInUse: "idempotency_key_in_use"
        case .internalFailure: "internal_error"
        }
    }

    /// A sentence for the client (never internal detail for `internalFailure`).
    public var description: String {
        switch self {
        case .notFound(let what): "no such \(what)"
        case .merchantExists(let externalID): "a merchant with external_id '\(externalID)' exists already"
        case .validationFailed(let errors): "\(errors.count) invalid value\(errors.count == 1 ? "" : "s")"
        case .invalidState(let state, let action): "the contract is \(state.rawValue): it cannot be \(action)"
        case .alreadySigned(let role): "the \(role) has signed already"
        case .signingInProgress(let role): "the \(role)'s signature is being made by another request"
        case .contractExpired: "the contract has expired"
        case .signedDocumentNotReady: "nobody has signed the contract yet"
        case .notAPDF: "the body is not a PDF (it must start with %PDF-)"
        case .encryptedPDF: "the PDF is encrypted; upload it without a password"
        case .damagedPDF(let reason): "the PDF cannot be read: \(reason)"
        case .idempotencyKeyReused: "this Idempotency-Key was used with a different request"
        case .idempotencyKeyInUse: "a request with this Idempotency-Key is still being processed"
        case .internalFailure: "internal error"
        }
    }

    /// For logs: the description, and for `internalFailure` the internal detail (never sent to clients).
    public var debugDescription: String {
        if case .internalFailure(let detail) = self { return "internal error: \(detail)" }
        return "\(code): \(description)"
    }

    /// Field errors, for `validationFailed`.
    public var fieldErrors: [ValidationIssue] {
        if case .validationFailed(let errors) = self { return errors }
        return []
    }
}

/// One bad value of a request: where (`fields.merchant_phone`, `registration.credit_code`),
/// a stable code (the template validator's codes for contract fields, e.g. `too_short`,
/// `credit_code_check_character`; `required`, `invalid_type`, `unknown_field`,
/// `conflicts_with_merchant`, … for the rest) and a sentence.
public struct ValidationIssue: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The member, as a dotted path in the request body.
    public var field: String
    /// Stable code.
    public var code: String
    /// A sentence for people.
    public var message: String

    /// An issue.
    public init(field: String, code: String, message: String) {
        self.field = field
        self.code = code
        self.message = message
    }

    /// A template field's problem, under `fields.`.
    public init(_ error: FieldError, prefix: String = "fields.") {
        self.init(field: prefix + error.field, code: error.code.rawValue, message: error.message)
    }

    /// `field: message [code]`.
    public var description: String { "\(field): \(message) [\(code)]" }
}
