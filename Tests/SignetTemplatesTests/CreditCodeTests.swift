import SignetCrypto
import SignetTemplates
import Testing

@Suite("Unified social credit code (GB 32100-2015)")
struct CreditCodeTests {
    /// Published codes of real organisations (their check characters are known good).
    static let realCodes = [
        "91440300708461136T",  // Shenzhen Tencent Computer Systems Co., Ltd.
        "914403001922038216",  // Huawei Technologies Co., Ltd.
        "91330100716105852F",
        "9111000071093465XC",
        "91110108551385082Q",
        "12100000400000624D",  // a public institution (registration authority 1)
    ]

    @Test("accepts real codes", arguments: realCodes)
    func acceptsRealCodes(code: String) {
        #expect(UnifiedSocialCreditCode.validate(code) == .success(code))
    }

    @Test("computes the check character of real codes", arguments: realCodes)
    func computesCheckCharacter(code: String) {
        #expect(UnifiedSocialCreditCode.checkCharacter(forPrefix: code.prefix(17)) == code.last)
    }

    @Test("rejects every wrong check character", arguments: realCodes)
    func rejectsWrongCheckCharacters(code: String) throws {
        for symbol in UnifiedSocialCreditCode.alphabet where symbol != code.last {
            let wrong = String(code.dropLast()) + String(symbol)
            let problems = try #require(UnifiedSocialCreditCode.validate(wrong).failure)
            #expect(problems.items.map(\.code) == [.creditCodeCheckCharacter])
            #expect(problems.items[0].message.contains("should be '\(code.last!)'"))
        }
    }

    @Test("normalises lower case and surrounding spaces")
    func normalises() {
        #expect(UnifiedSocialCreditCode.validate("  91440300708461136t ") == .success("91440300708461136T"))
    }

    @Test("rejects wrong length, letters outside the alphabet, non-digit region codes")
    func rejectsMalformed() throws {
        let short = try #require(UnifiedSocialCreditCode.validate("9144030070846113").failure)
        #expect(short.items.map(\.code) == [.invalidCreditCode])
        #expect(short.items[0].message.contains("got 16"))

        // I, O, S, V, Z are not code symbols.
        let letters = try #require(UnifiedSocialCreditCode.validate("91440300708461I36T").failure)
        #expect(letters.items.contains { $0.code == .invalidCreditCode && $0.message.contains("'I' at position 15") })

        let region = try #require(UnifiedSocialCreditCode.validate("9144A300708461136T").failure)
        #expect(region.items.contains { $0.message.contains("administrative division") })

        let authority = try #require(UnifiedSocialCreditCode.validate("B1440300708461136T").failure)
        #expect(authority.items.contains { $0.message.contains("registration authority") })
    }

    @Test("a single changed character is detected")
    func detectsSubstitution() {
        // Changing any one of the first 17 characters changes the check character.
        let code = "91440300708461136T"
        for index in 0..<17 {
            var characters = Array(code)
            let current = UnifiedSocialCreditCode.alphabet.firstIndex(of: characters[index])!
            characters[index] = UnifiedSocialCreditCode.alphabet[(current + 1) % 10]  // stay within digits
            if case .success = UnifiedSocialCreditCode.validate(String(characters)) {
                Issue.record("change at position \(index + 1) not detected")
            }
        }
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { error } else { nil }
    }
    var value: Success? {
        if case .success(let value) = self { value } else { nil }
    }
}
