public import FoundationEssentials
import SignetCrypto

/// The JSON coding of the archive's files (`fields.json`, `audit-trail.json`): keys sorted,
/// indented, times as RFC 3339 UTC to the millisecond (`2026-12-06T10:00:00.123Z`), so the
/// same contract always gives the same bytes and a reader years later needs no Signet code.
public enum ArchiveJSON {
    /// UTF-8 JSON of `value`, keys sorted, pretty-printed, ending in a newline.
    public static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(TimeText.iso8601(date, milliseconds: true))
        }
        return Array(try encoder.encode(value)) + [UInt8(ascii: "\n")]
    }

    /// Decodes what `encode` wrote.
    public static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = TimeText.parse(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an RFC 3339 time: \(text)")
            }
            return date
        }
        return try decoder.decode(type, from: Data(bytes))
    }
}
