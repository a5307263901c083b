public import FoundationEssentials
import SignetCrypto

/// What identifies one contract besides its fields: its number and when it was issued.
/// Together with the template version and the fields, it fixes the PDF's bytes.
public struct ContractMetadata: Sendable, Hashable, Codable {
    /// The contract number printed in every page header (`SN-2025-000123`): 1–64 of
    /// `A–Z a–z 0–9 - _ . /`.
    public let number: String
    /// When the contract was issued; the PDF's creation date.
    public let issuedAt: Date
    /// The issuing time zone's offset from UTC in seconds (e.g. 28800 for +08:00); decides the
    /// printed date and the offset written in the PDF.
    public let utcOffsetSeconds: Int

    /// Metadata from its parts; check `problems` (rendering does) before use.
    public init(number: String, issuedAt: Date, utcOffsetSeconds: Int = 8 * 3600) {
        self.number = number
        self.issuedAt = issuedAt
        self.utcOffsetSeconds = utcOffsetSeconds
    }

    /// Parses an ISO 8601 time with seconds and an explicit offset
    /// (`2025-03-01T10:00:00+08:00` or `2025-03-01T02:00:00Z`).
    ///
    /// - Throws: `RenderError.invalidMetadata` when `issuedAt` is not such a time.
    public init(number: String, issuedAt iso: String) throws(RenderError) {
        guard let (date, offset) = TimeText.parseWithOffset(iso) else {
            throw .invalidMetadata(["issued-at '\(iso)' is not an ISO 8601 time like 2025-03-01T10:00:00+08:00 (seconds and offset required)"])
        }
        self.init(number: number, issuedAt: date, utcOffsetSeconds: offset)
    }

    /// Every problem with the metadata (empty when valid).
    public var problems: [String] {
        var problems: [String] = []
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_./")
        if number.isEmpty || number.count > 64 || !number.allSatisfy(allowed.contains) {
            problems.append("contract number '\(number)' must be 1–64 characters of A–Z a–z 0–9 - _ . /")
        }
        if utcOffsetSeconds % 60 != 0 || abs(utcOffsetSeconds) > 14 * 3600 {
            problems.append("UTC offset \(utcOffsetSeconds)s must be whole minutes within ±14:00")
        }
        let seconds = issuedAt.timeIntervalSince1970
        if seconds < 0 || seconds > 253_402_300_799 || seconds != seconds.rounded() {
            problems.append("issue time must be whole seconds between 1970 and 9999")
        }
        return problems
    }

    /// The local issue time, `2025-03-01T10:00:00+08:00`.
    public var issuedAtISO: String { TimeText.iso8601(issuedAt, offsetFromUTC: utcOffsetSeconds) }

    /// The local issue date.
    public var issueDate: CalendarDate {
        let local = CivilTime(issuedAt, offsetFromUTC: utcOffsetSeconds)
        return CalendarDate(year: local.year, month: local.month, day: local.day) ?? CalendarDate(year: 1970, month: 1, day: 1)!
    }
}
