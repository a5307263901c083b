import FoundationEssentials
import SignetCrypto
public import SignetTemplates

/// A signing party of a contract, as the contract itself names it.
public struct ContractParty: Sendable, Hashable {
    /// The company, e.g. 示例商户有限公司.
    public var organizationName: String
    /// Where the company is registered and under which number: for mainland China its
    /// unified social credit code.
    public var registration: Registration?
    /// The person who signs for it (its signatory or legal representative), or the
    /// company itself when the contract names no person (a company seal).
    public var signerName: String

    /// A company registration: ISO 3166 country and the national register number.
    public struct Registration: Sendable, Hashable {
        /// The ISO 3166-1 alpha-2 code of the register's country, e.g. `CN`.
        public var countryCode: String
        /// The number in that country's register (for `CN`, the 18-character unified social credit code).
        public var number: String
        /// A registration under `number` in the register of `countryCode`.
        public init(countryCode: String, number: String) {
            self.countryCode = countryCode
            self.number = number
        }
    }

    /// A party as given; `ContractParty(role:in:)` reads one from a rendered contract instead.
    public init(organizationName: String, registration: Registration?, signerName: String) {
        self.organizationName = organizationName
        self.registration = registration
        self.signerName = signerName
    }

    /// The party playing `role` (e.g. `.merchant`, `.platform`) in a rendered contract, from the
    /// template fields `<role>_name`; `<role>_credit_code` (mainland China), or else
    /// `<role>_registration_no` with `<role>_jurisdiction` (no registration when either is
    /// missing); and the person from `<role>_signatory` or `<role>_legal_rep`.
    public init(role: PartyRole, in contract: RenderedContract) throws {
        func value(_ suffix: String) -> String? {
            guard let text = contract.fields["\(role)_\(suffix)"]?.trimmingWhitespace(), !text.isEmpty else { return nil }
            return text
        }
        guard let name = value("name") else { throw ContractSigningError.missingPartyField(role: role, field: "\(role)_name") }
        var registration: Registration?
        if let code = value("credit_code") {
            registration = Registration(countryCode: "CN", number: code)
        } else if let number = value("registration_no"), let jurisdiction = value("jurisdiction") {
            guard let country = Self.countryCode(ofJurisdiction: jurisdiction) else {
                throw ContractSigningError.unknownJurisdiction(role: role, jurisdiction: jurisdiction)
            }
            registration = Registration(countryCode: country, number: number)
        }
        self.init(organizationName: name, registration: registration, signerName: value("signatory") ?? value("legal_rep") ?? name)
    }

    /// ISO 3166 codes of the jurisdictions Signet's templates offer.
    static let jurisdictions: [String: String] = [
        "mainland china": "CN", "china": "CN", "people's republic of china": "CN", "中国": "CN", "中国大陆": "CN",
        "hong kong": "HK", "hong kong sar": "HK", "香港": "HK", "macao": "MO", "macau": "MO", "澳门": "MO",
        "singapore": "SG", "united kingdom": "GB", "england and wales": "GB", "united states": "US",
        "germany": "DE", "france": "FR", "netherlands": "NL", "ireland": "IE", "japan": "JP", "korea": "KR",
        "republic of korea": "KR", "australia": "AU", "canada": "CA", "malaysia": "MY", "thailand": "TH",
        "united arab emirates": "AE", "switzerland": "CH", "luxembourg": "LU",
    ]

    /// The ISO 3166 code for a jurisdiction's name or code.
    static func countryCode(ofJurisdiction text: String) -> String? {
        let key = text.trimmingWhitespace().lowercased()
        if let code = jurisdictions[key] { return code }
        let upper = key.uppercased()
        return upper.count == 2 && Set(jurisdictions.values).contains(upper) ? upper : nil
    }
}
