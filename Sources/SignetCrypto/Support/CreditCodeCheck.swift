extension UnifiedSocialCreditCode {
    /// Why `code` is not a valid unified social credit code, or nil: for the issuing side
    /// (SignetPKI's event-certificate subjects and key-directory options), which reports
    /// the reason in its own errors.
    package static func invalidityReason(_ code: String) -> String? { problem(code) }
}
