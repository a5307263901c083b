public import FoundationEssentials

extension ContractTemplate {
    /// A template made by a program rather than kept in a template directory (e.g. the
    /// evidence report of a completed contract): the manifest and body it would have on disk,
    /// parsed and checked like a loaded version. Its digest is `TemplateDigest`'s over the two
    /// pseudo-files `manifest.json` and the manifest's body file, so the same inputs always
    /// give the same template, and the renderer the same bytes.
    ///
    /// - Parameters:
    ///   - manifestJSON: the `manifest.json` bytes.
    ///   - body: the body markup (docs/templates.md); escape literal text with `BodyMarkup.escape`.
    /// - Throws: `TemplateError` listing every manifest or body problem.
    public static func generated(manifestJSON: Data, body: String) throws(TemplateError) -> ContractTemplate {
        let directory = URL(fileURLWithPath: "/generated")
        let manifest = try TemplateManifest.parse(manifestJSON, path: directory.appendingPathComponent("manifest.json").path)
        let files = [
            TemplateDigest.File(name: "manifest.json", contents: manifestJSON),
            TemplateDigest.File(name: manifest.bodyFile, contents: Data(body.utf8)),
        ].sorted { Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8)) }
        return try load(files: files, directory: directory, expectedDigest: nil)
    }
}

/// Writing body markup from program text.
public enum BodyMarkup {
    /// `text` as literal body text: every markup character (`\ { } * | # + > : @ %`)
    /// backslash-escaped, line breaks and other control characters as spaces, so no value can
    /// start a heading, a table row, a directive or a placeholder. Usable in paragraphs,
    /// headings and table cells.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            if BodyParser.escapable.contains(character) {
                out.append("\\")
                out.append(character)
            } else if character.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
                out.append(" ")
            } else {
                out.append(character)
            }
        }
        return out
    }
}
