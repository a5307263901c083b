import Foundation
import SignetCrypto
import Testing

/// `CivilTime` and `TimeText`: Signet's one civil-time conversion and its ISO 8601 and report
/// text.
@Suite("Civil time and time text")
struct CivilTimeTests {
    private static let gregorianUTC: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0)!
        return calendar
    }()

    @Test("Calendar fields agree with Foundation's Gregorian calendar from 1600 to 9999, both ways")
    func againstFoundation() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let seconds = Int.random(in: -11_676_096_000...253_402_300_799, using: &generator)
            let date = Date(timeIntervalSince1970: TimeInterval(seconds))
            let fields = Self.gregorianUTC.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
            let time = CivilTime(date)
            #expect([time.year, time.month, time.day, time.hour, time.minute, time.second]
                        == [fields.year, fields.month, fields.day, fields.hour, fields.minute, fields.second], "\(seconds)")
            #expect(time.secondsSince1970() == seconds)
        }
    }

    @Test("Before 1582 the calendar stays Gregorian (proleptic, as ISO 8601 and ASN.1 count)")
    func proleptic() {
        let known: [(CivilTime, Int)] = [
            (CivilTime(year: 1, month: 1, day: 1), -62_135_596_800),
            (CivilTime(year: 1000, month: 3, day: 1), -30_605_126_400),
            (CivilTime(year: 1582, month: 10, day: 4, hour: 23, minute: 59, second: 59), -12_220_156_801),
            (CivilTime(year: 1600, month: 2, day: 29, hour: 12), -11_670_955_200),
            (CivilTime(year: 9999, month: 12, day: 31, hour: 23, minute: 59, second: 59), 253_402_300_799),
        ]
        for (time, seconds) in known {
            #expect(time.secondsSince1970() == seconds, "\(time)")
            #expect(CivilTime(secondsSince1970: seconds) == time)
        }
    }

    @Test("Offsets east and west of UTC, fractions rounded down, days running on past a month's end")
    func offsets() {
        let instant = Date(timeIntervalSince1970: 1_740_794_400.75)  // 2025-03-01T02:00:00.75Z
        #expect(CivilTime(instant, offsetFromUTC: 8 * 3600) == CivilTime(year: 2025, month: 3, day: 1, hour: 10))
        #expect(CivilTime(instant, offsetFromUTC: -(5 * 3600 + 1800)) == CivilTime(year: 2025, month: 2, day: 28, hour: 20, minute: 30))
        #expect(CivilTime(year: 2025, month: 3, day: 1, hour: 10).date(offsetFromUTC: 8 * 3600) == Date(timeIntervalSince1970: 1_740_794_400))
        #expect(CivilTime(year: 2025, month: 2, day: 29).date() == CivilTime(year: 2025, month: 3, day: 1).date())
        #expect(CivilTime(Date(timeIntervalSince1970: -0.5)) == CivilTime(year: 1969, month: 12, day: 31, hour: 23, minute: 59, second: 59))
        #expect(CivilTime.daysIn(month: 2, year: 2000) == 29 && CivilTime.daysIn(month: 2, year: 1900) == 28)
        #expect(CivilTime(year: 2026, month: 1, day: 2, hour: 3, minute: 4, second: 5).compactText == "20260102030405")
    }

    @Test("ISO 8601 and report text: UTC with Z, milliseconds when asked, local time with its offset")
    func text() {
        let whole = Date(timeIntervalSince1970: 1_795_342_503)  // 2026-11-22T10:15:03Z
        let fraction = whole.addingTimeInterval(0.25)
        #expect(TimeText.iso8601(whole) == "2026-11-22T10:15:03Z")
        #expect(TimeText.iso8601(fraction) == "2026-11-22T10:15:03Z")
        #expect(TimeText.iso8601(fraction, milliseconds: true) == "2026-11-22T10:15:03.250Z")
        #expect(TimeText.iso8601(whole, milliseconds: true) == "2026-11-22T10:15:03Z")
        #expect(TimeText.sentence(whole) == "2026-11-22 10:15:03 UTC")
        #expect(TimeText.sentence(fraction) == "2026-11-22 10:15:03.250 UTC")
        #expect(TimeText.iso8601(whole, offsetFromUTC: 8 * 3600) == "2026-11-22T18:15:03+08:00")
        #expect(TimeText.iso8601(whole, offsetFromUTC: -(5 * 3600 + 1800)) == "2026-11-22T04:45:03-05:30")
        #expect(TimeText.iso8601(whole, offsetFromUTC: 0) == "2026-11-22T10:15:03+00:00")
        #expect(TimeText.iso8601(whole) == ISO8601DateFormatter().string(from: whole))
    }

    @Test("Parsing ISO 8601 with a required offset, and leniently")
    func parsing() throws {
        let parsed = try #require(TimeText.parseWithOffset("2025-03-01T10:00:00+08:00"))
        #expect(parsed.date == Date(timeIntervalSince1970: 1_740_794_400) && parsed.offsetFromUTC == 28_800)
        #expect(TimeText.parseWithOffset("2025-03-01t02:00:00z")?.date == parsed.date)
        #expect(TimeText.parseWithOffset("2025-03-01T04:30:00+02:30")?.offsetFromUTC == 9_000)
        #expect(TimeText.parseWithOffset("2025-02-28T20:30:00-05:30")?.date == Date(timeIntervalSince1970: 1_740_794_400))
        for bad in ["2025-03-01 10:00", "2025-03-01T10:00:00", "2025-02-29T10:00:00Z", "2025-03-01T24:00:00Z",
                    "2025-03-01T10:00:00+15:00", "2025-03-01T10:00:00+08", "0999-03-01T10:00:00Z", "2025-3-01T10:00:00Z",
                    "2025-03-01T10:00:00.5Z", "2025-03-01T10:00:00++1:00"] {
            #expect(TimeText.parseWithOffset(bad) == nil, "\(bad)")
        }
        #expect(TimeText.parse("2026-11-22T10:15:03.25+08:00") == Date(timeIntervalSince1970: 1_795_313_703.25))
        #expect(TimeText.parse("2026-11-22") == Date(timeIntervalSince1970: 1_795_305_600))
        #expect(TimeText.parse("yesterday") == nil)
    }
}
