/// Why a contract or seal could not be rendered.
public enum RenderError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The fill is invalid: every problem, including characters the fonts cannot draw.
    case invalidFields(FieldValidationError)
    /// The contract metadata is invalid (every problem).
    case invalidMetadata([String])
    /// The Noto CJK fonts could not be found or loaded.
    case fontsUnavailable(String)
    /// Text of the template itself (not a field) contains characters the fonts cannot draw.
    case unsupportedTemplateCharacters(reference: String, characters: [String])
    /// One block (e.g. a signature block) is taller than a page and cannot be split.
    case contentTooTall(String)
    /// Invalid seal appearance parameters (every problem).
    case invalidSeal([String])
    /// A page image was asked for at a scale outside 1…4 pixels per point.
    case invalidImageScale(Int)
    /// Cairo reported an error while producing the PDF or a page image.
    case cairo(String)

    /// A stable, machine-readable code for the case, e.g. `render.invalid_fields` (docs/error-codes.md):
    /// for programs and the API's problem details; `description` is for people.
    public var code: String {
        switch self {
        case .invalidFields: "render.invalid_fields"
        case .invalidMetadata: "render.invalid_metadata"
        case .fontsUnavailable: "render.fonts_unavailable"
        case .unsupportedTemplateCharacters: "render.unsupported_template_characters"
        case .contentTooTall: "render.content_too_tall"
        case .invalidSeal: "render.invalid_seal"
        case .invalidImageScale: "render.invalid_image_scale"
        case .cairo: "render.cairo"
        }
    }

    /// A message for people; `code` is the stable machine-readable form.
    public var description: String {
        switch self {
        case .invalidFields(let error): error.description
        case .invalidMetadata(let problems): "invalid contract metadata:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
        case .fontsUnavailable(let why): "contract fonts unavailable: \(why)"
        case .unsupportedTemplateCharacters(let reference, let characters):
            "\(reference) contains characters the contract fonts cannot draw: \(characters.joined(separator: ", "))"
        case .contentTooTall(let what): "\(what) is taller than a page"
        case .invalidSeal(let problems): "invalid seal appearance:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
        case .invalidImageScale(let scale): "page images are drawn at 1 to 4 pixels per point, not \(scale)"
        case .cairo(let why): "PDF or image output failed: \(why)"
        }
    }
}
