/// A label that may differ by language: one string for all, or one per language tag.
public struct LocalizedText: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Text by language tag (`zh-CN`, `en`); `""` holds the language-neutral text.
    public let texts: [String: String]

    /// The same text in every language.
    public init(_ text: String) { texts = ["": text] }
    /// Text per language tag (`zh-CN`, `en`).
    public init(byLanguage texts: [String: String]) { self.texts = texts }

    /// The text for `language`, falling back to the neutral text, then Chinese, then any.
    public func text(for language: ContractLanguage) -> String {
        texts[language.rawValue] ?? texts[""] ?? texts[ContractLanguage.chinese.rawValue]
            ?? texts.sorted(by: { $0.key < $1.key }).first?.value ?? ""
    }

    /// All variants, Chinese first, joined with " / " (for listings).
    public var description: String {
        if let neutral = texts[""] { return neutral }
        return ContractLanguage.allCases.compactMap { texts[$0.rawValue] }.joined(separator: " / ")
    }

    /// Decodes a string or an object of language tag → string.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let single = try? container.decode(String.self) {
            texts = ["": single]
        } else {
            texts = try container.decode([String: String].self)
        }
    }

    /// Encodes as a string when language-neutral, else as an object.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if texts.count == 1, let neutral = texts[""] {
            try container.encode(neutral)
        } else {
            try container.encode(texts)
        }
    }
}

/// The languages contracts are written and formatted in.
public enum ContractLanguage: String, Sendable, Hashable, Codable, CaseIterable {
    case chinese = "zh-CN"
    case english = "en"
}

/// A template's locale: the language(s) of its text, which decide how dates, amounts and
/// page numbers are written.
public enum ContractLocale: String, Sendable, Hashable, Codable, CaseIterable {
    /// Simplified Chinese.
    case chinese = "zh-CN"
    /// English.
    case english = "en"
    /// Chinese and English side by side, Chinese first.
    case bilingual = "zh-CN+en"

    /// The language used to format values when a placeholder does not choose one.
    public var primaryLanguage: ContractLanguage { self == .english ? .english : .chinese }

    /// The languages of the template's text.
    public var languages: [ContractLanguage] {
        switch self {
        case .chinese: [.chinese]
        case .english: [.english]
        case .bilingual: [.chinese, .english]
        }
    }
}
