/// The unified social credit code (统一社会信用代码) of GB 32100-2015: 18 characters
/// identifying a PRC legal person or other organisation.
///
/// Layout: 1 registration authority, 2 organisation type, 3–8 administrative division
/// (digits, GB/T 2260), 9–17 the organisation's identifier, 18 the check character.
/// The alphabet is the digits and the capital letters except I, O, S, V and Z (31 symbols);
/// the check character is `31 − (Σ value(cᵢ)·3ⁱ⁻¹ mod 31)` over the first 17 characters,
/// with 31 written as `0`.
///
/// This is the one implementation of the check; SignetTemplates extends it with the
/// field-level validation of contract forms (`validate(_:)`).
package enum UnifiedSocialCreditCode {
    /// The 31 code symbols; a symbol's value is its index.
    package static let alphabet: [Character] = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")

    /// Weights 3⁰ … 3¹⁶ mod 31 of GB 32100-2015 table 3.
    static let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

    /// Whether `code` is well formed with a correct check character.
    package static func isValid(_ code: String) -> Bool { problem(code) == nil }

    /// The check character for the first 17 characters of a code (upper case), or nil when
    /// one of them is not a code symbol or there are not exactly 17.
    package static func checkCharacter(forPrefix prefix: some StringProtocol) -> Character? {
        let characters = Array(prefix.uppercased())
        guard characters.count == 17 else { return nil }
        var sum = 0
        for (character, weight) in zip(characters, weights) {
            guard let value = alphabet.firstIndex(of: character) else { return nil }
            sum += value * weight
        }
        return alphabet[(31 - sum % 31) % 31]
    }

    /// The check character for the first 17 characters (same as `checkCharacter(forPrefix:)`).
    package static func checkCharacter(for first17: String) -> Character? { checkCharacter(forPrefix: first17) }

    /// Why `code` is not a valid code, or nil.
    static func problem(_ code: String) -> String? {
        let characters = Array(code.uppercased())
        guard characters.count == 18 else { return "must be 18 characters, got \(characters.count)" }
        if let bad = characters.first(where: { !alphabet.contains($0) }) {
            return "contains \"\(bad)\", which is not allowed (0-9 and A-Y without I, O, S, V, Z)"
        }
        guard let check = checkCharacter(forPrefix: String(characters.prefix(17))), check == characters[17] else {
            return "has a wrong check character (the last character should be \(checkCharacter(forPrefix: String(characters.prefix(17))).map(String.init) ?? "?"))"
        }
        return nil
    }
}
