import CPangoCairo
import SignetCrypto

/// Renders filled contract templates to PDF with Pango and Cairo.
///
/// Output is deterministic: the same template version, field values and metadata give the
/// same bytes, in any process, on any machine with the same Pango/Cairo/HarfBuzz and Noto
/// CJK font versions. There is no clock, no random document id, and fonts come from a
/// private fontconfig configuration (see `FontEnvironment`). Any change of a field value,
/// the contract number or the issue time changes the bytes and so the SHA-256.
///
/// Safe to call from any thread or task, several at once: each render has a font environment
/// (fontconfig configuration and Pango font map) to itself, out of a pool of one per core
/// that lives as long as the process, so only the first renders of a process set fonts up.
/// More concurrent calls than cores queue. Where a render runs never changes its bytes.
public enum ContractRenderer {
    /// Validates `fields` against the template and renders the contract.
    ///
    /// Pages are A4 with a header (title, contract number) and footer (template id@version,
    /// page X of Y); fonts are embedded subsets of Noto Serif/Sans CJK SC. Page breaks fall
    /// only between lines, table rows and whole signature blocks.
    ///
    /// - Returns: the PDF, its SHA-256, the page count, the template identity and digest, the
    ///   canonical field values, and for each signer role the page and rectangle (PDF user
    ///   space: points, origin at the bottom-left of the page) of its signature box.
    /// - Throws: `RenderError.invalidFields` with every field problem (including characters the
    ///   fonts cannot draw), `.invalidMetadata`, `.fontsUnavailable`,
    ///   or `.cairo`.
    public static func render(
        template: ContractTemplate, fields: FieldValues, metadata: ContractMetadata
    ) throws(RenderError) -> RenderedContract {
        try render(template: template, fields: fields, metadata: metadata, in: nil)
    }

    /// `render(template:fields:metadata:)` in `environment`, or in one of the pool's when nil
    /// (tests give one to know which environment, and so which layout cache, a render uses).
    static func render(
        template: ContractTemplate, fields: FieldValues, metadata: ContractMetadata, in environment: FontEnvironment?
    ) throws(RenderError) -> RenderedContract {
        let metadataProblems = metadata.problems
        guard metadataProblems.isEmpty else { throw .invalidMetadata(metadataProblems) }
        let filled: FilledFields
        do {
            filled = try template.validate(fields)
        } catch {
            throw .invalidFields(error)
        }
        func run(_ environment: FontEnvironment) throws(RenderError) -> RenderedContract {
            try checkCoverage(template: template, fields: filled, environment: environment)
            return try draw(template: template, fields: filled, metadata: metadata, environment: environment)
        }
        if let environment { return try run(environment) }
        return try FontEnvironmentPool.withEnvironment(run)
    }

    /// Refuses values (and template text) with characters no contract font has: they would
    /// print as empty boxes, and a contract must show what was agreed.
    private static func checkCoverage(template: ContractTemplate, fields: FilledFields,
                                      environment: FontEnvironment) throws(RenderError) {
        var errors: [FieldError] = []
        for spec in template.manifest.fields {
            guard let value = fields[spec.name] else { continue }
            let printed = [value.canonical, value.display(in: .chinese), value.display(in: .english)].joined(separator: "\n")
            let missing = environment.unsupportedCharacters(in: printed)
            if !missing.isEmpty {
                errors.append(FieldError(field: spec.name, code: .unsupportedCharacter,
                    message: "contains characters the contract fonts cannot print: \(missing.joined(separator: ", "))"))
            }
        }
        guard errors.isEmpty else { throw .invalidFields(FieldValidationError(errors: errors)) }
        var literal = template.manifest.displayTitle
        for case .text(let text, _) in template.body.blocks.flatMap(\.inlines).flatMap(\.runs) {
            literal += text
        }
        let missing = environment.unsupportedCharacters(in: literal)
        guard missing.isEmpty else {
            throw .unsupportedTemplateCharacters(reference: template.reference, characters: missing)
        }
    }

    private static func draw(template: ContractTemplate, fields: FilledFields, metadata: ContractMetadata,
                             environment: FontEnvironment) throws(RenderError) -> RenderedContract {
        let manifest = template.manifest
        let typesetter = try environment.typesetter(language: manifest.locale == .english ? "en" : "zh-cn")
        let resolver = ContentResolver(manifest: manifest, fields: fields, metadata: metadata)
        var layout = DocumentLayout(manifest: manifest, resolver: resolver, typesetter: typesetter)
        let pieces = layout.pieces(for: template.body)
        let pages = try Paginator.paginate(pieces)

        let document = try CairoPDFSurface(width: PageGeometry.width, height: PageGeometry.height, metadata: .init(
            title: manifest.displayTitle,
            subject: "\(manifest.displayTitle) \(metadata.number)",
            keywords: "contract-number=\(metadata.number); template=\(manifest.reference); template-sha256=\(template.digest)",
            date: metadata.issuedAtISO))
        let painter = PagePainter(manifest: manifest, metadata: metadata, typesetter: typesetter)
        let boxes = painter.paint(pages, into: document)
        let pdf = try document.finish()
        withExtendedLifetime(layout) {}
        return RenderedContract(
            pdf: pdf, sha256: DigestAlgorithm.sha256.hash(pdf).hexString, pageCount: pages.count,
            templateID: manifest.id, templateVersion: manifest.version.description, templateDigest: template.digest,
            metadata: metadata, fields: fields.canonical, signatureBoxes: boxes)
    }
}
