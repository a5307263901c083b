import SignetTemplates

/// The merchant's party fields of a template, taken from its record: a contract must name the
/// merchant exactly as registered.
enum MerchantPartyFields {
    /// The English names of jurisdictions written into English contracts.
    static let jurisdictionNames: [String: String] = [
        "CN": "Mainland China", "HK": "Hong Kong SAR", "MO": "Macao SAR", "SG": "Singapore", "GB": "United Kingdom",
        "US": "United States", "DE": "Germany", "FR": "France", "NL": "Netherlands", "IE": "Ireland", "JP": "Japan",
        "KR": "Republic of Korea", "AU": "Australia", "CA": "Canada", "MY": "Malaysia", "TH": "Thailand",
        "AE": "United Arab Emirates", "CH": "Switzerland", "LU": "Luxembourg",
    ]

    /// Values from the record for the template's `merchant_*` fields: `strict` ones must not
    /// differ from a request value; `defaults` only fill a field the request left empty.
    static func values(for merchant: Merchant, template: ContractTemplate) -> (strict: [String: String], defaults: [String: String]) {
        let names = Set(template.manifest.fields.map(\.name))
        var strict: [String: String] = [:]
        var defaults: [String: String] = [:]
        func put(_ name: String, _ value: String?, into dictionary: inout [String: String]) {
            guard names.contains(name), let value, !value.isEmpty else { return }
            dictionary[name] = value
        }
        put("merchant_name", merchant.name, into: &strict)
        switch merchant.registration {
        case .creditCode(let code):
            put("merchant_credit_code", code, into: &strict)
            put("merchant_registration_no", code, into: &strict)
            put("merchant_jurisdiction", jurisdictionNames["CN"], into: &strict)
        case .foreign(let number, let country):
            put("merchant_registration_no", number, into: &strict)
            put("merchant_jurisdiction", jurisdictionNames[country] ?? country, into: &strict)
        }
        put("merchant_legal_rep", merchant.legalRepresentative, into: &strict)
        put("merchant_contact", merchant.contact.name, into: &strict)
        put("merchant_phone", merchant.contact.phone, into: &strict)
        put("merchant_email", merchant.contact.email, into: &strict)
        // The signatory may be someone the legal representative authorised: a default only.
        put("merchant_signatory", merchant.legalRepresentative, into: &defaults)
        return (strict, defaults)
    }

    /// `fields` with the record's values filled in, or the conflicts found.
    static func merge(_ fields: FieldValues, merchant: Merchant, template: ContractTemplate) -> (FieldValues, [ValidationIssue]) {
        let (strict, defaults) = values(for: merchant, template: template)
        var merged = fields.values
        var issues: [ValidationIssue] = []
        for (name, value) in strict.sorted(by: { $0.key < $1.key }) {
            if let given = merged[name], !isEmpty(given) {
                if case .string(let text) = given, same(text, value) { merged[name] = .string(value); continue }
                issues.append(.init(field: "fields.\(name)", code: "conflicts_with_merchant",
                                    message: "differs from the merchant's record ('\(value)'); leave it out or update the merchant"))
            } else {
                merged[name] = .string(value)
            }
        }
        for (name, value) in defaults where merged[name].map(isEmpty) ?? true { merged[name] = .string(value) }
        return (FieldValues(merged), issues)
    }

    private static func isEmpty(_ value: JSONValue) -> Bool {
        switch value {
        case .null: true
        case .string(let text): text.trimmingWhitespace().isEmpty
        default: false
        }
    }

    private static func same(_ given: String, _ recorded: String) -> Bool {
        given.trimmingWhitespace().uppercased() == recorded.uppercased()
    }
}

import SignetCrypto
