import FoundationEssentials

extension LongTermRenewal {
    /// What scheduled renewal did with one contract.
    public enum Outcome: Sendable {
        /// Renewed: store `Extension.pdf` in place of the old file.
        case extended(Extension)
        /// Its newest timestamp's TSA certificate runs beyond the threshold.
        case notDue(NewestTimestamp)
        /// It was due (or could not be judged) but was not renewed.
        case failed(LongTermRenewalError)
    }

    /// Whether `timestamp` needs renewing `days` days ahead of `validation.clock()`: its TSA
    /// certificate ends within that window (or has no timestamp at all, nil).
    public func isDue(_ timestamp: NewestTimestamp?, withinDays days: Int) -> Bool {
        guard let timestamp else { return true }
        return timestamp.expiry <= validation.clock().addingTimeInterval(Double(days) * 86_400)
    }

    /// Scheduled renewal: extends every contract whose newest timestamp's TSA certificate
    /// expires within `days` days (or that has no timestamp yet), one after another, and
    /// reports each by its `id`, in input order. A contract that does not verify is never
    /// extended: it comes back as `.failed` for someone to look at.
    public func renewDue<ID: Sendable>(_ contracts: [(id: ID, pdf: [UInt8])], withinDays days: Int) async -> [(id: ID, outcome: Outcome)] {
        var results: [(id: ID, outcome: Outcome)] = []
        for contract in contracts {
            do throws(LongTermRenewalError) {
                let report = try verified(contract.pdf, stage: .input)
                if let newest = Self.newestTimestamp(in: report), !isDue(newest, withinDays: days) {
                    results.append((contract.id, .notDue(newest)))
                } else {
                    results.append((contract.id, .extended(try await extend(contract.pdf, verified: report))))
                }
            } catch {
                results.append((contract.id, .failed(error)))
            }
        }
        return results
    }
}
