import SignetCrypto
import SignetTemplates

/// The signers of a new contract: one per template role in the template's order; link
/// signers as given (the merchant's defaults to its legal representative and contact), the
/// platform role signing by seal.
enum ContractSigners {
    static func make(_ inputs: [NewContract.SignerInput], template: ContractTemplate, merchant: Merchant,
                     fields: FieldValues, issues: inout [ValidationIssue]) -> [Signer] {
        let roles = template.manifest.signers.map(\.role)
        var byRole: [PartyRole: (Int, NewContract.SignerInput)] = [:]
        for (index, input) in inputs.enumerated() {
            let role = PartyRole(rawValue: input.role)
            if !roles.contains(role) {
                issues.append(.init(field: "signers[\(index)].role", code: "unknown_role",
                                    message: "the template's roles are \(roles.map(\.rawValue).joined(separator: ", "))"))
            } else if role == .platform {
                issues.append(.init(field: "signers[\(index)].role", code: "platform_signs_automatically",
                                    message: "the platform countersigns with its seal; do not list it"))
            } else if byRole[role] != nil {
                issues.append(.init(field: "signers[\(index)].role", code: "duplicate_role", message: "\(role) is listed twice"))
            } else {
                byRole[role] = (index, input)
            }
        }
        var signers: [Signer] = []
        for role in roles {
            if role == .platform {
                let name = fields["platform_name"].flatMap { if case .string(let text) = $0 { text } else { nil } } ?? "platform"
                signers.append(Signer(role: role, method: .platform, name: name))
                continue
            }
            guard let (index, input) = byRole[role] else {
                if role == .merchant {
                    signers.append(Signer(role: role, method: .link, name: merchant.legalRepresentative,
                                          phone: merchant.contact.phone, email: merchant.contact.email))
                } else {
                    issues.append(.init(field: "signers", code: "required", message: "give a signer for the role \(role)"))
                }
                continue
            }
            var signer = Signer(role: role, method: .link, name: input.name.trimmingWhitespace())
            issues += TextRule(field: "signers[\(index)].name", length: 2...60).check(signer.name)
            if let phone = input.phone {
                switch PhoneNumber.validate(phone, formats: [.chinaMobile, .e164]) {
                case .success(let canonical): signer.phone = canonical
                case .failure(let problems):
                    issues += problems.map { .init(field: "signers[\(index)].phone", code: $0.code.rawValue, message: $0.message) }
                }
            } else if role == .merchant {
                signer.phone = merchant.contact.phone
            }
            if let email = input.email {
                switch EmailAddress.validate(email) {
                case .success(let canonical): signer.email = canonical
                case .failure(let problems):
                    issues += problems.map { .init(field: "signers[\(index)].email", code: $0.code.rawValue, message: $0.message) }
                }
            } else if role == .merchant {
                signer.email = merchant.contact.email
            }
            signers.append(signer)
        }
        return signers
    }
}

/// Limits of a contract's `metadata`.
enum ContractMetadataRules {
    static func check(_ metadata: [String: String]) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if metadata.count > 20 { issues.append(.init(field: "metadata", code: "too_many_keys", message: "at most 20 keys")) }
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            if key.isEmpty || key.count > 40 {
                issues.append(.init(field: "metadata.\(key)", code: "invalid_key", message: "keys are 1 to 40 characters"))
            }
            if value.count > 500 { issues.append(.init(field: "metadata.\(key)", code: "too_long", message: "values are at most 500 characters")) }
        }
        return issues
    }
}
