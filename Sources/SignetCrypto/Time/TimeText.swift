package import FoundationEssentials

/// How Signet writes and reads instants as text, in one place: ISO 8601 (RFC 3339) for
/// JSON, files, messages and contract metadata, and the sentence form of reports. Fields
/// come from `CivilTime`; ASN.1 and PDF date strings have their own types (`ASN1Time`,
/// `PDFDateFormat`).
package enum TimeText {
    /// `2026-11-22T10:15:03Z` in UTC, to the second (rounded down); with `milliseconds`,
    /// `2026-11-22T10:15:03.250Z` when the time has a fraction of a second.
    package static func iso8601(_ date: Date, milliseconds: Bool = false) -> String {
        let time = CivilTime(date)
        return time.dateText + "T" + time.timeText + (milliseconds ? millisecondText(date) : "") + "Z"
    }

    /// `2025-03-01T10:00:00+08:00`: the local time on a clock `offset` seconds east of UTC,
    /// with that offset (`+00:00` for UTC), to the second.
    package static func iso8601(_ date: Date, offsetFromUTC offset: Int) -> String {
        let local = CivilTime(date, offsetFromUTC: offset)
        let magnitude = abs(offset)
        return local.dateText + "T" + local.timeText + (offset < 0 ? "-" : "+")
            + zeroPadded(magnitude / 3600, width: 2) + ":" + zeroPadded(magnitude % 3600 / 60, width: 2)
    }

    /// `2026-11-22 10:15:03 UTC` (`…03.250 UTC` when the time has a fraction of a second),
    /// for sentences.
    package static func sentence(_ date: Date) -> String {
        let time = CivilTime(date)
        return time.dateText + " " + time.timeText + millisecondText(date) + " UTC"
    }

    /// Parses ISO 8601 with or without fractional seconds (`2026-11-22T10:15:03Z`,
    /// `2026-11-22T10:15:03.25+08:00`) or a bare date (`2026-11-22`, midnight UTC).
    package static func parse(_ text: String) -> Date? {
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return date }
        if let date = try? Date.ISO8601FormatStyle().parse(text) { return date }
        if text.count == 10, let date = try? Date.ISO8601FormatStyle().year().month().day().parse(text) { return date }
        return nil
    }

    /// Parses exactly `YYYY-MM-DDTHH:MM:SS` followed by `Z` or an offset `±HH:MM` (at most
    /// 14 hours), for an existing date in the years 1000–9999; returns the instant and the
    /// offset in seconds east of UTC.
    package static func parseWithOffset(_ text: String) -> (date: Date, offsetFromUTC: Int)? {
        let chars = Array(text)
        guard chars.count >= 20, chars[10] == "T" || chars[10] == "t" else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            let digits = chars[range]
            guard digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            return Int(String(digits))
        }
        guard chars[4] == "-", chars[7] == "-", chars[13] == ":", chars[16] == ":",
              let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
              (1000...9999).contains(year), (1...12).contains(month), (1...CivilTime.daysIn(month: month, year: year)).contains(day),
              hour < 24, minute < 60, second < 60
        else { return nil }
        let zone = chars[19...]
        var offset = 0
        if zone.count == 1, zone.first == "Z" || zone.first == "z" {
            offset = 0
        } else {
            guard zone.count == 6, chars[19] == "+" || chars[19] == "-", chars[22] == ":",
                  let h = number(20..<22), let m = number(23..<25), h <= 14, m < 60
            else { return nil }
            offset = (h * 3600 + m * 60) * (chars[19] == "-" ? -1 : 1)
        }
        let time = CivilTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        return (time.date(offsetFromUTC: offset), offset)
    }

    /// `.250` for the milliseconds of `date`, empty for a whole second.
    private static func millisecondText(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970
        let millis = min(999, Int(((seconds - seconds.rounded(.down)) * 1000).rounded()))
        return millis > 0 ? "." + zeroPadded(millis, width: 3) : ""
    }
}
