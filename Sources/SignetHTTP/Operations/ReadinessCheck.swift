public import SignetService
import SignetPKI
import SignetCrypto

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

extension ReadinessCheck {
    /// The checks of a running contract service: the database answers a query, the blob
    /// store can be read, and the issuing CA's registry (what OCSP and CRLs answer from:
    /// the service's database, or the key directory's index file) answers.
    public static func standard(for service: SignetService) -> [ReadinessCheck] {
        [
            ReadinessCheck(name: "database") { try await service.storage.checkHealth() },
            ReadinessCheck(name: "blobs") { _ = try await service.storage.blobs.contains(String(repeating: "0", count: 64)) },
            ReadinessCheck(name: "keys") {
                if let pki = service.signingFlow.pki {
                    _ = try await pki.registry.status(ofSerialNumber: pki.keys.ocspResponder.certificate.serialNumber)
                } else {
                    _ = try service.keys.issuingDatabase.entries()
                }
            },
        ]
    }
}
