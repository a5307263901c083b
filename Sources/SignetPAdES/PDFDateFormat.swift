public import FoundationEssentials
import SignetCrypto

/// PDF date strings (ISO 32000-2 §7.9.4): `D:YYYYMMDDHHmmSS+HH'mm'`, written and read here
/// only (the signature dictionary's `/M`); calendar fields through `CivilTime`.
public enum PDFDateFormat {
    /// `date` in UTC as a PDF date string, e.g. `D:20261122093000+00'00'`.
    public static func string(from date: Date) -> String {
        "D:" + CivilTime(date).compactText + "+00'00'"
    }

    /// Parses a PDF date string; missing trailing fields default as the standard says
    /// (month and day 1, time 0, offset UTC). Returns nil for anything malformed.
    public static func date(from text: String) -> Date? {
        var s = Substring(text)
        if s.hasPrefix("D:") { s = s.dropFirst(2) }
        let digits = s.prefix { $0.isASCII && $0.isNumber }
        guard digits.count >= 4, digits.count <= 14, digits.count % 2 == 0 else { return nil }
        let d = digits.utf8.map { Int($0 - UInt8(ascii: "0")) }
        func field(_ i: Int, _ default: Int) -> Int { i + 1 < d.count ? d[i] * 10 + d[i + 1] : `default` }
        let t = CivilTime(year: d[0] * 1000 + d[1] * 100 + d[2] * 10 + d[3], month: field(4, 1), day: field(6, 1),
                          hour: field(8, 0), minute: field(10, 0), second: field(12, 0))
        guard (1...12).contains(t.month), (1...31).contains(t.day), t.hour < 24, t.minute < 60, t.second < 61 else { return nil }
        var rest = s.dropFirst(digits.count)
        var offset = 0
        if let sign = rest.first, sign == "+" || sign == "-" {
            rest = rest.dropFirst()
            let parts = rest.split(separator: "'", omittingEmptySubsequences: true)
            guard let hours = parts.first.flatMap({ Int($0) }), hours < 24 else { return nil }
            let minutes = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
            offset = (hours * 60 + minutes) * 60 * (sign == "-" ? -1 : 1)
        }
        return t.date(offsetFromUTC: offset)
    }
}
