import Foundation
import SignetPAdES
import Testing

/// PDF date strings, checked against Foundation's Gregorian `Calendar` (the formatter
/// itself computes dates arithmetically).
@Suite("PDF date strings")
struct PDFDateFormatTests {
    private static func calendar(offset: Int = 0) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: offset)!
        return calendar
    }

    private static func components(_ y: Int, _ mo: Int, _ d: Int, _ h: Int = 0, _ mi: Int = 0, _ s: Int = 0) -> DateComponents {
        DateComponents(year: y, month: mo, day: d, hour: h, minute: mi, second: s)
    }

    @Test("Formatting agrees with Calendar across eras, leap days and the epoch")
    func formattingAgreesWithCalendar() throws {
        let utc = Self.calendar()
        var samples: [Date] = [
            Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: -1), Date(timeIntervalSince1970: 951_782_400),
            try #require(utc.date(from: Self.components(1900, 2, 28, 23, 59, 59))),
            try #require(utc.date(from: Self.components(2100, 3, 1))),
            try #require(utc.date(from: Self.components(2024, 2, 29, 12, 30, 5))),
        ]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 { samples.append(Date(timeIntervalSince1970: Double(Int64.random(in: -5_000_000_000...8_000_000_000, using: &generator)))) }
        for date in samples {
            let c = utc.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
            let expected = String(format: "D:%04d%02d%02d%02d%02d%02d+00'00'", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
            #expect(PDFDateFormat.string(from: date) == expected, "\(date.timeIntervalSince1970)")
            #expect(PDFDateFormat.date(from: expected) == date, "\(expected)")
        }
    }

    @Test("Offsets, partial dates and the standard's defaults")
    func offsetsAndDefaults() throws {
        let expected = try #require(Self.calendar(offset: 8 * 3_600).date(from: Self.components(2026, 11, 22, 9, 30, 0)))
        #expect(PDFDateFormat.date(from: "D:20261122093000+08'00'") == expected)
        #expect(PDFDateFormat.date(from: "D:20261122013000Z") == expected)
        #expect(PDFDateFormat.date(from: "20261122013000") == expected)
        let west = try #require(Self.calendar(offset: -(5 * 3_600 + 30 * 60)).date(from: Self.components(2026, 1, 2, 3, 4, 5)))
        #expect(PDFDateFormat.date(from: "D:20260102030405-05'30'") == west)
        #expect(PDFDateFormat.date(from: "D:2026") == Self.calendar().date(from: Self.components(2026, 1, 1)))
        #expect(PDFDateFormat.date(from: "D:202603") == Self.calendar().date(from: Self.components(2026, 3, 1)))
    }

    @Test("Malformed dates are rejected", arguments: ["", "D:", "D:20", "D:202611221", "D:20261322", "D:20261100",
                                                      "D:20261122250000", "D:20261122236000", "D:20261122093000+24'00'", "D:x2026"])
    func malformed(text: String) {
        #expect(PDFDateFormat.date(from: text) == nil)
    }
}
