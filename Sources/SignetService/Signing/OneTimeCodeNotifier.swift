public import FoundationEssentials
public import SignetTemplates

/// Delivers a signer's one-time code. `log`: the server log (development); `webhook`:
/// a `signer.otp_requested` event carrying the code to the integrator's endpoints.
public protocol OneTimeCodeNotifier: Sendable {
    /// `log` or `webhook`: recorded in the audit trail.
    var name: String { get }
    /// Sends `code` for `signer` of `contract`. Throws when it could not be handed over.
    func deliver(code: String, contract: Contract, role: PartyRole, challengeID: String, expiresAt: Date) async throws
}
