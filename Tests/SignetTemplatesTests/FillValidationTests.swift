import Foundation
import SignetTemplates
import Testing

@Suite("Validating one fill")
struct FillValidationTests {
    @Test("every error of a fill is reported together, with field, code and message")
    func allErrorsAtOnce() throws {
        let template = try Fixtures.template("merchant-service-agreement")
        var values = try Fixtures.sample(template)
        values["merchant_credit_code"] = .string("91330102MA28GH6T7X")  // wrong check character
        values["merchant_phone"] = .string("12345")
        values["debit_card_rate"] = .string("1.5")  // above 1%
        values["start_date"] = .string("2025-02-30")
        values["settlement_account_no"] = .string("12-34")
        values["merchant_name"] = nil  // required
        values["store_name"] = .array([])  // wrong JSON type
        values["merchant_nmae"] = .string("typo")  // unknown
        let error = try #require(throws: FieldValidationError.self) { try template.validate(values) }
        let found = error.errors.map { "\($0.field):\($0.code.rawValue)" }
        #expect(found == [
            "merchant_name:required",
            "merchant_credit_code:credit_code_check_character",
            "merchant_phone:invalid_phone",
            "store_name:type_mismatch",
            "debit_card_rate:above_maximum",
            "settlement_account_no:invalid_bank_account",
            "start_date:invalid_date",
            "merchant_nmae:unknown_field",
        ])
        #expect(error.errors.allSatisfy { !$0.message.isEmpty })
        #expect(error.description.contains("8 field problems"))
    }

    @Test("defaults fill omitted fields; optional fields may be empty; numbers are accepted for amounts")
    func defaultsAndOptional() throws {
        let template = try Fixtures.template("merchant-service-agreement")
        var values = try Fixtures.sample(template)
        values["settlement_cycle"] = nil
        values["special_terms"] = .null
        values["deposit_amount"] = .number("2500.5")
        let filled = try template.validate(values)
        #expect(filled["settlement_cycle"]?.canonical == "T1")
        #expect(filled["platform_name"]?.canonical == "星河支付有限公司")
        #expect(filled["special_terms"] == .empty)
        #expect(filled["deposit_amount"]?.canonical == "CNY 2500.50")
        values["merchant_name"] = .number("12")
        let error = try #require(throws: FieldValidationError.self) { try template.validate(values) }
        #expect(error.errors.map(\.code) == [.typeMismatch])
    }

    @Test("fills parse from JSON; non-objects are refused")
    func parsing() throws {
        let values = try FieldValues(json: Data(#"{"a": "x", "b": 12.50, "c": null}"#.utf8))
        #expect(values["a"] == .string("x") && values["b"] == .number("12.5") && values["c"] == .null)
        #expect(throws: FieldValuesError.self) { try FieldValues(json: Data("[1]".utf8)) }
        #expect(throws: FieldValuesError.self) { try FieldValues(json: Data("{".utf8)) }
    }

    @Test("every sample fill is valid", arguments: Fixtures.templateIDs)
    func samplesValidate(id: String) throws {
        let template = try Fixtures.template(id)
        _ = try template.validate(try Fixtures.sample(template))
    }
}
