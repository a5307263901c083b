package import FoundationEssentials
import SwiftASN1

/// ASN.1 UTCTime and GeneralizedTime text ↔ `Date`, through `CivilTime`.
///
/// Not SwiftASN1's `UTCTime` / `GeneralizedTime`: they accept DER only (seconds required, no
/// trailing zeros in a fraction, no comma), while CMS signing-time and TSTInfo genTime
/// values from other tools are read as BER, and refusing them would change verdicts.
package enum ASN1Time {
    /// A GeneralizedTime with its fraction kept as text.
    package struct Generalized {
        package let date: Date
        /// Fractional-second digits as written ("" when none).
        let fraction: String
    }

    /// `YYYYMMDDHHMMSS[.f+]Z` (DER form); local times and offsets are refused, as RFC 5280 and
    /// RFC 3161 require.
    package static func parseGeneralizedTime(_ text: String, _ what: String) throws -> Generalized {
        let bytes = Array(text.utf8)
        guard bytes.count >= 15, bytes.last == UInt8(ascii: "Z") else {
            throw ASN1StructureError("\(what): GeneralizedTime \"\(text)\" is not YYYYMMDDHHMMSS[.fff]Z")
        }
        let body = bytes.dropLast()
        let main = body.prefix(14)
        var fraction = ""
        if body.count > 14 {
            let rest = body.dropFirst(14)
            guard rest.first == UInt8(ascii: ".") || rest.first == UInt8(ascii: ","), rest.count >= 2,
                  rest.dropFirst().allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
                throw ASN1StructureError("\(what): GeneralizedTime \"\(text)\" has a malformed fraction")
            }
            fraction = String(decoding: rest.dropFirst(), as: UTF8.self)
        }
        let base = try components(Array(main), digits: [4, 2, 2, 2, 2, 2], what, text)
        var date = try makeDate(year: base[0], month: base[1], day: base[2], hour: base[3], minute: base[4], second: base[5], what, text)
        if !fraction.isEmpty, let value = Double("0." + fraction) {
            date += value
        }
        return Generalized(date: date, fraction: fraction)
    }

    /// `YYMMDDHHMMSSZ` (seconds optional in BER); years 50–99 are 19xx (RFC 5280).
    package static func parseUTCTime(_ text: String, _ what: String) throws -> Date {
        let bytes = Array(text.utf8)
        guard bytes.last == UInt8(ascii: "Z"), bytes.count == 13 || bytes.count == 11 else {
            throw ASN1StructureError("\(what): UTCTime \"\(text)\" is not YYMMDDHHMM[SS]Z")
        }
        let digits = Array(bytes.dropLast())
        let parts = try components(digits, digits: digits.count == 12 ? [2, 2, 2, 2, 2, 2] : [2, 2, 2, 2, 2], what, text)
        let year = parts[0] >= 50 ? 1900 + parts[0] : 2000 + parts[0]
        return try makeDate(year: year, month: parts[1], day: parts[2], hour: parts[3], minute: parts[4],
                            second: parts.count > 5 ? parts[5] : 0, what, text)
    }

    private static func components(_ bytes: [UInt8], digits: [Int], _ what: String, _ text: String) throws -> [Int] {
        guard bytes.count == digits.reduce(0, +), bytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw ASN1StructureError("\(what): malformed time \"\(text)\"")
        }
        var result: [Int] = []
        var offset = 0
        for width in digits {
            result.append(bytes[offset..<offset + width].reduce(0) { $0 * 10 + Int($1 - 0x30) })
            offset += width
        }
        return result
    }

    private static func makeDate(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int,
                                 _ what: String, _ text: String) throws -> Date {
        guard (1...12).contains(month), (1...31).contains(day), (0...23).contains(hour),
              (0...59).contains(minute), (0...60).contains(second) else {
            throw ASN1StructureError("\(what): time \"\(text)\" is out of range")
        }
        return CivilTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second).date()
    }

    /// DER GeneralizedTime text for `date`, with `fractionDigits` (0–6) of seconds and
    /// trailing zeros removed (X.690 §11.7).
    package static func generalizedTimeString(_ date: Date, fractionDigits: Int) -> String {
        // Whole microseconds first, so binary floating point cannot turn .120 into .119.
        let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        let whole = Int(micros >= 0 ? micros / 1_000_000 : (micros - 999_999) / 1_000_000)
        let digits = min(max(fractionDigits, 0), 6)
        var divisor: Int64 = 1
        for _ in digits..<6 { divisor *= 10 }
        let fraction = Int((micros - Int64(whole) * 1_000_000) / divisor)
        var text = CivilTime(secondsSince1970: whole).compactText
        if digits > 0 {
            var fractionText = zeroPadded(fraction, width: digits)
            while fractionText.last == "0" { fractionText.removeLast() }
            if !fractionText.isEmpty { text += "." + fractionText }
        }
        return text + "Z"
    }
}
