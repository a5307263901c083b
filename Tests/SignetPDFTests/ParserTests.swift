import Testing
import SignetPDF

@Suite struct ParserTests {
    @Test func scalars() throws {
        #expect(try parseObject("null") == .null)
        #expect(try parseObject(" true ") == .boolean(true))
        #expect(try parseObject("false") == .boolean(false))
        #expect(try parseObject("42") == .integer(42))
        #expect(try parseObject("-17") == .integer(-17))
        #expect(try parseObject("+5") == .integer(5))
        #expect(try parseObject("% comment\n 7 % trailing") == .integer(7))
    }

    @Test func realsKeepTheirText() throws {
        for text in ["3.14", "-.5", ".25", "4.", "-0.000", "+1.50", "0.1"] {
            let object = try parseObject(text)
            guard case .real(let real) = object else {
                Issue.record("\(text) parsed as \(object)")
                continue
            }
            #expect(real.text == text)
            #expect(PDFSerializer.string(object) == text)
        }
        #expect(try parseObject("-.5").numberValue == -0.5)
        #expect(try parseObject("4.").numberValue == 4)
        #expect(try parseObject(".50") == parseObject("0.5"))  // numeric equality
        #expect(try parseObject("1.0") != parseObject("1"))  // a real is not an integer
        #expect(PDFReal(1.5).text == "1.5")
        #expect(PDFReal(-0.25).text == "-0.25")
        #expect(PDFReal(3).text == "3")
        #expect(PDFReal(1e-7).text == "0")
        #expect(PDFReal(595.2756).text == "595.2756")
    }

    @Test func malformedNumbersAreErrors() {
        for text in ["1.2.3", "--5", "-", ".", "12abc", "99999999999999999999"] {
            #expect(throws: PDFError.self, "\(text)") { try parseObject(text) }
        }
        #expect(throws: PDFError.invalidNumber(offset: 0)) { try parseObject("99999999999999999999") }
    }

    @Test func literalStrings() throws {
        #expect(try parseObject("(abc)") == .string(PDFString("abc")))
        #expect(try parseObject("(a(b)c)").stringValue?.bytes == Array("a(b)c".utf8))
        #expect(try parseObject(#"(\(\)\\\n\r\t\b\f)"#).stringValue?.bytes == [0x28, 0x29, 0x5C, 0x0A, 0x0D, 0x09, 0x08, 0x0C])
        #expect(try parseObject(#"(\101\1012\7)"#).stringValue?.bytes == [0x41, 0x41, 0x32, 0x07])
        #expect(try parseObject("(line\\\ncontinued)").stringValue?.bytes == Array("linecontinued".utf8))
        #expect(try parseObject("(a\r\nb\rc)").stringValue?.bytes == Array("a\nb\nc".utf8))
        #expect(try parseObject(#"(\q)"#).stringValue?.bytes == Array("q".utf8))
        #expect(throws: PDFError.invalidString(reason: "unterminated literal string", offset: 0)) { try parseObject("(abc") }
    }

    @Test func hexStrings() throws {
        let s = try parseObject("<48 65 6C6c 6F>").stringValue
        #expect(s?.bytes == Array("Hello".utf8))
        #expect(s?.form == .hex)
        #expect(try parseObject("<ABC>").stringValue?.bytes == [0xAB, 0xC0])
        #expect(try parseObject("<>").stringValue?.bytes == [])
        #expect(try parseObject("<A\n B\r\tC\0 D>").stringValue?.bytes == [0xAB, 0xCD])
        #expect(try parseObject("<a>").stringValue?.bytes == [0xA0])
        #expect(try parseObject("<0 1 23\n4 5 6>").stringValue?.bytes == [0x01, 0x23, 0x45, 0x60])
        // Digit pairs are decoded two at a time; whitespace anywhere must give what a
        // digit-by-digit reading gives.
        for _ in 0..<200 {
            let text = (0..<Int.random(in: 0...41)).map { _ in "0123456789abcdefABCDEF \n\t".randomElement()! }
            let digits = text.compactMap(\.hexDigitValue).map(UInt8.init)
            let expected = stride(from: 0, to: digits.count, by: 2).map { digits[$0] << 4 | ($0 + 1 < digits.count ? digits[$0 + 1] : 0) }
            #expect(try parseObject("<\(String(text))>").stringValue?.bytes == expected, "\(String(text))")
        }
        let invalid = PDFError.invalidString(reason: "invalid character in hex string", offset: 3)
        #expect(throws: invalid) { try parseObject("<12G4>") }
        #expect(throws: invalid) { try parseObject("<12G4") }  // the bad digit, not the missing `>`
        #expect(throws: PDFError.invalidString(reason: "unterminated hex string", offset: 0)) { try parseObject("<12 34") }
        // Equality is on bytes, the form is kept for serialisation.
        #expect(try parseObject("<414243>") == parseObject("(ABC)"))
        #expect(PDFSerializer.string(try parseObject("<414243>")) == "<414243>")
    }

    @Test func names() throws {
        #expect(try parseObject("/Type") == .name("Type"))
        #expect(try parseObject("/A#20B").nameValue?.bytes == Array("A B".utf8))
        #expect(try parseObject("/#2F#28x").nameValue?.bytes == Array("/(x".utf8))
        #expect(try parseObject("/") == .name(PDFName(bytes: [])))
        #expect(throws: PDFError.self) { try parseObject("/A#2") }
        #expect(throws: PDFError.self) { try parseObject("/A#zz") }
        #expect(throws: PDFError.self) { try parseObject("/A#00") }
        #expect(PDFSerializer.string(.name(PDFName(bytes: Array("A B#/é".utf8)))) == "/A#20B#23#2F#C3#A9")
    }

    @Test func arraysDictionariesAndReferences() throws {
        let object = try parseObject("<< /Type /Page /Kids [1 0 R 2 0 R 3] /N 4 /M 6 0 R>>")
        guard case .dictionary(let dict) = object else { Issue.record("not a dictionary"); return }
        #expect(dict.keys == ["Type", "Kids", "N", "M"])
        #expect(dict["Kids"] == .array([.reference(PDFReference(1, 0)), .reference(PDFReference(2, 0)), .integer(3)]))
        #expect(dict["M"] == .reference(PDFReference(6, 0)))
        #expect(try parseObject("[1 2 R]") == .array([.reference(PDFReference(1, 2))]))
        #expect(try parseObject("[1 2]") == .array([.integer(1), .integer(2)]))
        #expect(throws: PDFError.self) { try parseObject("[1 0 Rx]") }
        #expect(try parseObject("[1 0 R/x]") == .array([.reference(PDFReference(1, 0)), .name("x")]))
        #expect(try parseObject("[/a/b<00>(c)[]<<>>]").arrayValue?.count == 6)
        #expect(try parseObject("<</A null>>").dictionaryValue?["A"] == nil)
        #expect(try parseObject("<</A null>>").dictionaryValue?.contains("A") == true)
    }

    @Test func keyOrderIsKept() throws {
        let text = "<</Z 1 /A 2 /M 3>>"
        let object = try parseObject(text)
        #expect(object.dictionaryValue?.keys == ["Z", "A", "M"])
        #expect(PDFSerializer.string(object) == "<</Z 1 /A 2 /M 3>>")
        // A different order is a different dictionary.
        #expect(try parseObject("<</A 2 /Z 1 /M 3>>") != object)
    }

    @Test func structuralErrors() {
        #expect(throws: PDFError.duplicateKey("A", offset: 7)) { try parseObject("<</A 1 /A 2>>") }
        #expect(throws: PDFError.self) { try parseObject("<</A>>") }
        #expect(throws: PDFError.self) { try parseObject("<<1 2>>") }
        #expect(throws: PDFError.unexpectedEndOfInput(offset: 3)) { try parseObject("[1 ") }
        #expect(throws: PDFError.self) { try parseObject("endobj") }
        #expect(throws: PDFError.self) { try parseObject("1 2") }  // two objects
        #expect(throws: PDFError.self) { try parseObject("9999999999 0 R") }  // object number limit
        #expect(throws: PDFError.self) { try parseObject("1 70000 R") }  // generation limit
    }

    @Test func nestingLimit() throws {
        let ok = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        #expect(try parseObject(ok).arrayValue != nil)
        let deep = String(repeating: "[", count: 100_000)
        #expect(throws: PDFError.nestingTooDeep(limit: 256, offset: 256)) { try parseObject(deep) }
        let deepDicts = String(repeating: "<</A ", count: 300) + "1" + String(repeating: ">>", count: 300)
        #expect(throws: PDFError.self) { try parseObject(deepDicts) }
        var options = PDFReadOptions()
        options.maxNestingDepth = 3
        #expect(throws: PDFError.nestingTooDeep(limit: 3, offset: 3)) {
            try PDFObjectParser.parse(Array("[[[[1]]]]".utf8), options: options)
        }
    }

    @Test func serializerRoundTrips() throws {
        let samples = [
            "<</Type /Annot /Rect [0 0 10.5 20] /T (Sig\\(1\\)) /V <00FF> /F 4 /P 3 0 R /B true /N null>>",
            "[/Name#20X (a\\nb) -3 .5 [] <<>>]",
            "(\\000\\377\\200tab\\t)",
        ]
        for text in samples {
            let object = try parseObject(text)
            let bytes = PDFSerializer.serialize(object)
            #expect(try PDFObjectParser.parse(bytes) == object)
            #expect(PDFSerializer.serialize(try PDFObjectParser.parse(bytes)) == bytes)
        }
        #expect(PDFSerializer.string(.string(PDFString(bytes: [0x28, 0x5C, 0x0A, 0x00, 0xE9]))) == "(\\(\\\\\\n\\000\\351)")
        #expect(PDFSerializer.string(try parseObject("<</A [1 2 3 0 R] /B<</C/D>>>>")) == "<</A [1 2 3 0 R] /B <</C /D>>>>")
    }

    @Test func textStrings() {
        #expect(PDFString(bytes: [0xFE, 0xFF, 0x4E, 0x2D, 0x65, 0x87]).text == "中文")
        #expect(PDFString(bytes: [0xEF, 0xBB, 0xBF] + Array("é".utf8)).text == "é")
        #expect(PDFString(bytes: [0x41, 0xE9]).text == "Aé")
    }
}
