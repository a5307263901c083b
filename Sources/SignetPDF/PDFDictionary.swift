/// A PDF dictionary (ISO 32000-2 §7.3.7) that keeps the order of its keys.
///
/// Keys are unique: setting an existing key replaces its value in place. A `null` value
/// is kept as written (the spec says it means "absent"; `subscript` returns `nil` for both,
/// `entries` shows the difference, for the verifier).
public struct PDFDictionary: Sendable, Hashable, ExpressibleByDictionaryLiteral {
    /// The entries, in file (or insertion) order.
    public private(set) var entries: [(key: PDFName, value: PDFObject)]

    /// An empty dictionary.
    public init() { entries = [] }

    /// A dictionary from ordered entries; a repeated key keeps its last value at its first position.
    public init(_ entries: [(PDFName, PDFObject)]) {
        self.entries = []
        self.entries.reserveCapacity(entries.count)
        for (key, value) in entries { self[key] = value }
    }

    /// A dictionary from a literal; a repeated key keeps its last value at its first position.
    public init(dictionaryLiteral elements: (PDFName, PDFObject)...) { self.init(elements) }

    /// Entries whose key the parser has already checked to be unique.
    init(uniqueEntries: [(key: PDFName, value: PDFObject)]) { entries = uniqueEntries }

    /// The number of entries.
    public var count: Int { entries.count }
    /// Whether there are no entries.
    public var isEmpty: Bool { entries.isEmpty }
    /// The keys, in order.
    public var keys: [PDFName] { entries.map(\.key) }

    /// The value for `key`; `nil` when absent or when its value is `null`.
    /// Setting `nil` removes the key.
    public subscript(key: PDFName) -> PDFObject? {
        get {
            for entry in entries where entry.key == key {
                return entry.value.isNull ? nil : entry.value
            }
            return nil
        }
        set {
            if let index = entries.firstIndex(where: { $0.key == key }) {
                if let newValue { entries[index].value = newValue } else { entries.remove(at: index) }
            } else if let newValue {
                entries.append((key, newValue))
            }
        }
    }

    /// Whether `key` is present (even with a `null` value).
    public func contains(_ key: PDFName) -> Bool { entries.contains { $0.key == key } }

    /// The name value of `/Type`.
    public var type: PDFName? { self[.type]?.nameValue }

    /// Equal when both hold the same entries in the same order (order is part of a dictionary's identity here).
    public static func == (lhs: PDFDictionary, rhs: PDFDictionary) -> Bool {
        guard lhs.entries.count == rhs.entries.count else { return false }
        for (a, b) in zip(lhs.entries, rhs.entries) where a.key != b.key || a.value != b.value { return false }
        return true
    }

    /// Hashes the entries in order, consistent with `==`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(entries.count)
        for entry in entries {
            hasher.combine(entry.key)
            hasher.combine(entry.value)
        }
    }
}
