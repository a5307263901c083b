public import FoundationEssentials

/// A merchant the platform onboards: the legal entity that signs contracts.
public struct Merchant: Sendable, Hashable, Codable {
    /// `mer_…`.
    public var id: String
    /// The integrator's own id for the merchant, unique.
    public var externalID: String
    /// The registered company name.
    public var name: String
    /// Where and under which number the company is registered.
    public var registration: MerchantRegistration
    /// The legal representative (法定代表人) or authorised signatory.
    public var legalRepresentative: String
    /// Who to contact.
    public var contact: MerchantContact
    /// When the record was created.
    public var createdAt: Date

    /// A merchant record with every member given.
    public init(id: String, externalID: String, name: String, registration: MerchantRegistration,
                legalRepresentative: String, contact: MerchantContact, createdAt: Date) {
        self.id = id
        self.externalID = externalID
        self.name = name
        self.registration = registration
        self.legalRepresentative = legalRepresentative
        self.contact = contact
        self.createdAt = createdAt
    }
}

/// A company registration: a mainland China unified social credit code, or a register
/// number with the ISO 3166-1 alpha-2 country of the register.
public enum MerchantRegistration: Sendable, Hashable, Codable {
    /// 统一社会信用代码 (canonical upper case, check character valid).
    case creditCode(String)
    /// A register number outside mainland China.
    case foreign(number: String, country: String)

    /// The ISO 3166 country of the register.
    public var countryCode: String {
        switch self {
        case .creditCode: "CN"
        case .foreign(_, let country): country
        }
    }

    /// The register number (the credit code in China).
    public var number: String {
        switch self {
        case .creditCode(let code): code
        case .foreign(let number, _): number
        }
    }
}

/// A merchant's contact person.
public struct MerchantContact: Sendable, Hashable, Codable {
    /// The person's name.
    public var name: String
    /// A mainland mobile number or an E.164 number.
    public var phone: String?
    /// An e-mail address.
    public var email: String?

    /// A contact with the given members.
    public init(name: String, phone: String? = nil, email: String? = nil) {
        self.name = name
        self.phone = phone
        self.email = email
    }
}
