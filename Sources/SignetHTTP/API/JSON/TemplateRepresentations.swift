import SignetService
import SignetTemplates

/// `GET /v1/templates` items and `GET /v1/templates/{id}`.
struct TemplateJSON: Encodable, Sendable {
    let manifest: TemplateManifest
    let versions: [TemplateVersion]
    /// Set for the detail view: the chosen version's digest and its fields.
    var detail: ContractTemplate?

    enum CodingKeys: String, CodingKey {
        case object, id, title, locale, versions, latestVersion = "latest_version", signers, version, digest, fields
        case fieldsSchema = "fields_schema"
    }

    struct SignerRoleJSON: Encodable, Sendable {
        let role: String
        let label: String
        let signsBy: String
        enum CodingKeys: String, CodingKey { case role, label, signsBy = "signs_by" }
    }

    struct FieldJSON: Encodable, Sendable {
        let spec: FieldSpec
        enum CodingKeys: String, CodingKey { case name, label, type, required, defaultValue = "default", help }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(spec.name, forKey: .name)
            try container.encode(spec.label.description, forKey: .label)
            try container.encode(spec.type.name, forKey: .type)
            try container.encode(spec.isRequired && spec.defaultValue == nil, forKey: .required)
            try container.encodeIfPresent(spec.defaultValue, forKey: .defaultValue)
            try container.encodeIfPresent(spec.help?.description, forKey: .help)
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        let shown = detail?.manifest ?? manifest
        try container.encode("template", forKey: .object)
        try container.encode(shown.id, forKey: .id)
        try container.encode(shown.displayTitle, forKey: .title)
        try container.encode(shown.locale.rawValue, forKey: .locale)
        try container.encode(versions.sorted().map(\.description), forKey: .versions)
        try container.encode((versions.max() ?? shown.version).description, forKey: .latestVersion)
        try container.encode(shown.signers.map {
            SignerRoleJSON(role: $0.role.rawValue, label: $0.label.description, signsBy: $0.role == .platform ? "platform" : "link")
        }, forKey: .signers)
        guard let detail else { return }
        try container.encode(detail.manifest.version.description, forKey: .version)
        try container.encode(detail.digest, forKey: .digest)
        try container.encode(detail.manifest.fields.map(FieldJSON.init), forKey: .fields)
        try container.encode(FieldJSONSchema.schema(for: detail.manifest.fields), forKey: .fieldsSchema)
    }
}
