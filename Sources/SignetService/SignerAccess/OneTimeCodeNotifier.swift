public import FoundationEssentials
public import SignetTemplates
public import Logging

/// Delivers a signer's one-time code. `log`: the server log (development); `webhook`:
/// a `signer.otp_requested` event carrying the code to the integrator's endpoints.
public protocol OneTimeCodeNotifier: Sendable {
    /// `log` or `webhook`: recorded in the audit trail.
    var name: String { get }
    /// Sends `code` for `signer` of `contract`. Throws when it could not be handed over.
    func deliver(code: String, contract: Contract, role: PartyRole, challengeID: String, expiresAt: Date) async throws
}

/// The development notifier: one notice-level line on the logger `signet.otp` with the
/// contract id, the role and the code — the only place a code is ever logged.
public struct LogCodeNotifier: OneTimeCodeNotifier {
    /// `log`.
    public let name = "log"
    private let logger: Logger

    /// A notifier logging through `logger` (by default swift-log's `signet.otp`).
    public init(logger: Logger = Logger(label: "signet.otp")) {
        self.logger = logger
    }

    /// Logs the code.
    public func deliver(code: String, contract: Contract, role: PartyRole, challengeID: String, expiresAt: Date) async throws {
        logger.notice("one-time code", metadata: [
            "contract_id": .string(contract.id), "role": .string(role.rawValue), "challenge": .string(challengeID),
            "otp_code": .string(code), "expires_at": .string(TimeText.iso8601(expiresAt)),
        ])
    }
}

import SignetCrypto
