public import SignetPKI

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

    /// Services over `keys`, with these checks and document.
    public init(keys: KeyDirectory, readinessChecks: [ReadinessCheck] = [], openAPIDocument: [UInt8]) {
        self.keys = keys
        self.readinessChecks = readinessChecks
        self.openAPIDocument = openAPIDocument
    }
}
