import FoundationEssentials
import SignetCrypto

/// Times as the pages show them: `2026-05-01 18:00` in the service's UTC offset, with it.
enum PageTime {
    static func text(_ date: Date, utcOffsetSeconds: Int) -> String {
        let civil = CivilTime(secondsSince1970: Int(date.timeIntervalSince1970), offsetFromUTC: utcOffsetSeconds)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
        let sign = utcOffsetSeconds < 0 ? "-" : "+"
        let offset = abs(utcOffsetSeconds)
        return "\(civil.year)-\(two(civil.month))-\(two(civil.day)) \(two(civil.hour)):\(two(civil.minute)) UTC\(sign)\(two(offset / 3600)):\(two(offset % 3600 / 60))"
    }
}
