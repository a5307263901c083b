import FoundationEssentials

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
        let millis = min(999, Int(((seconds - seconds.rounded(.down)) * 1000).rounded()))
        let t = UTCTime(date)
        var base = zeroPadded(t.year, 4) + "-" + zeroPadded(t.month, 2) + "-" + zeroPadded(t.day, 2)
        base.append(separator)
        base += zeroPadded(t.hour, 2) + ":" + zeroPadded(t.minute, 2) + ":" + zeroPadded(t.second, 2)
        return (base, millis > 0 ? "." + zeroPadded(millis, 3) : "")
    }
}
