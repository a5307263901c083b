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
    /// The contract has not completed, so it has no evidence report (409).
    case contractNotCompleted
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
    /// A webhook endpoint URL that is not allowed: not http(s), with user information, or a
    /// host in an address range outbound requests may not reach.
    case webhookURLRefused(String)
    /// A manual retry of a delivery whose sealed payload (a delivered one-time code) was
    /// dropped: there is nothing left to send (409).
    case webhookPayloadDropped
    /// The service itself failed (storage, keys, TSA): a 5xx, logged, never detailed to clients.
    case internalFailure(String)
    /// A signing link (or embedded link) nobody issued (404).
    case linkInvalid
    /// A signing link that no longer works: expired, superseded, used, or its contract is
    /// final (410).
    case linkExpired
    /// A wrong one-time code; `triesLeft` more before the challenge locks.
    case otpInvalid(triesLeft: Int)
    /// The one-time code's 5 minutes are over (or none was requested).
    case otpExpired
    /// Five wrong codes: the challenge is locked; a new code may be requested after `retryAfter` s.
    case otpLocked(retryAfter: Int)
    /// A new code was asked for less than 60 s after the last one.
    case otpResendTooSoon(retryAfter: Int)
    /// Too many requests from this address or for this signer (429 + `Retry-After`).
    case rateLimited(retryAfter: Int)
    /// The page needs a signer session (after the one-time code) and there is none, or it
    /// timed out, or it belongs to another link.
    case sessionRequired
    /// A form came without the session's CSRF token.
    case csrfFailed
    /// An export's filter is wrong (no merchant and no whole period, a bad date, from after
    /// to, a state that cannot be exported): every problem at once (400).
    case exportFilterInvalid([ValidationIssue])
    /// No contract matches an export's filter: there is nothing to archive (422).
    case exportEmpty
    /// An export's archive was asked for while the job is queued or running (409).
    case exportNotReady(state: String)
    /// An export's archive was asked for, but the job failed: there will be none (410).
    case exportFailed(code: String)
    /// The issuing CA has no record of a certificate with this serial number (hex) (404).
    case certificateUnknown(serial: String)
    /// The certificate with this serial number (hex) is revoked already; the first revocation stands (409).
    case certificateAlreadyRevoked(serial: String)

    /// The class of refusal.
    public var kind: Kind {
        switch self {
        case .notFound: .notFound
        case .merchantExists, .invalidState, .alreadySigned, .signingInProgress, .contractExpired, .signedDocumentNotReady,
             .contractNotCompleted,
             .idempotencyKeyInUse, .webhookPayloadDropped: .conflict
        case .validationFailed, .notAPDF, .encryptedPDF, .damagedPDF, .idempotencyKeyReused, .webhookURLRefused: .unprocessable
        case .internalFailure: .internalFailure
        case .linkInvalid: .notFound
        case .linkExpired: .gone
        case .otpInvalid, .otpExpired: .unprocessable
        case .otpLocked, .otpResendTooSoon, .rateLimited: .tooManyRequests
        case .sessionRequired: .unauthorized
        case .csrfFailed: .forbidden
        case .exportFilterInvalid: .badRequest
        case .exportEmpty: .unprocessable
        case .exportNotReady: .conflict
        case .exportFailed: .gone
        case .certificateUnknown: .notFound
        case .certificateAlreadyRevoked: .conflict
        }
    }

    /// Seconds the client should wait (`Retry-After`), for the 429 refusals.
    public var retryAfter: Int? {
        switch self {
        case .otpLocked(let seconds), .otpResendTooSoon(let seconds), .rateLimited(let seconds): max(seconds, 1)
        default: nil
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
        /// 410.
        case gone
        /// 429 (with `retryAfter`).
        case tooManyRequests
        /// 401.
        case unauthorized
        /// 403.
        case forbidden
        /// 400.
        case badRequest
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
        case .contractNotCompleted: "contract_not_completed"
        case .notAPDF: "not_a_pdf"
        case .encryptedPDF: "encrypted_pdf"
        case .damagedPDF: "damaged_pdf"
        case .idempotencyKeyReused: "idempotency_key_reused"
        case .idempotencyKeyInUse: "idempotency_key_in_use"
        case .webhookURLRefused: "webhook_url_refused"
        case .webhookPayloadDropped: "webhook_payload_dropped"
        case .internalFailure: "internal_error"
        case .linkInvalid: "link_invalid"
        case .linkExpired: "link_expired"
        case .otpInvalid: "otp_invalid"
        case .otpExpired: "otp_expired"
        case .otpLocked: "otp_locked"
        case .otpResendTooSoon: "otp_resend_too_soon"
        case .rateLimited: "rate_limited"
        case .sessionRequired: "session_required"
        case .csrfFailed: "csrf_failed"
        case .exportFilterInvalid: "export_filter_invalid"
        case .exportEmpty: "export_empty"
        case .exportNotReady: "export_not_ready"
        case .exportFailed: "export_failed"
        case .certificateUnknown: "certificate_unknown"
        case .certificateAlreadyRevoked: "certificate_already_revoked"
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
        case .contractNotCompleted: "the contract has not completed: its evidence report is made at completion"
        case .notAPDF: "the body is not a PDF (it must start with %PDF-)"
        case .encryptedPDF: "the PDF is encrypted; upload it without a password"
        case .damagedPDF(let reason): "the PDF cannot be read: \(reason)"
        case .idempotencyKeyReused: "this Idempotency-Key was used with a different request"
        case .idempotencyKeyInUse: "a request with this Idempotency-Key is still being processed"
        case .webhookURLRefused(let reason): "the webhook URL is refused: \(reason)"
        case .webhookPayloadDropped: "the event carried a one-time code and was delivered: its payload is gone, so it cannot be sent again"
        case .internalFailure: "internal error"
        case .linkInvalid: "no such signing link"
        case .linkExpired: "the signing link no longer works"
        case .otpInvalid(let left): "the code is not right (\(left) tr\(left == 1 ? "y" : "ies") left)"
        case .otpExpired: "the code has expired; ask for a new one"
        case .otpLocked(let seconds): "five wrong codes: ask for a new code in \(seconds) s"
        case .otpResendTooSoon(let seconds): "a new code can be sent in \(seconds) s"
        case .rateLimited(let seconds): "too many requests; retry in \(seconds) s"
        case .sessionRequired: "verify with a one-time code first"
        case .csrfFailed: "the form's CSRF token is missing or wrong"
        case .exportFilterInvalid(let issues): "the export filter is wrong: " + issues.map(\.message).joined(separator: "; ")
        case .exportEmpty: "no contract matches the export's filter"
        case .exportNotReady(let state): "the export is \(state): its archive is not ready yet"
        case .exportFailed(let code): "the export failed (\(code)): it has no archive"
        case .certificateUnknown(let serial): "the issuing CA has not issued a certificate with serial \(serial)"
        case .certificateAlreadyRevoked(let serial): "the certificate with serial \(serial) is revoked already"
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
        if case .exportFilterInvalid(let errors) = self { return errors }
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
