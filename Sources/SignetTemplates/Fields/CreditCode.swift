import SignetCrypto

/// Field validation of unified social credit codes (统一社会信用代码, GB 32100-2015) for
/// contract forms: every problem of a code at once, as field problems. The check character
/// itself is computed by `SignetCrypto.UnifiedSocialCreditCode`, the one implementation.
extension UnifiedSocialCreditCode {
    /// Registration authorities of GB 32100-2015 table 1 (1 机构编制 … 9 工商, A, N, Y).
    static let registrationAuthorities: Set<Character> = Set("123456789ANY")

    /// Checks a code; lower-case letters and surrounding spaces are accepted and normalised.
    ///
    /// - Returns: the code in canonical (upper-case) form, or every problem found.
    public static func validate(_ raw: String) -> Result<String, FieldProblems> {
        let code = raw.trimmingWhitespace().uppercased()
        let characters = Array(code)
        guard characters.count == 18 else {
            return .failure([.init(.invalidCreditCode, "must be 18 characters, got \(characters.count)")])
        }
        var problems = FieldProblems()
        for (index, character) in characters.enumerated() where !alphabet.contains(character) {
            problems.append(.init(.invalidCreditCode,
                "character '\(character)' at position \(index + 1) is not a code symbol (digits and A–Y except I, O, S, V, Z)"))
        }
        if !registrationAuthorities.contains(characters[0]) {
            problems.append(.init(.invalidCreditCode,
                "first character '\(characters[0])' is not a registration authority code (1–9, A, N, Y)"))
        }
        if !characters[2..<8].allSatisfy({ $0.isASCII && $0.isNumber }) {
            problems.append(.init(.invalidCreditCode,
                "positions 3–8 must be the six-digit administrative division code, got '\(String(characters[2..<8]))'"))
        }
        if problems.isEmpty, let expected = checkCharacter(forPrefix: String(characters[0..<17])), expected != characters[17] {
            problems.append(.init(.creditCodeCheckCharacter,
                "check character (18th) should be '\(expected)' for this code, got '\(characters[17])'"))
        }
        return problems.isEmpty ? .success(code) : .failure(problems)
    }
}
