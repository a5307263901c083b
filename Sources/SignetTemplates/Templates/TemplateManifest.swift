/// A template version's `manifest.json`: what it is, who signs it, and its fields.
public struct TemplateManifest: Sendable, Hashable {
    /// Stable template id (`merchant-service-agreement`), also its directory name.
    public let id: String
    /// The version, also the name of its directory under the template's.
    public let version: TemplateVersion
    /// Document title, printed at the top of the first page and in every page header.
    public let title: LocalizedText
    /// Language(s) of the text; decides how values and page numbers are written.
    public let locale: ContractLocale
    /// How headings, clauses and sub-clauses are numbered.
    public let numbering: NumberingStyle
    /// File name of the body markup in the version directory.
    public let bodyFile: String
    /// Signer roles in signing order, each with the size of its signature box.
    public let signers: [SignerRole]
    /// The fields a fill provides, in the order forms show them.
    public let fields: [FieldSpec]

    /// A manifest from its parts (normally produced by `parse(_:path:)`).
    public init(id: String, version: TemplateVersion, title: LocalizedText, locale: ContractLocale,
                numbering: NumberingStyle, bodyFile: String, signers: [SignerRole], fields: [FieldSpec]) {
        self.id = id
        self.version = version
        self.title = title
        self.locale = locale
        self.numbering = numbering
        self.bodyFile = bodyFile
        self.signers = signers
        self.fields = fields
    }

    /// `id@version`, the form used in the lock file, footers and contract records.
    public var reference: String { "\(id)@\(version)" }

    /// The title as printed: one language, or both joined for bilingual templates.
    public var displayTitle: String {
        locale == .bilingual
            ? locale.languages.map { title.text(for: $0) }.uniqued().joined(separator: " ")
            : title.text(for: locale.primaryLanguage)
    }
}

/// A party that signs the contract, e.g. `merchant` (甲方) then `platform` (乙方).
public struct SignerRole: Sendable, Hashable {
    /// The role, e.g. `merchant`.
    public let role: PartyRole
    /// How the contract names the party (`甲方`, `Merchant`).
    public let label: LocalizedText
    /// Width of the signature box in points; the body's signature block places it.
    public let signatureWidth: Double
    /// Height of the signature box in points.
    public let signatureHeight: Double

    /// A signer role with its signature box size in points.
    public init(role: PartyRole, label: LocalizedText, signatureWidth: Double, signatureHeight: Double) {
        self.role = role
        self.label = label
        self.signatureWidth = signatureWidth
        self.signatureHeight = signatureHeight
    }
}

/// Numbering of `##` headings, `+` clauses and `++` sub-clauses.
public enum NumberingStyle: String, Sendable, Hashable, CaseIterable {
    /// 第一条 …, 1.1 …, （一）…
    case chinese
    /// 1. …, 1.1 …, (a) …
    case decimal
}

extension Array where Element: Hashable {
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
