/// A merchant to register, as the API receives it (`POST /v1/merchants`); the service
/// validates it (`MerchantValidation`).
public struct NewMerchant: Sendable, Hashable {
    /// The integrator's id, 1…64 of `[A-Za-z0-9._:-]`.
    public var externalID: String
    /// The registered company name, 2…100 characters.
    public var name: String
    /// `credit_code`, or `number` with `country`.
    public var registration: RegistrationInput
    /// 2…60 characters.
    public var legalRepresentative: String
    /// The contact person.
    public var contact: MerchantContact

    /// A registration as given: exactly one of a credit code or a number with a country.
    public struct RegistrationInput: Sendable, Hashable {
        /// Mainland China: the unified social credit code.
        public var creditCode: String?
        /// Elsewhere: the register number …
        public var number: String?
        /// … and the ISO 3166-1 alpha-2 country of the register.
        public var country: String?

        /// A registration input.
        public init(creditCode: String? = nil, number: String? = nil, country: String? = nil) {
            self.creditCode = creditCode
            self.number = number
            self.country = country
        }
    }

    /// A merchant input.
    public init(externalID: String, name: String, registration: RegistrationInput, legalRepresentative: String,
                contact: MerchantContact) {
        self.externalID = externalID
        self.name = name
        self.registration = registration
        self.legalRepresentative = legalRepresentative
        self.contact = contact
    }
}

extension NewMerchant {
    /// Whether `externalID` is 1…64 of `[A-Za-z0-9._:-]` (the form `POST /v1/merchants` accepts).
    public static func isValidExternalID(_ externalID: String) -> Bool {
        (1...64).contains(externalID.count)
            && externalID.unicodeScalars.allSatisfy { $0.isASCII && (CharacterClass.alphanumeric($0) || "._:-".unicodeScalars.contains($0)) }
    }
}
