import FoundationEssentials
import SignetCrypto
public import Hummingbird
import HTTPTypes

/// The language of a page: the contract template's locale (`zh-CN` or `en`). A bilingual
/// template (`zh-CN+en`, the settlement account authorization) is shown in the browser's
/// first choice between the two (`Accept-Language` starting with `en` → English, anything
/// else → Chinese): one language per page, never two halves.
public enum PageLanguage: String, Sendable, Hashable, CaseIterable {
    /// Simplified Chinese.
    case chinese = "zh-CN"
    /// English.
    case english = "en"

    /// The language for a contract of `locale`, as `request` asks.
    public static func of(locale: String?, request: Request) -> PageLanguage {
        switch locale {
        case "en": return .english
        case "zh-CN": return .chinese
        default: return preferred(request)
        }
    }

    /// The browser's first choice of the two (for pages with no contract: errors, unknown links).
    public static func preferred(_ request: Request) -> PageLanguage {
        guard let header = request.headers[.acceptLanguage] else { return .chinese }
        let ranked = header.split(separator: ",").compactMap { part -> (String, Double)? in
            let pieces = part.split(separator: ";")
            guard let tag = pieces.first?.trimmingWhitespace().lowercased(), !tag.isEmpty else { return nil }
            let quality = pieces.dropFirst().first { $0.trimmingWhitespace().hasPrefix("q=") }
                .flatMap { Double($0.trimmingWhitespace().dropFirst(2)) } ?? 1
            return (tag, quality)
        }
        let first = ranked.enumerated().filter { $0.element.0.hasPrefix("en") || $0.element.0.hasPrefix("zh") }
            .max { ($0.element.1, -$0.offset) < ($1.element.1, -$1.offset) }
        return first?.element.0.hasPrefix("en") == true ? .english : .chinese
    }

    /// The page's strings in this language.
    public var strings: [String: String] { self == .english ? PageStrings.english : PageStrings.chinese }

    /// One string (the key itself when missing, which the page tests catch).
    public func text(_ key: String) -> String { strings[key] ?? key }
}
