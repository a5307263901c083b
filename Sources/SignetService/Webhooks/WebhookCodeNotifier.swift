public import FoundationEssentials
public import SignetTemplates
import SignetCrypto

/// The `webhook` one-time code notifier: a `signer.otp_requested` event with the code, the
/// contract, the role, the challenge and its expiry, for the integrator to pass on (SMS, its
/// app). The payload is sealed at rest (AES-256-GCM under the response sealing key) and
/// dropped once delivered; the code is never in the audit trail or the logs.
public struct WebhookCodeNotifier: OneTimeCodeNotifier {
    /// The service whose outbox carries the event.
    public let service: SignetService

    /// A notifier writing to `service`'s outbox.
    public init(service: SignetService) { self.service = service }

    /// `webhook`.
    public var name: String { "webhook" }

    /// Queues the event (the delivery worker sends it with every other event).
    public func deliver(code: String, contract: Contract, role: PartyRole, challengeID: String, expiresAt: Date) async throws {
        _ = try await service.enqueueWebhookEvent(
            type: "signer.otp_requested", data: ContractJSON(contract: contract),
            details: ["role": role.rawValue, "challenge": challengeID, "code": code, "expires_at": TimeText.iso8601(expiresAt)],
            sealed: true)
    }
}
