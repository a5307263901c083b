import CPangoCairo
import FoundationEssentials

/// The one font set every contract is rendered with: a private fontconfig configuration and
/// the Pango font map made from it.
///
/// Determinism: rendering uses a private fontconfig configuration that contains exactly
/// the Noto Serif CJK faces below (found in `SIGNET_FONT_DIR`, `/usr/share/fonts/opentype/noto`,
/// or wherever the system fontconfig knows them from), not the system configuration. Fonts
/// installed later, user `fonts.conf` rules or substitution aliases can therefore never
/// change a contract's bytes. The system's font caches are still used, so start-up is fast.
///
/// Thread safety: Pango font maps and fontconfig configurations are shared mutable state, so
/// an environment is only used by one render at a time: `FontEnvironmentPool` hands them out.
final class FontEnvironment: @unchecked Sendable {
    // Unchecked: the C handles are created in `init`, the contexts and the layout cache on
    // use; all of them are only touched by the render that holds the environment's slot in
    // `FontEnvironmentPool`, one at a time.

    /// The font files used, by file name: Noto Serif CJK, regular and bold. One family keeps
    /// contracts typographically plain and halves the cost of embedding font subsets (each
    /// face's 13 MB CFF table is read when the PDF is written).
    static let fontFiles = ["NotoSerifCJK-Regular.ttc", "NotoSerifCJK-Bold.ttc"]
    static let serifFamily = "Noto Serif CJK SC"

    private let config: OpaquePointer
    let fontMap: UnsafeMutablePointer<PangoFontMap>
    private let charset: OpaquePointer
    /// The contexts of `typesetter(language:)`, by language, made on first use.
    private var contexts: [String: OpaquePointer] = [:]
    /// The layouts of this environment's typesetters.
    let layouts = LayoutCache()
    /// The directory the fonts were loaded from.
    let fontDirectory: String

    /// A new environment: the private configuration loaded and a font map made from it.
    ///
    /// - Throws: `RenderError.fontsUnavailable` when the fonts are not found or not usable.
    init() throws(RenderError) {
        guard let directory = Self.locateFontDirectory() else {
            throw .fontsUnavailable("Noto CJK fonts (\(Self.fontFiles.joined(separator: ", "))) not found; install fonts-noto-cjk or set SIGNET_FONT_DIR")
        }
        fontDirectory = directory
        guard let config = FcConfigCreate() else { throw .fontsUnavailable("FcConfigCreate failed") }
        let xml = Self.configXML(directory: directory)
        let parsed = xml.withCString { FcConfigParseAndLoadFromMemory(config, $0, 1) }
        guard parsed != 0, FcConfigBuildFonts(config) != 0 else {
            FcConfigDestroy(config)
            throw .fontsUnavailable("fontconfig rejected the private configuration for \(directory)")
        }
        // Coverage of the Simplified Chinese faces (regular, bold). The other regional faces of
        // the same files have the same character set, so this is what Pango can draw.
        guard let union = FcCharSetCreate() else {
            FcConfigDestroy(config)
            throw .fontsUnavailable("FcCharSetCreate failed")
        }
        var families = Set<String>()
        if let set = FcConfigGetFonts(config, FcSetSystem) {
            for index in 0..<Int(set.pointee.nfont) {
                guard let pattern = set.pointee.fonts[index] else { continue }
                var faceFamilies: Set<String> = []
                var family: UnsafeMutablePointer<FcChar8>?
                var n: Int32 = 0
                while FcPatternGetString(pattern, "family", n, &family) == FcResultMatch, let family {
                    faceFamilies.insert(String(cString: family))
                    n += 1
                }
                families.formUnion(faceFamilies)
                var faceCharset: OpaquePointer?
                if faceFamilies.contains(Self.serifFamily),
                   FcPatternGetCharSet(pattern, "charset", 0, &faceCharset) == FcResultMatch, let faceCharset {
                    FcCharSetMerge(union, faceCharset, nil)
                }
            }
        }
        guard families.contains(Self.serifFamily) else {
            FcCharSetDestroy(union)
            FcConfigDestroy(config)
            throw .fontsUnavailable("\(Self.serifFamily) is not in \(directory)")
        }
        guard let map = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT) else {
            FcCharSetDestroy(union)
            FcConfigDestroy(config)
            throw .fontsUnavailable("Pango has no FreeType font map")
        }
        let fontMap = UnsafeMutableRawPointer(map).assumingMemoryBound(to: PangoFontMap.self)
        pango_fc_font_map_set_config(OpaquePointer(map), config)
        pango_cairo_font_map_set_resolution(OpaquePointer(map), 72)
        self.config = config
        self.fontMap = fontMap
        self.charset = union
    }

    deinit {
        for context in contexts.values { g_object_unref(UnsafeMutableRawPointer(context)) }
        g_object_unref(fontMap)
        FcCharSetDestroy(charset)
        FcConfigDestroy(config)
    }

    /// Whether some contract font has a glyph for `scalar`.
    func covers(_ scalar: Unicode.Scalar) -> Bool {
        FcCharSetHasChar(charset, scalar.value) != 0
    }

    /// The characters of `text` no contract font can draw, described for people.
    func unsupportedCharacters(in text: String) -> [String] {
        var found: [String] = []
        var seen = Set<UInt32>()
        for scalar in text.unicodeScalars where scalar != "\n" && !covers(scalar) && seen.insert(scalar.value).inserted {
            found.append("'\(Character(scalar))' (\(TextChecks.describe(scalar)))")
        }
        return found
    }

    /// The typesetter for contracts in `language` (a Pango language tag): this environment's
    /// context for it, kept for the environment's life, and its layout cache.
    func typesetter(language: String) throws(RenderError) -> Typesetter {
        if let context = contexts[language] { return Typesetter(context: context, language: language, cache: layouts) }
        let context = try makeContext(language: language)
        contexts[language] = context
        return Typesetter(context: context, language: language, cache: layouts)
    }

    /// A fresh Pango context: 72 dpi (1 pt = 1 unit), no hinting, unrounded glyph positions,
    /// so layout is the same whatever the output device. Free with `g_object_unref`.
    func makeContext(language: String) throws(RenderError) -> OpaquePointer {
        guard let context = pango_font_map_create_context(fontMap) else {
            throw .fontsUnavailable("Pango could not create a context")
        }
        let options = cairo_font_options_create()
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
        cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY)
        pango_cairo_context_set_font_options(context, options)
        cairo_font_options_destroy(options)
        pango_cairo_context_set_resolution(context, 72)
        pango_context_set_round_glyph_positions(context, 0)
        pango_context_set_language(context, pango_language_from_string(language))
        pango_context_set_base_dir(context, PANGO_DIRECTION_LTR)
        return context
    }

    // MARK: Configuration

    private static func locateFontDirectory() -> String? {
        var candidates: [String] = []
        if let custom = ProcessInfo.processInfo.environment["SIGNET_FONT_DIR"], !custom.isEmpty {
            candidates.append(custom)
        }
        candidates += ["/usr/share/fonts/opentype/noto", "/usr/share/fonts/noto-cjk", "/usr/share/fonts/google-noto-cjk"]
        for directory in candidates where hasAllFonts(directory) { return directory }
        return systemFontDirectory()
    }

    private static func hasAllFonts(_ directory: String) -> Bool {
        fontFiles.allSatisfy { FileManager.default.isReadableFile(atPath: directory + "/" + $0) }
    }

    /// Asks the system fontconfig where the serif face lives (only used when the usual
    /// directories do not have the fonts).
    private static func systemFontDirectory() -> String? {
        guard let system = FcInitLoadConfigAndFonts() else { return nil }
        defer { FcConfigDestroy(system) }
        guard let pattern = FcNameParse(serifFamily), let objects = FcObjectSetCreate() else { return nil }
        defer { FcPatternDestroy(pattern) }
        _ = FcObjectSetAdd(objects, "file")
        defer { FcObjectSetDestroy(objects) }
        guard let list = FcFontList(system, pattern, objects) else { return nil }
        defer { FcFontSetDestroy(list) }
        for index in 0..<Int(list.pointee.nfont) {
            var file: UnsafeMutablePointer<FcChar8>?
            if let font = list.pointee.fonts[index], FcPatternGetString(font, "file", 0, &file) == FcResultMatch, let file {
                let directory = URL(fileURLWithPath: String(cString: file)).deletingLastPathComponent().path
                if hasAllFonts(directory) { return directory }
            }
        }
        return nil
    }

    /// Only `directory`'s four Noto CJK files; the system caches; nothing else.
    private static func configXML(directory: String) -> String {
        let dir = escapeXML(directory)
        let accepted = fontFiles.map { "<glob>\(dir)/\(escapeXML($0))</glob>" }.joined()
        return """
        <?xml version="1.0"?>
        <!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
        <fontconfig>
          <dir>\(dir)</dir>
          <cachedir>/var/cache/fontconfig</cachedir>
          <cachedir prefix="xdg">fontconfig</cachedir>
          <selectfont>
            <acceptfont>\(accepted)</acceptfont>
            <rejectfont><glob>*</glob></rejectfont>
          </selectfont>
        </fontconfig>
        """
    }

    private static func escapeXML(_ text: String) -> String {
        text.replacing("&", with: "&amp;").replacing("<", with: "&lt;")
            .replacing(">", with: "&gt;").replacing("\"", with: "&quot;")
    }
}
