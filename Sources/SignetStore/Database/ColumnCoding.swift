import FoundationEssentials
import GRDB
import SignetService
import SignetArchive

/// How model values become column values and back: times as Unix milliseconds (an exact
/// round trip with `AuditChain.millisecondPrecision`), string maps as JSON text with sorted
/// keys (the same map always gives the same text).
enum ColumnCoding {
    /// Unix milliseconds of `date`.
    static func milliseconds(_ date: Date) -> Int64 { AuditChain.milliseconds(date) }

    /// Unix milliseconds of `date`, nil for nil (stored as NULL).
    static func milliseconds(_ date: Date?) -> Int64? { date.map(AuditChain.milliseconds) }

    /// The date of stored Unix milliseconds.
    static func date(_ milliseconds: Int64) -> Date { Date(timeIntervalSince1970: Double(milliseconds) / 1000) }

    /// The date of stored Unix milliseconds, nil for NULL.
    static func date(_ milliseconds: Int64?) -> Date? { milliseconds.map(date) }

    /// `map` as JSON text with sorted keys.
    static func json(_ map: [String: String]) throws -> String {
        try json(encoding: map)
    }

    /// A value as JSON text with sorted keys.
    static func json(encoding value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            throw StoreError.corrupt("a value does not encode as JSON")
        }
    }

    /// A string map from stored JSON text.
    static func map(_ text: String) throws -> [String: String] {
        try decode([String: String].self, text)
    }

    /// A value from stored JSON text; `StoreError.corrupt` when it is not what was written.
    static func decode<Value: Decodable>(_ type: Value.Type, _ text: String) throws -> Value {
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            throw StoreError.corrupt("a stored JSON column does not decode")
        }
    }
}

extension Row {
    /// The date of a milliseconds column; nil for NULL.
    func date(_ column: String) throws -> Date? {
        ColumnCoding.date(try decode(Int64?.self, forColumn: column))
    }

    /// The date of a NOT NULL milliseconds column.
    func requiredDate(_ column: String) throws -> Date {
        ColumnCoding.date(try decode(Int64.self, forColumn: column))
    }

    /// The document of the `<prefix>_sha256`, `_size` and `_page_count` columns; nil when the
    /// digest is NULL.
    func document(prefix: String) throws -> StoredDocument? {
        guard let sha256: String = try decode(forColumn: "\(prefix)_sha256") else { return nil }
        return StoredDocument(sha256: sha256, size: try decode(forColumn: "\(prefix)_size"),
                              pageCount: try decode(forColumn: "\(prefix)_page_count"))
    }
}

/// `value`, or `StoreError.corrupt(what)` when a value the schema requires is absent.
func required<Value>(_ value: Value?, _ what: String) throws -> Value {
    guard let value else { throw StoreError.corrupt(what) }
    return value
}
