import FoundationEssentials
import SignetCrypto
import SignetService
import SignetTemplates
import SignetArchive

/// The console pages' mustache contexts, from the service's read models. Values are plain
/// strings (mustache escapes them); only the chart is pre-rendered markup (`JourneyChart`,
/// which escapes its own text).
enum ConsoleViews {
    typealias Time = (Date) -> String

    /// The merchant page's filters as the form shows them.
    struct ContractFilters {
        var state: ContractState?
        var from: String
        var to: String
    }

    static func overview(_ statistics: JourneyStatistics, form: ConsolePeriodForm, time: Time) -> [String: Any] {
        let durations = statistics.durations
        let total = statistics.stateCounts.values.reduce(0, +)
        let underMinute = statistics.buckets.filter { ($0.upperSeconds ?? .max) <= 60 }.map(\.count).reduce(0, +)
        let share = durations.count == 0 ? "—" : "\(underMinute * 100 / durations.count) %"
        let median = durations.medianMilliseconds.map(seconds) ?? "—"
        let p90 = durations.p90Milliseconds.map(seconds) ?? "—"
        let description = durations.count == 0 ? "No contract was signed in this period."
            : "\(durations.count) signings; median \(median), 90th percentile \(p90); \(share) under one minute. "
                + statistics.buckets.map { "\(JourneyChart.label($0)): \($0.count)" }.joined(separator: ", ") + "."
        return [
            "period_options": form.options, "period_custom": form.choice == "custom",
            "period_from": form.fromText, "period_to": form.toText,
            "period_text": "\(time(statistics.period.from)) – \(time(statistics.period.to))",
            "states": ContractState.allCases.map { ["state": $0.rawValue, "count": statistics.stateCounts[$0] ?? 0] },
            "contracts_total": total,
            "signings": durations.count, "median": median, "p90": p90, "under_minute": share,
            "chart": JourneyChart.svg(statistics.buckets, description: description),
            "chart_text": description,
            "buckets": statistics.buckets.map { ["label": JourneyChart.label($0), "count": $0.count] },
        ]
    }

    static func merchants(_ page: Page<MerchantSummary>, time: Time) -> [String: Any] {
        var context: [String: Any] = [
            "merchants": page.items.map { summary in
                [
                    "id": summary.merchant.id, "name": summary.merchant.name, "external_id": summary.merchant.externalID,
                    "created": time(summary.merchant.createdAt), "total": summary.total,
                    "states": ContractState.allCases.compactMap { state in
                        summary.counts[state].map { ["state": state.rawValue, "count": $0] }
                    },
                ] as [String: Any]
            },
            "empty": page.items.isEmpty,
        ]
        if let next = page.next { context["next"] = "/console/merchants?after=\(next)" }
        return context
    }

    static func merchant(_ merchant: Merchant, contracts: Page<Contract>, filters: ContractFilters, time: Time) -> [String: Any] {
        var context: [String: Any] = [
            "merchant": ["id": merchant.id, "name": merchant.name, "external_id": merchant.externalID,
                         "registration": merchant.registration.number, "created": time(merchant.createdAt)],
            "state_options": [["value": "", "label": "Any state", "selected": filters.state == nil]]
                + ContractState.allCases.map { ["value": $0.rawValue, "label": $0.rawValue, "selected": $0 == filters.state] },
            "from": filters.from, "to": filters.to,
            "contracts": contracts.items.map { contract in
                ["id": contract.id, "number": contract.number, "title": contract.title, "state": contract.state.rawValue,
                 "created": time(contract.createdAt), "expires": time(contract.expiresAt),
                 "signers": contract.signers.map { "\($0.role.rawValue): \($0.state.rawValue)" }.joined(separator: ", ")]
            },
            "empty": contracts.items.isEmpty,
        ]
        if let next = contracts.next {
            var query = ["after=\(next)"]
            if let state = filters.state { query.append("state=\(state.rawValue)") }
            if !filters.from.isEmpty { query.append("from=\(filters.from)") }
            if !filters.to.isEmpty { query.append("to=\(filters.to)") }
            context["next"] = "/console/merchants/\(merchant.id)?" + query.joined(separator: "&")
        }
        return context
    }

    static func contract(_ timeline: ContractTimeline, merchant: Merchant?, time: Time) -> [String: Any] {
        let contract = timeline.contract
        var documents: [[String: Any]] = [document("Original", contract.original)]
        if let signed = contract.signed { documents.append(document("Signed", signed)) }
        var context: [String: Any] = [
            "contract": ["id": contract.id, "number": contract.number, "title": contract.title, "state": contract.state.rawValue,
                         "template": "\(contract.template.id) \(contract.template.version)",
                         "created": time(contract.createdAt), "expires": time(contract.expiresAt),
                         "merchant_id": contract.merchantID, "merchant_name": merchant?.name ?? contract.merchantID],
            "signers": contract.signers.map { signer in
                ["role": signer.role.rawValue, "name": signer.name, "method": signer.method.rawValue, "state": signer.state.rawValue,
                 "signed": signer.signedAt.map(time) ?? "—", "serial": signer.certificateSerial ?? "—"]
            },
            "documents": documents,
            "events": timeline.events.map { event in
                ["sequence": event.sequence, "time": TimeText.iso8601(event.occurredAt, milliseconds: true), "type": event.type,
                 "actor": event.actor, "ip": event.ip ?? "—", "user_agent": event.userAgent ?? "—",
                 "data": event.data.keys.sorted().map { ["key": $0, "value": event.data[$0] ?? ""] },
                 "hash": event.hash, "broken": timeline.chainBreak?.sequence == event.sequence] as [String: Any]
            },
        ]
        if let chainBreak = timeline.chainBreak {
            context["broken"] = ["sequence": chainBreak.sequence, "reason": chainBreak.reason]
        } else {
            context["verified"] = ["count": timeline.events.count, "head": String((timeline.events.last?.hash ?? AuditChain.genesisHash).prefix(16))]
        }
        return context
    }

    private static func document(_ kind: String, _ stored: StoredDocument) -> [String: Any] {
        ["kind": kind, "sha256": stored.sha256, "size": stored.size, "pages": stored.pageCount.map(String.init) ?? "—"]
    }

    /// `42.5 s`, `1 min 30 s`.
    static func seconds(_ milliseconds: Int64) -> String {
        if milliseconds < 60_000 {
            let tenths = (milliseconds + 50) / 100
            return tenths % 10 == 0 ? "\(tenths / 10) s" : "\(tenths / 10).\(tenths % 10) s"
        }
        let total = (milliseconds + 500) / 1000
        return total % 60 == 0 ? "\(total / 60) min" : "\(total / 60) min \(total % 60) s"
    }
}
