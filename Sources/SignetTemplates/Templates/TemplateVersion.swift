/// A template version: one to three dot-separated numbers (`1`, `1.2`, `2.0.1`), ordered
/// numerically.
public struct TemplateVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The numbers as written.
    public let components: [Int]
    /// The version as written (`1.0.0`).
    public let description: String

    /// Parses `1`, `1.2` or `1.2.3` (no leading zeros); `nil` otherwise.
    public init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count),
              parts.allSatisfy({ !$0.isEmpty && $0.count <= 6 && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              parts.allSatisfy({ $0 == "0" || !$0.hasPrefix("0") })
        else { return nil }
        components = parts.compactMap { Int($0) }
        description = text
    }

    /// Numeric order, component by component (`1.10` > `1.9`).
    public static func < (lhs: TemplateVersion, rhs: TemplateVersion) -> Bool {
        let count = max(lhs.components.count, rhs.components.count)
        let l = lhs.components + Array(repeating: 0, count: count - lhs.components.count)
        let r = rhs.components + Array(repeating: 0, count: count - rhs.components.count)
        return l.lexicographicallyPrecedes(r) || (l == r && lhs.description < rhs.description)
    }
}

/// Identifiers of templates, roles and fields.
enum Identifier {
    /// Template ids: lower-case words joined by hyphens (`merchant-service-agreement`).
    static func isTemplateID(_ s: String) -> Bool {
        !s.isEmpty && s.count <= 64 && s.split(separator: "-", omittingEmptySubsequences: false).allSatisfy {
            !$0.isEmpty && $0.allSatisfy { ($0.isASCII && $0.isLowercase) || ($0.isASCII && $0.isNumber) }
        }
    }

    /// Field and role names: lower-case letter, then lower-case letters, digits, `_`.
    static func isName(_ s: String) -> Bool {
        guard let first = s.first, first.isASCII, first.isLowercase, s.count <= 64 else { return false }
        return s.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }
    }
}
