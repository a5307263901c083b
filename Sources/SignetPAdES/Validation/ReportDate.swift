import Foundation

/// How reports write times: UTC, to the second (milliseconds when the time has them).
enum ReportDate {
    /// "2026-11-22 10:15:03 UTC", for sentences.
    static func text(_ date: Date) -> String {
        let (base, fraction) = components(date, separator: " ")
        return base + fraction + " UTC"
    }

    /// "2026-11-22T10:15:03Z" (or "...03.250Z"), for JSON.
    static func iso8601(_ date: Date) -> String {
        let (base, fraction) = components(date, separator: "T")
        return base + fraction + "Z"
    }

    /// Parses ISO 8601 with or without fractional seconds ("2026-11-22T10:15:03Z",
    /// "2026-11-22T10:15:03.25+08:00") or a bare date ("2026-11-22", midnight UTC).
    static func parse(_ text: String) -> Date? {
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return date }
        if let date = try? Date.ISO8601FormatStyle().parse(text) { return date }
        if text.count == 10, let date = try? Date.ISO8601FormatStyle().year().month().day().parse(text) { return date }
        return nil
    }

    /// "2026-11-22<separator>10:15:03" and ".250" (empty for whole seconds), in UTC.
    private static func components(_ date: Date, separator: Character) -> (String, String) {
        let seconds = date.timeIntervalSince1970
        let whole = seconds.rounded(.down)
        let millis = min(999, Int(((seconds - whole) * 1000).rounded()))
        var t = time_t(whole)
        var parts = tm()
        gmtime_r(&t, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        var base = pad(parts.tm_year + 1900, 4) + "-" + pad(parts.tm_mon + 1, 2) + "-" + pad(parts.tm_mday, 2)
        base.append(separator)
        base += pad(parts.tm_hour, 2) + ":" + pad(parts.tm_min, 2) + ":" + pad(parts.tm_sec, 2)
        return (base, millis > 0 ? "." + pad(Int32(millis), 3) : "")
    }
}
