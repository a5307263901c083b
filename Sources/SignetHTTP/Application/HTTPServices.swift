public import SignetCrypto
public import SignetPKI
public import SignetService

/// What the HTTP layer serves: the parts of the running service its routes call. The
/// composition root (`ServiceAssembly` in the CLI) builds it; the API controllers' services
/// join it as they arrive.
public struct HTTPServices: Sendable {
    /// The PKI behind `/pki/*` and `/tsa`.
    public var keys: KeyDirectory
    /// What `/readyz` checks.
    public var readinessChecks: [ReadinessCheck]
    /// The OpenAPI document served at `/openapi.json`.
    public var openAPIDocument: [UInt8]
    /// The contract service behind `/v1/*` (nil: only the PKI and operations routes).
    public var service: SignetService?
    /// Anchors `POST /v1/verify` trusts besides the service's own root.
    public var extraTrustAnchors: [Certificate] = []

    /// Services over `keys`, with these checks and document.
    public init(keys: KeyDirectory, readinessChecks: [ReadinessCheck] = [], openAPIDocument: [UInt8]) {
        self.keys = keys
        self.readinessChecks = readinessChecks
        self.openAPIDocument = openAPIDocument
    }
}
