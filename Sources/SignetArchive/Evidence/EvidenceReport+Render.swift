public import FoundationEssentials
import SignetCrypto
public import SignetTemplates

extension EvidenceReport {
    /// The id of the generated template the report is rendered from (printed in its footer).
    public static let templateID = "signet-evidence-report"
    /// Its version: a new version of the report's layout is a new version here.
    public static let templateVersion = "1.0.0"

    /// The unsigned, deterministic report PDF (Chinese, English or both by the contract's
    /// locale): the record fully decides the bytes.
    ///
    /// - Throws: `EvidenceError.render` when the report cannot be rendered.
    public static func render(_ record: EvidenceRecord) throws(EvidenceError) -> [UInt8] {
        try rendered(record).pdf
    }

    /// The report as rendered, with the page and rectangle of the platform's seal box.
    public static func rendered(_ record: EvidenceRecord) throws(EvidenceError) -> RenderedContract {
        let template = try template(for: record)
        do {
            return try ContractRenderer.render(template: template, fields: FieldValues([:]), metadata: record.reportMetadata)
        } catch .unsupportedTemplateCharacters(_, let characters) {
            // Text the fonts cannot draw (an emoji in a user agent): printed as U+XXXX instead.
            let scalars = Set(characters.compactMap { $0.unicodeScalars.dropFirst().first?.value })  // "'X' (U+…)"
            let replaced = try Self.template(for: record, replacing: scalars)
            do {
                return try ContractRenderer.render(template: replaced, fields: FieldValues([:]), metadata: record.reportMetadata)
            } catch {
                throw .render(error.description)
            }
        } catch {
            throw .render(error.description)
        }
    }

    /// The generated template of `record`'s report.
    static func template(for record: EvidenceRecord, replacing unsupported: Set<UInt32> = []) throws(EvidenceError) -> ContractTemplate {
        let locale = ContractLocale(rawValue: record.locale) ?? .chinese
        let text = EvidenceText(locale: locale, utcOffsetSeconds: record.utcOffsetSeconds, unsupported: unsupported)
        let manifestJSON = Data(text.manifestJSON(id: templateID, version: templateVersion).utf8)
        do {
            return try ContractTemplate.generated(manifestJSON: manifestJSON, body: text.body(record))
        } catch {
            throw .render(error.description)
        }
    }
}
