public import SignetPKI
import SignetTemplates

/// The legal entities the templates name as the platform party (their `platform_name`
/// defaults), which the platform's seals must name: a contract is countersigned with the
/// seal of exactly the company it names (`ContractSigningFlow.countersignAsPlatform`).
public struct PlatformEntity: Sendable, Hashable {
    /// The company name as the contract prints it.
    public var organization: String
    /// ISO 3166 country of its register.
    public var countryCode: String
    /// Its register number (the credit code in China), when the template gives one.
    public var registrationNumber: String?

    /// Every platform entity of the catalog's newest template versions, in template order
    /// (the first is the service's own company).
    public static func all(in catalog: TemplateCatalog) throws -> [PlatformEntity] {
        var entities: [PlatformEntity] = []
        for listing in try catalog.list() {
            guard let manifest = listing.latest else { continue }
            func defaultValue(_ name: String) -> String? { manifest.fields.first { $0.name == name }?.defaultValue }
            guard let name = defaultValue("platform_name") else { continue }
            // As the contract will name it (`ContractParty`): a credit code, or a register number
            // with a known jurisdiction; otherwise no registration (country CN, as `signet demo`).
            var entity = PlatformEntity(organization: name, countryCode: "CN", registrationNumber: defaultValue("platform_credit_code"))
            if entity.registrationNumber == nil, let number = defaultValue("platform_registration_no"),
               let country = defaultValue("platform_jurisdiction").flatMap(ContractParty.countryCode(ofJurisdiction:)) {
                entity.registrationNumber = number
                entity.countryCode = country
            }
            if !entities.contains(where: { $0.organization == entity.organization }) { entities.append(entity) }
        }
        return entities
    }

    /// Issues a development seal in `keys` for every entity that has none; returns the names
    /// of the entities that got one.
    @discardableResult
    public static func ensureSeals(for entities: [PlatformEntity], in keys: KeyDirectory, passphrase: String?) throws -> [String] {
        var issued: [String] = []
        for entity in entities where try keys.seal(for: entity.organization, passphrase: passphrase) == nil {
            try keys.issueSeal(organization: entity.organization, countryCode: entity.countryCode,
                               registrationNumber: entity.registrationNumber, passphrase: passphrase)
            issued.append(entity.organization)
        }
        return issued
    }
}
