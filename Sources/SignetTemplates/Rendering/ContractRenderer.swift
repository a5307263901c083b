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

    /// The pixel size of each page image `renderPageImages` draws at `scale` (every template
    /// page is A4): known without drawing, for an `<img>`'s width and height.
    public static func pageImagePixelSize(scale: Int) -> (width: Int, height: Int) {
        PageRasterizer.pixelSize(scale: scale)
    }

    /// Renders the contract as `render(template:fields:metadata:)` does (the same PDF bytes)
    /// and draws every page of that PDF as a PNG image from the same layout: the same text
    /// layouts, positions and drawing calls, onto a white image of `scale` pixels per point
    /// (`scale` × 72 dpi; 2 is crisp on a phone). The images show what the PDF shows
    /// (`PageImageTests` compares them with poppler's `pdftoppm`), without a PDF rasteriser.
    ///
    /// - Parameter scale: pixels per point, 1…4.
    /// - Throws: what `render(template:fields:metadata:)` throws, `RenderError.invalidImageScale`
    ///   for a scale outside 1…4, and `.cairo` when an image cannot be made.
    public static func renderPageImages(
        template: ContractTemplate, fields: FieldValues, metadata: ContractMetadata, scale: Int
    ) throws(RenderError) -> ContractPageImages {
        try render(template: template, fields: fields, metadata: metadata, imageScale: scale, in: nil)
    }

    /// `render(template:fields:metadata:)` in `environment`, or in one of the pool's when nil
    /// (tests give one to know which environment, and so which layout cache, a render uses).
    static func render(
        template: ContractTemplate, fields: FieldValues, metadata: ContractMetadata, in environment: FontEnvironment?
    ) throws(RenderError) -> RenderedContract {
        try render(template: template, fields: fields, metadata: metadata, imageScale: nil, in: environment).contract
    }

    /// Renders the contract and, when `imageScale` is given, draws every page from the same
    /// layout as an image (`PageRasterizer`), in the same hold of a font environment.
    static func render(
        template: ContractTemplate, fields: FieldValues, metadata: ContractMetadata, imageScale: Int?, in environment: FontEnvironment?
    ) throws(RenderError) -> ContractPageImages {
        let metadataProblems = metadata.problems
        guard metadataProblems.isEmpty else { throw .invalidMetadata(metadataProblems) }
        if let imageScale, !PageRasterizer.scales.contains(imageScale) { throw .invalidImageScale(imageScale) }
        let filled: FilledFields
        do {
            filled = try template.validate(fields)
        } catch {
            throw .invalidFields(error)
        }
        func run(_ environment: FontEnvironment) throws(RenderError) -> ContractPageImages {
            try checkCoverage(template: template, fields: filled, environment: environment)
            return try draw(template: template, fields: filled, metadata: metadata, imageScale: imageScale, environment: environment)
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

    private static func draw(template: ContractTemplate, fields: FilledFields, metadata: ContractMetadata, imageScale: Int?,
                             environment: FontEnvironment) throws(RenderError) -> ContractPageImages {
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
        var images: [PageImage] = []
        if let imageScale {
            let header = painter.headerLayouts()
            for (index, placed) in pages.enumerated() {
                images.append(try PageRasterizer.draw(page: index + 1, scale: imageScale) { cairo in
                    _ = painter.paintPage(index + 1, of: pages.count, placed, header: header, cairo: cairo)
                })
            }
        }
        withExtendedLifetime(layout) {}
        let contract = RenderedContract(
            pdf: pdf, sha256: DigestAlgorithm.sha256.hash(pdf).hexString, pageCount: pages.count,
            templateID: manifest.id, templateVersion: manifest.version.description, templateDigest: template.digest,
            metadata: metadata, fields: fields.canonical, signatureBoxes: boxes)
        return ContractPageImages(contract: contract, scale: imageScale ?? 0, pages: images)
    }
}
