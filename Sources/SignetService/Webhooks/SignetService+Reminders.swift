public import FoundationEssentials
import SignetCrypto
import SignetTemplates
public import SignetArchive

extension SignetService {
    /// `24h`, `72h`, `90m`, `30s`: how a reminder offset is named in `signer.reminder_due`'s
    /// `after` (and in `signet serve --reminders`).
    public static func reminderLabel(_ offset: TimeInterval) -> String {
        let seconds = Int(offset.rounded())
        if seconds % 3600 == 0 { return "\(seconds / 3600)h" }
        if seconds % 60 == 0 { return "\(seconds / 60)m" }
        return "\(seconds)s"
    }

    /// Parses `24h,72h` (hours `h`, minutes `m`, seconds `s`; empty: no reminders).
    public static func parseReminderOffsets(_ text: String) -> [TimeInterval]? {
        var offsets: [TimeInterval] = []
        for part in text.split(separator: ",") {
            let item = part.trimmingWhitespace()
            guard let unit = item.last, let value = Int(item.dropLast()), value > 0 else { return nil }
            switch unit {
            case "h": offsets.append(TimeInterval(value) * 3600)
            case "m": offsets.append(TimeInterval(value) * 60)
            case "s": offsets.append(TimeInterval(value))
            default: return nil
            }
        }
        return offsets
    }

    /// Records `signer.reminder_due` (data: `role`, `after`) for each link signer who has not
    /// signed or declined, once per configured offset after the contract was sent; the
    /// events become webhooks through the outbox. Returns how many it recorded.
    @discardableResult
    public func recordDueReminders(limit: Int = 100) async throws -> Int {
        var count = 0
        for offset in configuration.reminderOffsets {
            let label = Self.reminderLabel(offset)
            let ids = try await storage.webhooks.contractsAwaitingReminder(after: label, sentBefore: now.addingTimeInterval(-offset),
                                                                          now: now, limit: limit)
            for id in ids {
                let reminded = Set(try await storage.contracts.auditTrail(contractID: id)
                    .filter { $0.type == "signer.reminder_due" && $0.data["after"] == label }.compactMap { $0.data["role"] })
                do {
                    _ = try await change(id, action: "reminded") { contract, now, events in
                        guard [.sent, .viewed].contains(contract.state), contract.expiresAt > now else {
                            throw ServiceError.invalidState(state: contract.state, action: "reminded")
                        }
                        for signer in contract.signers where signer.method == .link && ![.signed, .declined].contains(signer.state)
                            && !reminded.contains(signer.role.rawValue) {
                            events.append(AuditEventDraft(type: "signer.reminder_due", actor: RequestOrigin.system.actor, occurredAt: now,
                                                          data: ["role": signer.role.rawValue, "after": label], origin: .system))
                        }
                        if events.isEmpty { throw ServiceError.invalidState(state: contract.state, action: "reminded (nothing due)") }
                        count += events.count
                        return [:]
                    }
                } catch let error as ServiceError where error.kind == .conflict {
                    continue
                }
            }
        }
        return count
    }
}
