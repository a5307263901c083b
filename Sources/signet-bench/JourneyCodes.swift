import FoundationEssentials
import SignetService
import SignetTemplates
import Synchronization

/// The journey's one-time code notifier (`SignetService.codeNotifier` of the service the
/// benchmark runs): the codes go to the benchmark's driver, which plays the merchant reading
/// the code on the phone, instead of the log or a webhook. Recorded in the audit trail as the
/// `benchmark` notifier. Everything else of the code (generated, stored hashed, checked,
/// rate-limited) is the service's as in production.
final class CapturedCodes: OneTimeCodeNotifier {
    /// `benchmark`.
    let name = "benchmark"
    private let codes = Mutex<[String: String]>([:])

    /// Keeps the code for the driver (one signer per contract signs through the page here).
    func deliver(code: String, contract: Contract, role: PartyRole, challengeID: String, expiresAt: Date) async throws {
        codes.withLock { $0["\(contract.id)/\(role.rawValue)"] = code }
    }

    /// The code sent to `role` of `contractID`, once.
    func take(contractID: String, role: PartyRole) throws -> String {
        guard let code = codes.withLock({ $0.removeValue(forKey: "\(contractID)/\(role.rawValue)") }) else {
            throw BenchError("no one-time code was sent for \(role.rawValue) of \(contractID)")
        }
        return code
    }
}
