public import FoundationEssentials
import SignetCrypto

/// Which contracts an export holds: a merchant's, those completed in a period (calendar
/// dates, both inclusive, on the service's clock: `ServiceConfiguration.utcOffsetSeconds`),
/// or a merchant's in a period. Only `completed` contracts have a signed PDF and an evidence
/// report, so `state` is `completed` (the member exists so the API and CLI name it).
public struct ExportFilter: Sendable, Hashable, Codable {
    /// Only this merchant's contracts.
    public var merchantID: String?
    /// First completion date, `YYYY-MM-DD`.
    public var from: String?
    /// Last completion date, `YYYY-MM-DD`.
    public var to: String?
    /// The contracts' state: `completed`.
    public var state: ContractState

    /// A filter; at least a merchant or a period.
    public init(merchantID: String? = nil, from: String? = nil, to: String? = nil, state: ContractState = .completed) {
        self.merchantID = merchantID
        self.from = from
        self.to = to
        self.state = state
    }

    enum CodingKeys: String, CodingKey { case merchantID = "merchant_id", from, to, state }

    /// The states an export can hold.
    public static let exportableStates: [ContractState] = [.completed]

    /// Every problem of the filter at once (empty: valid): a merchant or a whole period is
    /// needed, dates are `YYYY-MM-DD`, `from` is not after `to`, the state is exportable.
    public func issues() -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        let fromDay = from.map { Self.day($0) }
        let toDay = to.map { Self.day($0) }
        if merchantID == nil && (from == nil || to == nil) {
            issues.append(ValidationIssue(field: "merchant_id", code: "required",
                                          message: "name a merchant_id, or a period with both from and to"))
        }
        if merchantID != nil && (from == nil) != (to == nil) {
            issues.append(ValidationIssue(field: from == nil ? "from" : "to", code: "required",
                                          message: "a period needs both from and to"))
        }
        if case .some(nil) = fromDay { issues.append(ValidationIssue(field: "from", code: "invalid_date", message: "not a date YYYY-MM-DD")) }
        if case .some(nil) = toDay { issues.append(ValidationIssue(field: "to", code: "invalid_date", message: "not a date YYYY-MM-DD")) }
        if case .some(.some(let first)) = fromDay, case .some(.some(let last)) = toDay, first > last {
            issues.append(ValidationIssue(field: "from", code: "after_to", message: "from (\(from ?? "")) is after to (\(to ?? ""))"))
        }
        if !Self.exportableStates.contains(state) {
            issues.append(ValidationIssue(field: "state", code: "not_exportable",
                                          message: "only completed contracts can be exported (they alone have a signed PDF and an evidence report)"))
        }
        return issues
    }

    /// The query of a valid filter: the period as the instants [from 00:00, to + 1 day 00:00)
    /// on a clock `utcOffsetSeconds` east of UTC.
    public func query(utcOffsetSeconds: Int) -> ExportQuery {
        func midnight(_ day: Int) -> Date { Date(timeIntervalSince1970: TimeInterval(day * 86_400 - utcOffsetSeconds)) }
        let start = from.flatMap(Self.day).map(midnight)
        let end = to.flatMap(Self.day).map { midnight($0 + 1) }
        return ExportQuery(merchantID: merchantID, state: state, completedFrom: start, completedBefore: end)
    }

    /// Days since 1970-01-01 of a strict `YYYY-MM-DD` date, or nil.
    static func day(_ text: String) -> Int? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.utf8.count == 10, parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1...12).contains(month), (1...CivilTime.daysIn(month: month, year: year)).contains(day) else { return nil }
        return CivilTime.daysFromCivil(year: year, month: month, day: day)
    }
}

/// The contracts of an export as the store selects them (`ExportRepository.contracts`).
public struct ExportQuery: Sendable, Hashable {
    /// Only this merchant's.
    public var merchantID: String?
    /// Only in this state.
    public var state: ContractState
    /// Completed at or after.
    public var completedFrom: Date?
    /// Completed before.
    public var completedBefore: Date?

    /// A query.
    public init(merchantID: String?, state: ContractState, completedFrom: Date?, completedBefore: Date?) {
        self.merchantID = merchantID
        self.state = state
        self.completedFrom = completedFrom
        self.completedBefore = completedBefore
    }
}
