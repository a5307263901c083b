import FoundationEssentials

extension ConsistencyChecker {
    /// The outbox event types a committed change implies: the mapped audit types and
    /// `document.certified`.
    static let trackedOutboxTypes = WebhookOutbox.mappedAuditTypes.union(["document.certified"])

    /// Every committed change has its outbox event and every event its change: per contract
    /// (or document) and type, as many events as audit events (documents: one
    /// `document.certified`).
    func checkOutbox(_ run: inout ConsistencyRun) async throws {
        var found: [String: [String: Int]] = [:]
        var after: Int64?
        repeat {
            let page = try await inventory.outboxEntries(after: after, limit: options.pageSize)
            for entry in page.items {
                run.report.counts.webhookEvents += 1
                guard Self.trackedOutboxTypes.contains(entry.type) else { continue }
                guard let subject = entry.subjectID else {
                    run.violation(.outboxMismatch, nil, "an outbox event of type \(entry.type) names no resource (data.id)")
                    continue
                }
                found[subject, default: [:]][entry.type, default: 0] += 1
            }
            after = page.next
        } while after != nil
        for id in Set(found.keys).union(run.expectedOutbox.keys).sorted() {
            let expected = run.expectedOutbox[id] ?? [:]
            let events = found[id] ?? [:]
            for type in Set(expected.keys).union(events.keys).sorted() where expected[type, default: 0] != events[type, default: 0] {
                run.violation(.outboxMismatch, id, "\(expected[type, default: 0]) committed \(type) change(s), \(events[type, default: 0]) outbox event(s)")
            }
        }
    }
}
