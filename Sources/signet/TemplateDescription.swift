import SignetTemplates

/// What `signet templates show` prints: identity, signers, and each field's rules.
struct TemplateDescription: Encodable {
    struct Signer: Encodable {
        let role: String
        let label: String
        let signatureWidth: Double
        let signatureHeight: Double
    }
    struct Field: Encodable {
        let name: String
        let label: String
        let type: String
        let required: Bool
        let defaultValue: String?
        let rules: [String]
        let help: String?
    }
    let id: String
    let version: String
    let title: String
    let locale: String
    let digest: String
    let signers: [Signer]
    let fields: [Field]

    init(_ template: ContractTemplate) {
        let manifest = template.manifest
        id = manifest.id
        version = manifest.version.description
        title = manifest.displayTitle
        locale = manifest.locale.rawValue
        digest = template.digest
        signers = manifest.signers.map {
            Signer(role: $0.role.rawValue, label: $0.label.description, signatureWidth: $0.signatureWidth, signatureHeight: $0.signatureHeight)
        }
        fields = manifest.fields.map {
            Field(name: $0.name, label: $0.label.description, type: $0.type.name, required: $0.isRequired,
                  defaultValue: $0.defaultValue, rules: Self.rules(of: $0.type), help: $0.help?.description)
        }
    }

    static func rules(of type: FieldType) -> [String] {
        switch type {
        case .text(let rules), .multilineText(let rules):
            var out = ["length \(rules.minLength)–\(rules.maxLength) characters"]
            if let pattern = rules.pattern { out.append("matches /\(pattern)/" + (rules.patternHint.map { " (\($0))" } ?? "")) }
            return out
        case .date(let minimum, let maximum):
            return ["YYYY-MM-DD"] + (minimum.map { ["on or after \($0)"] } ?? []) + (maximum.map { ["on or before \($0)"] } ?? [])
        case .money(let currencies, let minimum, let maximum):
            return ["currency \(currencies.joined(separator: " or ")), at most two decimals"]
                + (minimum.map { ["≥ \($0)"] } ?? []) + (maximum.map { ["≤ \($0)"] } ?? [])
        case .percentage(let minimum, let maximum, let decimals):
            return ["\(minimum)%–\(maximum)%", "at most \(decimals) decimals"]
        case .enumeration(let options):
            return options.map { "\($0.value) = \($0.label.description)" }
        case .phone(let formats):
            return ["format: " + formats.map(\.rawValue).joined(separator: " or ")]
        case .email:
            return ["e-mail address"]
        case .creditCode:
            return ["18 characters, GB 32100-2015 check character"]
        case .bankCard:
            return ["12–19 digits, Luhn check digit"]
        case .bankAccount(let lengths):
            return ["\(lengths.lowerBound)–\(lengths.upperBound) digits"]
        }
    }

    var text: String {
        var lines = ["\(id)@\(version)  \(title)  [\(locale)]", "digest  \(digest)", "", "signers (in signing order):"]
        for signer in signers {
            lines.append("  \(signer.role)  \(signer.label)  signature box \(Int(signer.signatureWidth))×\(Int(signer.signatureHeight)) pt")
        }
        lines.append("")
        lines.append("fields:")
        for field in fields {
            var head = "  \(field.name)  \(field.label)  \(field.type)"
            if let value = field.defaultValue {
                head += "  default \"\(value)\""
            } else {
                head += field.required ? "  required" : "  optional"
            }
            lines.append(head)
            for rule in field.rules { lines.append("      - \(rule)") }
            if let help = field.help { lines.append("      (\(help))") }
        }
        return lines.joined(separator: "\n")
    }
}
