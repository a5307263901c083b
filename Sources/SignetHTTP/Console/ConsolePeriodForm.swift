import FoundationEssentials
import SignetCrypto
import SignetService

/// The overview's period chooser (`GET /console?period=24h|7d|30d|custom&from=…&to=…`):
/// the last 24 hours, 7 or 30 days up to now, or whole days `from`…`to` (both included) in
/// the service's UTC offset. Anything malformed falls back to the last 24 hours.
struct ConsolePeriodForm {
    var choice: String
    var fromText: String
    var toText: String
    var period: ConsolePeriod

    init(choice: String?, from: String?, to: String?, now: Date, utcOffsetSeconds: Int) {
        let spans: [String: TimeInterval] = ["24h": 86_400, "7d": 7 * 86_400, "30d": 30 * 86_400]
        if choice == "custom", let start = Self.day(from, utcOffsetSeconds), let end = Self.day(to, utcOffsetSeconds), start <= end {
            self.choice = "custom"
            period = ConsolePeriod(from: start, to: end.addingTimeInterval(86_400))
        } else {
            let name = choice.flatMap { spans[$0] == nil ? nil : $0 } ?? "24h"
            self.choice = name
            period = ConsolePeriod(from: now.addingTimeInterval(-(spans[name] ?? 86_400)), to: now.addingTimeInterval(0.001))
        }
        fromText = CivilTime(period.from, offsetFromUTC: utcOffsetSeconds).dateText
        toText = CivilTime(period.to.addingTimeInterval(-0.001), offsetFromUTC: utcOffsetSeconds).dateText
    }

    /// The start of day `YYYY-MM-DD` in the offset, or nil.
    static func day(_ text: String?, _ offset: Int) -> Date? {
        guard let text, text.utf8.count == 10 else { return nil }
        let parts = text.split(separator: "-")
        guard parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1970...9999).contains(year), (1...12).contains(month),
              (1...CivilTime.daysIn(month: month, year: year)).contains(day) else { return nil }
        return CivilTime(year: year, month: month, day: day).date(offsetFromUTC: offset)
    }

    /// The chooser's options for the template.
    var options: [[String: Any]] {
        [("24h", "Last 24 hours"), ("7d", "Last 7 days"), ("30d", "Last 30 days"), ("custom", "Custom dates")].map {
            ["value": $0.0, "label": $0.1, "selected": $0.0 == choice]
        }
    }
}
