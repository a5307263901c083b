import Foundation
import SignetTemplates

/// SignetTemplates' parsers: `manifest.json` (`TemplateManifest.parse`) and the body
/// (`BodyParser` and the body/manifest checks, through `ContractTemplate.load(files:)`).
/// An input with a NUL byte is `manifest NUL body`, loaded as one template version; any other
/// input is parsed as a manifest and also loaded as the body of a fixed, valid manifest.
public enum TemplateParsersHarness {
    /// A valid manifest for bodies fuzzed alone: the merchant service agreement's
    /// (`contract-templates/`), whose fields cover every field type a body may format.
    static let fixedManifest: Data = {
        let path = FuzzPaths.root.appendingPathComponent("contract-templates/merchant-service-agreement/1.0.0/manifest.json")
        guard let data = try? Data(contentsOf: path) else { fatalError("cannot read \(path.path)") }
        return data
    }()

    /// Loads `input` as described above; errors are the expected outcome for most inputs.
    public static func run(_ input: [UInt8]) {
        if let nul = input.firstIndex(of: 0) {
            load(manifest: Data(input[..<nul]), body: Data(input[(nul + 1)...]))
        } else {
            _ = try? TemplateManifest.parse(Data(input), path: "manifest.json")
            load(manifest: fixedManifest, body: Data(input))
        }
    }

    private static func load(manifest: Data, body: Data) {
        // The manifest names its body file; give the body under the name it asks for.
        let bodyName = (try? TemplateManifest.parse(manifest, path: "manifest.json"))?.bodyFile ?? "body.md"
        let files = [TemplateDigest.File(name: "manifest.json", contents: manifest),
                     TemplateDigest.File(name: bodyName == "manifest.json" ? "body.md" : bodyName, contents: body)]
        _ = try? ContractTemplate.load(files: files)
    }
}
