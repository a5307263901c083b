/// The telephone number formats a phone field may accept.
public enum PhoneFormat: String, Sendable, Hashable, Codable, CaseIterable {
    /// A mainland China mobile number: 11 digits starting 13–19 (an optional +86 prefix is
    /// accepted and dropped).
    case chinaMobile = "cn-mobile"
    /// An international number in ITU-T E.164 form: `+`, country code, at most 15 digits.
    case e164

    var summary: String {
        switch self {
        case .chinaMobile: "a mainland China mobile number (11 digits starting 13–19)"
        case .e164: "an E.164 number (+ then country code, up to 15 digits)"
        }
    }
}

/// Validation of telephone numbers. Spaces, hyphens and parentheses between digits are
/// accepted and removed.
public enum PhoneNumber {
    /// Checks `raw` against `formats`.
    ///
    /// - Returns: the normalised number (`13812345678` for mainland mobiles, `+447911123456`
    ///   for E.164), or the problem.
    public static func validate(_ raw: String, formats: [PhoneFormat]) -> Result<String, FieldProblems> {
        let compact = String(raw.trimmingWhitespace().filter { !" -()".contains($0) })
        if formats.contains(.chinaMobile) {
            var national = Substring(compact)
            if national.hasPrefix("+86") { national = national.dropFirst(3) }
            if isChinaMobile(national) { return .success(String(national)) }
        }
        if formats.contains(.e164), isE164(compact) {
            return .success(compact)
        }
        let allowed = formats.map(\.summary).joined(separator: " or ")
        return .failure([.init(.invalidPhone, "must be \(allowed)")])
    }

    static func isChinaMobile(_ s: Substring) -> Bool {
        let chars = Array(s)
        return chars.count == 11 && chars.allSatisfy { $0.isASCII && $0.isNumber }
            && chars[0] == "1" && ("3"..."9").contains(chars[1])
    }

    static func isE164(_ s: String) -> Bool {
        let chars = Array(s)
        guard chars.count >= 3, chars.count <= 16, chars[0] == "+", chars[1] != "0" else { return false }
        return chars.dropFirst().allSatisfy { $0.isASCII && $0.isNumber }
    }
}
