public import Foundation

/// PDF date strings (ISO 32000-2 §7.9.4): `D:YYYYMMDDHHmmSS+HH'mm'`.
public enum PDFDateFormat {
    /// `date` in UTC as a PDF date string, e.g. `D:20261122093000+00'00'`.
    public static func string(from date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "D:%04d%02d%02d%02d%02d%02d+00'00'",
                      c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
    }

    /// Parses a PDF date string; missing trailing fields default as the standard says
    /// (month and day 1, time 0, offset UTC). Returns nil for anything malformed.
    public static func date(from text: String) -> Date? {
        var s = Substring(text)
        if s.hasPrefix("D:") { s = s.dropFirst(2) }
        let digits = s.prefix { $0.isASCII && $0.isNumber }
        guard digits.count >= 4, digits.count <= 14, digits.count % 2 == 0 else { return nil }
        let d = Array(digits).map { Int(String($0))! }
        func field(_ i: Int, _ default: Int) -> Int { i + 1 < d.count ? d[i] * 10 + d[i + 1] : `default` }
        var c = DateComponents()
        c.year = d[0] * 1000 + d[1] * 100 + d[2] * 10 + d[3]
        c.month = field(4, 1); c.day = field(6, 1); c.hour = field(8, 0); c.minute = field(10, 0); c.second = field(12, 0)
        guard (1...12).contains(c.month!), (1...31).contains(c.day!), c.hour! < 24, c.minute! < 60, c.second! < 61 else { return nil }
        var rest = s.dropFirst(digits.count)
        var offset = 0
        if let sign = rest.first, sign == "+" || sign == "-" {
            rest = rest.dropFirst()
            let parts = rest.split(separator: "'", omittingEmptySubsequences: true)
            guard let hours = parts.first.flatMap({ Int($0) }), hours < 24 else { return nil }
            let minutes = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
            offset = (hours * 60 + minutes) * 60 * (sign == "-" ? -1 : 1)
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: offset) ?? TimeZone(identifier: "UTC")!
        return calendar.date(from: c)
    }
}
