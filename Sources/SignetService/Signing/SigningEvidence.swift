/// What the audit trail records about how a signer came to sign: who asked and from where,
/// how the signer was authenticated, what they agreed to and which document they saw.
public struct SigningEvidence: Sendable, Hashable {
    /// Who asked and from where.
    public var origin: RequestOrigin
    /// How the signer was authenticated: `otp` (one-time code), `integrator` (embedded
    /// link), `service` (a direct call of the service, as tests and tools do).
    public var authentication: String
    /// The consent wording the signer ticked.
    public var consent: String?
    /// The SHA-256 of the document the signer was shown.
    public var documentSHA256Shown: String?

    /// Evidence of a signing.
    public init(origin: RequestOrigin, authentication: String, consent: String? = nil, documentSHA256Shown: String? = nil) {
        self.origin = origin
        self.authentication = authentication
        self.consent = consent
        self.documentSHA256Shown = documentSHA256Shown
    }
}
