import SignetCrypto
import SignetTemplates

/// The checks of a merchant registration (`POST /v1/merchants`): every problem at once.
enum MerchantValidation {
    /// The merchant's registration in canonical form, or every problem found.
    static func validate(_ input: NewMerchant) -> Result<(MerchantRegistration, NewMerchant), ServiceError> {
        var issues: [ValidationIssue] = []
        var input = input
        input.externalID = input.externalID.trimmingWhitespace()
        if !NewMerchant.isValidExternalID(input.externalID) {
            issues.append(.init(field: "external_id", code: "invalid_format", message: "1 to 64 characters of A-Z a-z 0-9 . _ : -"))
        }
        input.name = input.name.trimmingWhitespace()
        issues += TextRule(field: "name", length: 2...100).check(input.name)
        input.legalRepresentative = input.legalRepresentative.trimmingWhitespace()
        issues += TextRule(field: "legal_representative", length: 2...60).check(input.legalRepresentative)
        input.contact.name = input.contact.name.trimmingWhitespace()
        issues += TextRule(field: "contact.name", length: 1...60).check(input.contact.name)
        if let phone = input.contact.phone {
            switch PhoneNumber.validate(phone, formats: [.chinaMobile, .e164]) {
            case .success(let canonical): input.contact.phone = canonical
            case .failure(let problems): issues += problems.map { .init(field: "contact.phone", code: $0.code.rawValue, message: $0.message) }
            }
        }
        if let email = input.contact.email {
            switch EmailAddress.validate(email) {
            case .success(let canonical): input.contact.email = canonical
            case .failure(let problems): issues += problems.map { .init(field: "contact.email", code: $0.code.rawValue, message: $0.message) }
            }
        }
        let registration = registration(input.registration, issues: &issues)
        guard issues.isEmpty, let registration else { return .failure(.validationFailed(issues)) }
        return .success((registration, input))
    }

    private static func registration(_ input: NewMerchant.RegistrationInput, issues: inout [ValidationIssue]) -> MerchantRegistration? {
        switch (input.creditCode, input.number, input.country) {
        case (let code?, nil, nil):
            switch UnifiedSocialCreditCode.validate(code) {
            case .success(let canonical): return .creditCode(canonical)
            case .failure(let problems):
                issues += problems.map { .init(field: "registration.credit_code", code: $0.code.rawValue, message: $0.message) }
                return nil
            }
        case (nil, let number?, let country?):
            let number = number.trimmingWhitespace()
            let country = country.trimmingWhitespace().uppercased()
            var ok = true
            if !(2...40).contains(number.count)
                || !number.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterClass.alphanumeric($0) || " ./-".unicodeScalars.contains($0)) }) {
                issues.append(.init(field: "registration.number", code: "invalid_format",
                                    message: "2 to 40 characters of letters, digits, spaces, dots, slashes and hyphens"))
                ok = false
            }
            if country == "CN" {
                issues.append(.init(field: "registration.country", code: "use_credit_code",
                                    message: "a mainland China company registers with its unified social credit code (registration.credit_code)"))
                ok = false
            } else if !CountryCodes.assigned.contains(country) {
                issues.append(.init(field: "registration.country", code: "invalid_country",
                                    message: "'\(country)' is not an ISO 3166-1 alpha-2 country code"))
                ok = false
            }
            return ok ? .foreign(number: number, country: country) : nil
        default:
            issues.append(.init(field: "registration", code: "invalid_registration",
                                message: "give either credit_code (mainland China) or number and country"))
            return nil
        }
    }
}

/// Length and character rules of a free-text member.
struct TextRule {
    /// The member's path.
    var field: String
    /// Allowed length in characters.
    var length: ClosedRange<Int>

    /// The problems of `text`.
    func check(_ text: String) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if text.count < length.lowerBound {
            issues.append(.init(field: field, code: "too_short", message: "at least \(length.lowerBound) characters"))
        } else if text.count > length.upperBound {
            issues.append(.init(field: field, code: "too_long", message: "at most \(length.upperBound) characters"))
        }
        let forbidden = TextChecks.forbiddenCharacters(in: text, allowNewlines: false)
        if !forbidden.isEmpty {
            issues.append(.init(field: field, code: "forbidden_character", message: "contains \(forbidden.joined(separator: ", "))"))
        }
        return issues
    }
}

/// ASCII character classes.
enum CharacterClass {
    /// A–Z, a–z, 0–9.
    static func alphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
    }
}
