/// The fuzz harnesses by name: the names `scripts/fuzz.sh`, the `Fuzz/` executables
/// (`fuzz-<name>`), the seed directories and `Tests/Fixtures/fuzz-regressions/<name>/` use.
/// Each body takes any bytes and must return without crashing, trapping or hanging, whatever
/// they are: the product refuses bad input with an error, so every finding is a bug.
/// docs/fuzzing.md.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// SignetPDF: the document, its xref and objects, the page tree, stream filters.
    case pdf
    /// SignetPAdES: `signet verify` on a whole PDF, offline, against fixed trust anchors.
    case verify
    /// SignetCrypto: CMS SignedData, TSTInfo, time-stamp response, OCSP response, CRL,
    /// certificate (a selector byte picks the parser).
    case cms
    /// SignetTemplates: the template manifest and body parsers.
    case templates
    /// SignetHTTP: the API's JSON request bodies (a selector byte picks the route).
    case json

    /// Runs this harness's body on `input`.
    public func run(_ input: [UInt8]) {
        switch self {
        case .pdf: PDFParserHarness.run(input)
        case .verify: SignatureVerifierHarness.shared.run(input)
        case .cms: CMSParsersHarness.run(input)
        case .templates: TemplateParsersHarness.run(input)
        case .json: APIJSONHarness.run(input)
        }
    }
}
