package import FoundationEssentials

/// A wall-clock time on the proleptic Gregorian calendar, to the second: the calendar
/// fields of an instant on a clock at a fixed offset from UTC, and back.
///
/// Signet's one civil-time conversion. ASN.1 times (`ASN1Time`), PDF dates
/// (`PDFDateFormat` in SignetPAdES), ISO 8601 and report text (`TimeText`) and contract
/// dates (SignetTemplates) all convert through it. It is arithmetic (H. Hinnant's
/// `days_from_civil` and `civil_from_days`) rather than Foundation's `Calendar`, whose
/// Gregorian calendar turns Julian before 1582-10-15: ISO 8601, ASN.1 and PDF dates are
/// proleptic Gregorian.
package struct CivilTime: Equatable, Sendable {
    package var year: Int
    /// 1–12 (other values run on into the neighbouring years when converted to an instant).
    package var month: Int
    package var day: Int
    package var hour: Int
    package var minute: Int
    package var second: Int

    /// A time from its fields.
    package init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        (self.year, self.month, self.day, self.hour, self.minute, self.second) = (year, month, day, hour, minute, second)
    }

    /// The fields of the instant `seconds` after 1970-01-01T00:00:00Z on a clock `offset`
    /// seconds east of UTC.
    package init(secondsSince1970 seconds: Int, offsetFromUTC offset: Int = 0) {
        let local = seconds + offset
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let secondOfDay = local - days * 86_400
        let (year, month, day) = Self.civilFromDays(days)
        self.init(year: year, month: month, day: day,
                  hour: secondOfDay / 3_600, minute: secondOfDay % 3_600 / 60, second: secondOfDay % 60)
    }

    /// The fields of `date` on a clock `offset` seconds east of UTC, to the whole second
    /// (rounded down).
    package init(_ date: Date, offsetFromUTC offset: Int = 0) {
        self.init(secondsSince1970: Int(date.timeIntervalSince1970.rounded(.down)), offsetFromUTC: offset)
    }

    /// Seconds since 1970-01-01T00:00:00Z of these fields read on a clock `offset` seconds
    /// east of UTC. Days past the end of a month run on into the next one, as `Calendar` does.
    package func secondsSince1970(offsetFromUTC offset: Int = 0) -> Int {
        Self.daysFromCivil(year: year, month: month, day: day) * 86_400 + hour * 3_600 + minute * 60 + second - offset
    }

    /// The instant these fields name on a clock `offset` seconds east of UTC.
    package func date(offsetFromUTC offset: Int = 0) -> Date {
        Date(timeIntervalSince1970: TimeInterval(secondsSince1970(offsetFromUTC: offset)))
    }

    /// `2026-11-22`.
    package var dateText: String {
        zeroPadded(year, width: 4) + "-" + zeroPadded(month, width: 2) + "-" + zeroPadded(day, width: 2)
    }

    /// `10:15:03`.
    package var timeText: String {
        zeroPadded(hour, width: 2) + ":" + zeroPadded(minute, width: 2) + ":" + zeroPadded(second, width: 2)
    }

    /// `20261122101503`: the digits of ASN.1 GeneralizedTime and PDF dates.
    package var compactText: String {
        zeroPadded(year, width: 4) + zeroPadded(month, width: 2) + zeroPadded(day, width: 2)
            + zeroPadded(hour, width: 2) + zeroPadded(minute, width: 2) + zeroPadded(second, width: 2)
    }

    /// Days since 1970-01-01 of `year`-`month`-`day`. Days past the end of a month run on
    /// into the next one.
    package static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date `days` days after 1970-01-01 (before it for negative values).
    package static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, dayOfYear - (153 * shiftedMonth + 2) / 5 + 1)
    }

    /// The number of days of `month` (1–12) in `year`.
    package static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

/// `value` in decimal, left-padded with zeros to `width` digits: `7` → `07`.
package func zeroPadded(_ value: Int, width: Int) -> String {
    let digits = String(value)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
}
