import SignetTemplates
import Testing

@Suite("Bank card numbers (Luhn) and bank accounts")
struct BankNumberTests {
    @Test("accepts valid card numbers", arguments: [
        "6217001234567890122", "4111111111111111", "5555555555554444", "6228480012345671", "6222 0212 0204 1234 569", "378282246310005",
    ])
    func acceptsValid(number: String) {
        #expect(BankCardNumber.validate(number).value == number.filter(\.isNumber))
    }

    @Test("rejects a wrong check digit", arguments: ["6217001234567890123", "4111111111111112", "6228480012345670"])
    func rejectsLuhn(number: String) throws {
        let problems = try #require(BankCardNumber.validate(number).failure)
        #expect(problems.items.map(\.code) == [.bankCardChecksum])
    }

    @Test("detects every single-digit error and adjacent transposition")
    func luhnCatchesTypos() {
        let card = Array("6217001234567890122")
        for index in card.indices {
            for digit in "0123456789" where digit != card[index] {
                var typo = card
                typo[index] = digit
                #expect(!BankCardNumber.passesLuhn(String(typo)))
            }
        }
        #expect(!BankCardNumber.passesLuhn("6217001234567890212"))  // 2 and 1 swapped
    }

    @Test("rejects non-digits and wrong lengths")
    func rejectsMalformed() throws {
        #expect(try #require(BankCardNumber.validate("6217-0012-34x6").failure).items[0].code == .invalidBankCard)
        #expect(try #require(BankCardNumber.validate("42424242424").failure).items[0].message.contains("got 11"))
        #expect(try #require(BankCardNumber.validate("42424242424242424242").failure).items[0].code == .invalidBankCard)
    }

    @Test("groups digits by four for printing")
    func groups() {
        #expect(BankCardNumber.grouped("6217001234567890122") == "6217 0012 3456 7890 122")
    }

    @Test("bank accounts: digits within bounds")
    func accounts() throws {
        #expect(BankAccountNumber.validate("1202 0211 0990 0125 536", lengths: 8...30).value == "1202021109900125536")
        #expect(try #require(BankAccountNumber.validate("1234567", lengths: 8...30).failure).items[0].message.contains("got 7"))
        #expect(try #require(BankAccountNumber.validate("12345678A", lengths: 8...30).failure).items[0].code == .invalidBankAccount)
    }
}

@Suite("Telephone numbers and e-mail")
struct ContactTests {
    @Test("mainland mobiles, with or without +86 and separators")
    func chinaMobile() {
        #expect(PhoneNumber.validate("13857112468", formats: [.chinaMobile]).value == "13857112468")
        #expect(PhoneNumber.validate("+86 138-5711-2468", formats: [.chinaMobile]).value == "13857112468")
        #expect(PhoneNumber.validate("19912345678", formats: [.chinaMobile]).value == "19912345678")
    }

    @Test("rejects non-mobile numbers", arguments: ["12857112468", "1385711246", "138571124689", "0571-88888888", "+852 2816 4470"])
    func rejectsNonMobile(number: String) throws {
        let problems = try #require(PhoneNumber.validate(number, formats: [.chinaMobile]).failure)
        #expect(problems.items[0].code == .invalidPhone)
        #expect(problems.items[0].message.contains("mainland China mobile"))
    }

    @Test("E.164")
    func e164() throws {
        #expect(PhoneNumber.validate("+852 2816 4470", formats: [.e164]).value == "+85228164470")
        #expect(PhoneNumber.validate("+44 (20) 7946 0958", formats: [.e164]).value == "+442079460958")
        for bad in ["85228164470", "+0852281644", "+1234567890123456", "+1"] {
            #expect(PhoneNumber.validate(bad, formats: [.e164]).failure != nil, "\(bad)")
        }
        // Both formats allowed: a bare mainland number is accepted, the message lists both.
        #expect(PhoneNumber.validate("13857112468", formats: [.chinaMobile, .e164]).value == "13857112468")
        let both = try #require(PhoneNumber.validate("12345", formats: [.chinaMobile, .e164]).failure)
        #expect(both.items[0].message.contains("E.164") && both.items[0].message.contains("mainland"))
    }

    @Test("e-mail addresses", arguments: ["finance@qinghe-dining.cn", "a.b+tag@sub.example.com", "x@xn--fiqs8s.cn"])
    func acceptsEmail(address: String) {
        #expect(EmailAddress.validate(address).value == address)
    }

    @Test("rejects malformed e-mail", arguments: [
        "no-at-sign", "two@@example.com", "a@b", ".lead@example.com", "a..b@example.com", "a@-bad.com", "a@example.c0m", "空格 @example.com",
        "a@例子.公司",
    ])
    func rejectsEmail(address: String) throws {
        #expect(try #require(EmailAddress.validate(address).failure).items[0].code == .invalidEmail)
    }

    @Test("lower-cases the domain only")
    func normalisesEmail() {
        #expect(EmailAddress.validate(" Finance@QingHe.CN ").value == "Finance@qinghe.cn")
    }
}

@Suite("Money, percentages and dates")
struct AmountAndDateTests {
    let zero = DecimalText("0")!

    @Test("money: two decimals, currency, bounds")
    func money() throws {
        let cny = MoneyAmount.validate("50000", currencies: ["CNY"], minimum: DecimalText("100"), maximum: DecimalText("1000000"))
        #expect(cny.value?.description == "CNY 50000.00")
        #expect(cny.value?.groupedAmount == "50,000.00")
        #expect(MoneyAmount.validate("USD 0.25", currencies: ["USD", "SGD"], minimum: zero, maximum: nil).value?.description == "USD 0.25")
        #expect(MoneyAmount.validate("12.5", currencies: ["CNY"], minimum: nil, maximum: nil).value?.plainAmount == "12.50")
        #expect(MoneyAmount.validate("12.500", currencies: ["CNY"], minimum: nil, maximum: nil).value?.plainAmount == "12.50")

        let decimals = try #require(MoneyAmount.validate("12.345", currencies: ["CNY"], minimum: nil, maximum: nil).failure)
        #expect(decimals.items.map(\.code) == [.tooManyDecimals])
        let currency = try #require(MoneyAmount.validate("EUR 10", currencies: ["USD"], minimum: nil, maximum: nil).failure)
        #expect(currency.items.map(\.code) == [.currencyNotAllowed])
        let low = try #require(MoneyAmount.validate("99.99", currencies: ["CNY"], minimum: DecimalText("100"), maximum: nil).failure)
        #expect(low.items.map(\.code) == [.belowMinimum])
        let high = try #require(MoneyAmount.validate("1000000.01", currencies: ["CNY"], minimum: nil, maximum: DecimalText("1000000")).failure)
        #expect(high.items.map(\.code) == [.aboveMaximum])
        for bad in ["1,000.00", "1e3", "¥100", "", ".5", "5.", "--1", "12.3.4"] {
            #expect(MoneyAmount.validate(bad, currencies: ["CNY"], minimum: nil, maximum: nil).failure?.items.first?.code == .invalidMoney, "\(bad)")
        }
        // Several problems at once.
        let many = try #require(MoneyAmount.validate("GBP 0.001", currencies: ["CNY"], minimum: DecimalText("1"), maximum: nil).failure)
        #expect(Set(many.items.map(\.code)) == [.currencyNotAllowed, .tooManyDecimals, .belowMinimum])
    }

    @Test("Chinese capital amounts", arguments: [
        ("0", "零元整"), ("0.50", "伍角整"), ("0.05", "伍分"), ("1", "壹元整"), ("10", "壹拾元整"), ("10.05", "壹拾元零伍分"),
        ("100.50", "壹佰元伍角整"), ("1005.50", "壹仟零伍元伍角整"), ("1010", "壹仟零壹拾元整"), ("10000", "壹万元整"),
        ("50000.00", "伍万元整"), ("300000", "叁拾万元整"), ("100000.50", "壹拾万元伍角整"), ("10000001", "壹仟万零壹元整"),
        ("100010000", "壹亿零壹万元整"), ("123456789.12", "壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元壹角贰分"),
    ])
    func chineseAmount(amount: String, words: String) {
        #expect(ChineseAmount.words(DecimalText(amount)!) == words)
    }

    @Test("percentages: bounds and decimals, printed as written")
    func percentages() throws {
        let rate = Percentage.validate("0.38%", minimum: zero, maximum: DecimalText("1")!, decimals: 2)
        #expect(rate.value?.written == "0.38")
        #expect(Percentage.validate("0.50", minimum: zero, maximum: DecimalText("1")!, decimals: 2).value?.written == "0.50")
        #expect(try #require(Percentage.validate("1.01", minimum: zero, maximum: DecimalText("1")!, decimals: 2).failure).items.map(\.code) == [.aboveMaximum])
        #expect(try #require(Percentage.validate("-0.1", minimum: zero, maximum: DecimalText("1")!, decimals: 2).failure).items.map(\.code) == [.belowMinimum])
        #expect(try #require(Percentage.validate("0.385", minimum: zero, maximum: DecimalText("1")!, decimals: 2).failure).items.map(\.code) == [.tooManyDecimals])
        #expect(try #require(Percentage.validate("abc", minimum: zero, maximum: DecimalText("1")!, decimals: 2).failure).items.map(\.code) == [.invalidPercentage])
    }

    @Test("dates: real calendar days, leap years, bounds")
    func dates() throws {
        #expect(CalendarDate.validate("2024-02-29", minimum: nil, maximum: nil).value?.chinese == "2024年2月29日")
        #expect(CalendarDate.validate("2000-02-29", minimum: nil, maximum: nil).value?.english == "29 February 2000")
        for bad in ["2025-02-29", "1900-02-29", "2025-13-01", "2025-04-31", "2025-3-1", "2025/03/01", "20250301", "2025-03-01T00:00"] {
            #expect(CalendarDate.validate(bad, minimum: nil, maximum: nil).failure?.items.first?.code == .invalidDate, "\(bad)")
        }
        let bounds = (CalendarDate(iso: "2024-01-01"), CalendarDate(iso: "2099-12-31"))
        #expect(try #require(CalendarDate.validate("2023-12-31", minimum: bounds.0, maximum: bounds.1).failure).items[0].code == .belowMinimum)
        #expect(try #require(CalendarDate.validate("2100-01-01", minimum: bounds.0, maximum: bounds.1).failure).items[0].code == .aboveMaximum)
        #expect(CalendarDate.validate("2099-12-31", minimum: bounds.0, maximum: bounds.1).value != nil)
    }
}

@Suite("Text rules")
struct TextRuleTests {
    let rules = TextRules(minLength: 2, maxLength: 6)

    @Test("length in characters as people count them (CJK, combining marks)")
    func lengths() throws {
        #expect(FieldValidator.validate("林晓禾", type: .text(rules)).value == .text("林晓禾"))
        #expect(FieldValidator.validate("  Zoë  ", type: .text(rules)).value == .text("Zoë"))
        #expect(try #require(FieldValidator.validate("林", type: .text(rules)).failure).items.map(\.code) == [.tooShort])
        #expect(try #require(FieldValidator.validate("杭州青禾餐饮管理", type: .text(rules)).failure).items[0].message.contains("got 8"))
    }

    @Test("refuses bidi overrides, zero-width and control characters", arguments: [
        "ab\u{202E}cd", "ab\u{200B}cd", "ab\u{2066}cd", "ab\tc", "ab\u{7}c", "ab\u{E000}c", "ab\u{FEFF}c",
    ])
    func forbidden(text: String) throws {
        let problems = try #require(FieldValidator.validate(text, type: .text(TextRules(maxLength: 50))).failure)
        #expect(problems.items.map(\.code) == [.forbiddenCharacter])
        #expect(problems.items[0].message.contains("U+"))
    }

    @Test("multi-line text keeps line breaks (CRLF normalised), single-line refuses them")
    func newlines() throws {
        #expect(FieldValidator.validate("第一行\r\n第二行", type: .multilineText(TextRules(maxLength: 50))).value == .text("第一行\n第二行"))
        #expect(try #require(FieldValidator.validate("第一行\n第二行", type: .text(TextRules(maxLength: 50))).failure).items[0].code == .forbiddenCharacter)
    }

    @Test("patterns with a hint")
    func pattern() throws {
        let licence = TextRules(minLength: 14, maxLength: 14, pattern: "Z[0-9]{13}", patternHint: "Z 加 13 位数字")
        #expect(FieldValidator.validate("Z2046133000012", type: .text(licence)).value != nil)
        let problems = try #require(FieldValidator.validate("Y2046133000012", type: .text(licence)).failure)
        #expect(problems.items.map(\.code) == [.patternMismatch])
        #expect(problems.items[0].message.contains("Z 加 13 位数字"))
    }

    @Test("enumerations")
    func enumeration() throws {
        let options = [EnumOption(value: "T1", label: LocalizedText("T+1")), EnumOption(value: "D1", label: LocalizedText("D+1"))]
        #expect(FieldValidator.validate("D1", type: .enumeration(options)).value?.display(in: .chinese) == "D+1")
        let problems = try #require(FieldValidator.validate("T0", type: .enumeration(options)).failure)
        #expect(problems.items[0].code == .notAnOption && problems.items[0].message.contains("'T1', 'D1'"))
    }
}
