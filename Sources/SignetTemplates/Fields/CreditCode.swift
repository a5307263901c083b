/// The unified social credit code (统一社会信用代码) of GB 32100-2015: 18 characters
/// identifying a PRC legal person or other organisation.
///
/// Layout: 1 registration authority, 2 organisation type, 3–8 administrative division
/// (digits, GB/T 2260), 9–17 the organisation's identifier, 18 the check character.
/// The alphabet is the digits and the capital letters except I, O, S, V and Z (31 symbols);
/// the check character is `31 − (Σ value(cᵢ)·3ⁱ⁻¹ mod 31)` over the first 17 characters,
/// with 31 written as `0`.
public enum UnifiedSocialCreditCode {
    /// The 31 code symbols; a symbol's value is its index.
    public static let alphabet: [Character] = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")

    /// Weights 3⁰ … 3¹⁶ mod 31 of GB 32100-2015 table 3.
    static let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

    /// Registration authorities of GB 32100-2015 table 1 (1 机构编制 … 9 工商, A, N, Y).
    static let registrationAuthorities: Set<Character> = Set("123456789ANY")

    /// The check character for the first 17 characters of a code, or `nil` when one of them
    /// is not a code symbol or there are not exactly 17.
    public static func checkCharacter(forPrefix prefix: some StringProtocol) -> Character? {
        let characters = Array(prefix)
        guard characters.count == 17 else { return nil }
        var sum = 0
        for (character, weight) in zip(characters, weights) {
            guard let value = alphabet.firstIndex(of: character) else { return nil }
            sum += value * weight
        }
        return alphabet[(31 - sum % 31) % 31]
    }

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
