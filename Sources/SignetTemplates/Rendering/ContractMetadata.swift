public import FoundationEssentials
import SignetCrypto

/// What identifies one contract besides its fields: its number and when it was issued.
/// Together with the template version and the fields, it fixes the PDF's bytes.
public struct ContractMetadata: Sendable, Hashable, Codable {
    /// The contract number printed in every page header (`SN-2025-000123`): 1–64 of
    /// `A–Z a–z 0–9 - _ . /`.
    public let number: String
    /// When the contract was issued; the PDF's creation date.
    public let issuedAt: Date
    /// The issuing time zone's offset from UTC in seconds (e.g. 28800 for +08:00); decides the
    /// printed date and the offset written in the PDF.
    public let utcOffsetSeconds: Int

    /// Metadata from its parts; check `problems` (rendering does) before use.
    public init(number: String, issuedAt: Date, utcOffsetSeconds: Int = 8 * 3600) {
        self.number = number
        self.issuedAt = issuedAt
        self.utcOffsetSeconds = utcOffsetSeconds
    }

    /// Parses an ISO 8601 time with seconds and an explicit offset
    /// (`2025-03-01T10:00:00+08:00` or `2025-03-01T02:00:00Z`).
    ///
    /// - Throws: `RenderError.invalidMetadata` when `issuedAt` is not such a time.
    public init(number: String, issuedAt iso: String) throws(RenderError) {
        guard let (date, offset) = ISOTime.parse(iso) else {
            throw .invalidMetadata(["issued-at '\(iso)' is not an ISO 8601 time like 2025-03-01T10:00:00+08:00 (seconds and offset required)"])
        }
        self.init(number: number, issuedAt: date, utcOffsetSeconds: offset)
    }

    /// Every problem with the metadata (empty when valid).
    public var problems: [String] {
        var problems: [String] = []
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_./")
        if number.isEmpty || number.count > 64 || !number.allSatisfy(allowed.contains) {
            problems.append("contract number '\(number)' must be 1–64 characters of A–Z a–z 0–9 - _ . /")
        }
        if utcOffsetSeconds % 60 != 0 || abs(utcOffsetSeconds) > 14 * 3600 {
            problems.append("UTC offset \(utcOffsetSeconds)s must be whole minutes within ±14:00")
        }
        let seconds = issuedAt.timeIntervalSince1970
        if seconds < 0 || seconds > 253_402_300_799 || seconds != seconds.rounded() {
            problems.append("issue time must be whole seconds between 1970 and 9999")
        }
        return problems
    }

    /// The local issue time, `2025-03-01T10:00:00+08:00`.
    public var issuedAtISO: String { ISOTime.format(issuedAt, offset: utcOffsetSeconds) }

    /// The local issue date.
    public var issueDate: CalendarDate {
        ISOTime.civil(issuedAt, offset: utcOffsetSeconds).date
    }
}

/// ISO 8601 times with explicit offsets, without Foundation's formatters (which drop the
/// offset and depend on locale data).
enum ISOTime {
    static func parse(_ text: String) -> (Date, Int)? {
        let chars = Array(text)
        guard chars.count >= 20, chars[10] == "T" || chars[10] == "t" else { return nil }
        guard let date = CalendarDate(iso: String(chars[0..<10])) else { return nil }
        let time = String(chars[11..<19]).split(separator: ":", omittingEmptySubsequences: false)
        guard time.count == 3, time.allSatisfy({ $0.count == 2 && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let hour = Int(time[0]), let minute = Int(time[1]), let second = Int(time[2]),
              hour < 24, minute < 60, second < 60
        else { return nil }
        let zone = String(chars[19...])
        var offset = 0
        if zone == "Z" || zone == "z" {
            offset = 0
        } else {
            let z = Array(zone)
            guard z.count == 6, z[0] == "+" || z[0] == "-", z[3] == ":",
                  let h = Int(String(z[1...2])), let m = Int(String(z[4...5])), h <= 14, m < 60
            else { return nil }
            offset = (h * 3600 + m * 60) * (z[0] == "-" ? -1 : 1)
        }
        let days = CivilCalendar.daysFromCivil(year: date.year, month: date.month, day: date.day)
        let seconds = days * 86400 + hour * 3600 + minute * 60 + second - offset
        return (Date(timeIntervalSince1970: TimeInterval(seconds)), offset)
    }

    static func format(_ date: Date, offset: Int) -> String {
        let local = civil(date, offset: offset)
        let sign = offset < 0 ? "-" : "+"
        let magnitude = abs(offset)
        return "\(local.date)T\(zeroPadded(local.hour, width: 2)):\(zeroPadded(local.minute, width: 2)):\(zeroPadded(local.second, width: 2))"
            + "\(sign)\(zeroPadded(magnitude / 3600, width: 2)):\(zeroPadded(magnitude % 3600 / 60, width: 2))"
    }

    static func civil(_ date: Date, offset: Int) -> (date: CalendarDate, hour: Int, minute: Int, second: Int) {
        let total = Int(date.timeIntervalSince1970.rounded(.down)) + offset
        let days = Int((Double(total) / 86400).rounded(.down))
        let secondOfDay = total - days * 86400
        let (y, m, d) = CivilCalendar.civilFromDays(days)
        let calendarDate = CalendarDate(year: y, month: m, day: d) ?? CalendarDate(year: 1970, month: 1, day: 1)!
        return (calendarDate, secondOfDay / 3600, secondOfDay % 3600 / 60, secondOfDay % 60)
    }
}
