import SignetCrypto

/// A calendar date without time or zone (proleptic Gregorian), written `YYYY-MM-DD`.
public struct CalendarDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The year, 1000–9999.
    public let year: Int
    /// The month, 1–12.
    public let month: Int
    /// The day of the month, 1–31 (valid for the month and year).
    public let day: Int

    /// A date from its parts; `nil` unless it exists (e.g. no 2025-02-29) and the year is 1000–9999.
    public init?(year: Int, month: Int, day: Int) {
        guard (1000...9999).contains(year), (1...12).contains(month),
              (1...CivilTime.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly `YYYY-MM-DD`.
    public init?(iso text: some StringProtocol) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// `2025-03-01`.
    public var description: String {
        CivilTime(year: year, month: month, day: day).dateText
    }

    /// `2025年3月1日`.
    public var chinese: String { "\(year)年\(month)月\(day)日" }

    /// `1 March 2025`.
    public var english: String { "\(day) \(Self.monthNames[month - 1]) \(year)" }

    static let monthNames = ["January", "February", "March", "April", "May", "June", "July",
                             "August", "September", "October", "November", "December"]

    /// Chronological order.
    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// Checks `raw` and the inclusive bounds.
    public static func validate(_ raw: String, minimum: CalendarDate?, maximum: CalendarDate?) -> Result<CalendarDate, FieldProblems> {
        guard let date = CalendarDate(iso: raw.trimmingWhitespace()) else {
            return .failure([.init(.invalidDate, "must be an existing calendar date written YYYY-MM-DD, e.g. 2025-03-01")])
        }
        if let minimum, date < minimum {
            return .failure([.init(.belowMinimum, "must be on or after \(minimum)")])
        }
        if let maximum, date > maximum {
            return .failure([.init(.aboveMaximum, "must be on or before \(maximum)")])
        }
        return .success(date)
    }
}
