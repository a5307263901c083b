public import FoundationEssentials

/// The origins an integrator lets frame the signing pages of one embedded link
/// (`frame_ancestors` of `POST …/embedded-link`, `signet serve --frame-ancestors`): each an
/// https origin, `https://host[:port]` (no path, query, user information or wildcard), at
/// most five. They go verbatim into a `Content-Security-Policy` header, so nothing else passes.
public enum FrameAncestors {
    /// The most origins one link may name.
    public static let maximumCount = 5

    /// `origins` in lowercase, or every problem at once (fields `FIELD` and `FIELD[i]`).
    public static func validated(_ origins: [String], field: String = "frame_ancestors") -> Result<[String], ServiceError> {
        var issues: [ValidationIssue] = []
        if origins.count > maximumCount {
            issues.append(ValidationIssue(field: field, code: "too_many_items", message: "at most \(maximumCount) origins"))
        }
        var normalized: [String] = []
        for (index, origin) in origins.enumerated() {
            if let value = Self.origin(origin) {
                if !normalized.contains(value) { normalized.append(value) }
            } else {
                issues.append(ValidationIssue(field: "\(field)[\(index)]", code: "invalid_origin",
                                              message: "an https origin like https://app.example.com (no path, no wildcard)"))
            }
        }
        return issues.isEmpty ? .success(normalized) : .failure(.validationFailed(issues))
    }

    /// `text` as a lowercase https origin, or nil: `https://`, a host name of letters, digits,
    /// hyphens and dots (labels of 1…63, not starting or ending with a hyphen), an optional
    /// port 1…65535.
    public static func origin(_ text: String) -> String? {
        let lower = text.lowercased()
        guard lower.utf8.count <= 300, lower.hasPrefix("https://") else { return nil }
        let authority = lower.dropFirst("https://".count)
        let parts = authority.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let host = parts[0]
        if parts.count == 2 {
            guard (1...5).contains(parts[1].count), parts[1].allSatisfy(\.isASCIIDigit), let port = Int(parts[1]),
                  (1...65535).contains(port) else { return nil }
        }
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...253).contains(host.count), labels.allSatisfy({ label in
            (1...63).contains(label.count) && label.first != "-" && label.last != "-"
                && label.utf8.allSatisfy { $0 == 0x2D || (0x30...0x39).contains($0) || (0x61...0x7A).contains($0) }
        }) else { return nil }
        return lower
    }
}

extension Character {
    /// `0`…`9`.
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
