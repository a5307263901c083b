public import SignetTemplates

/// Why a contract cannot be signed as asked.
public enum ContractSigningError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The contract lacks a field that names a party.
    case missingPartyField(role: PartyRole, field: String)
    /// The template has no signature box for the role.
    case noSignatureBox(role: PartyRole)
    /// The merchant has no registration (credit code or register number), which its event
    /// certificate needs.
    case missingRegistration(role: PartyRole)
    /// The jurisdiction a party is registered in is not one Signet knows the country of.
    case unknownJurisdiction(role: PartyRole, jurisdiction: String)
    /// The platform's seal certificate names another company than the contract does.
    case sealDoesNotMatchParty(certificateOrganization: String, contractParty: String)

    /// A stable, machine-readable code for the case, e.g. `contract_signing.missing_party_field` (docs/error-codes.md):
    /// for programs and the API's problem details; `description` is for people.
    public var code: String {
        switch self {
        case .missingPartyField: "contract_signing.missing_party_field"
        case .noSignatureBox: "contract_signing.no_signature_box"
        case .missingRegistration: "contract_signing.missing_registration"
        case .unknownJurisdiction: "contract_signing.unknown_jurisdiction"
        case .sealDoesNotMatchParty: "contract_signing.seal_does_not_match_party"
        }
    }

    /// A one-line message for people; `code` is the stable machine-readable form.
    public var description: String {
        switch self {
        case .missingPartyField(let role, let field): "the contract names no \(role): field \(field) is empty"
        case .noSignatureBox(let role): "the template has no signature box for \(role)"
        case .missingRegistration(let role):
            "the \(role) has neither a unified social credit code nor a registration number; its event certificate needs one"
        case .unknownJurisdiction(let role, let jurisdiction):
            "the \(role)'s jurisdiction '\(jurisdiction)' is not a known country; write its ISO 3166 code"
        case .sealDoesNotMatchParty(let organization, let party):
            "the platform seal certificate belongs to '\(organization)', but the contract is with '\(party)': "
                + "sign with that company's seal (signet keys seal --org '\(party)')"
        }
    }
}
