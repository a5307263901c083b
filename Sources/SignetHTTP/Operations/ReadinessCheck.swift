/// One thing `/readyz` checks before it says the service is ready (the database answers, the
/// blob directory is writable, the keys load): a name and a closure that throws when the
/// check fails. The error is logged, never sent.
public struct ReadinessCheck: Sendable {
    /// The check's name in the `/readyz` body (`database`, `blobs`, `keys`).
    public let name: String
    /// Throws when not ready.
    public let check: @Sendable () async throws -> Void

    /// A check named `name`.
    public init(name: String, check: @escaping @Sendable () async throws -> Void) {
        self.name = name
        self.check = check
    }
}
