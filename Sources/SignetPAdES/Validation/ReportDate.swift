import Foundation

/// How reports write times: UTC, to the second (milliseconds when the time has them).
enum ReportDate {
    /// "2026-11-22 10:15:03 UTC", for sentences.
    static func text(_ date: Date) -> String {
        let (base, fraction) = components(date)
        return base.replacingOccurrences(of: "T", with: " ") + fraction + " UTC"
    }

    /// "2026-11-22T10:15:03Z" (or "...03.250Z"), for JSON.
    static func iso8601(_ date: Date) -> String {
        let (base, fraction) = components(date)
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

    private static func components(_ date: Date) -> (String, String) {
        let seconds = date.timeIntervalSince1970
        let whole = seconds.rounded(.down)
        var millis = Int(((seconds - whole) * 1000).rounded())
        if millis >= 1000 { millis = 999 }
        var t = time_t(whole)
        var parts = tm()
        gmtime_r(&t, &parts)
        let base = String(format: "%04d-%02d-%02dT%02d:%02d:%02d", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                          Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
        return (base, millis > 0 ? String(format: ".%03d", millis) : "")
    }
}
