import FoundationEssentials
import Mustache

/// The HTML pages' mustache templates (`Resources/pages/*.mustache`, embedded in the binary),
/// parsed once into one `MustacheLibrary`. A page is its body template rendered with a
/// context, then `layout` around it (`{{{body}}}`), so every page has the same head (`lang`,
/// viewport, the stylesheet and script, no inline style or script).
///
/// Values are HTML-escaped by mustache's `{{name}}`; only `layout`'s `{{{body}}}` is not.
public struct PageLibrary: Sendable {
    /// The library's templates by name.
    private let library: MustacheLibrary

    /// The page templates (the signing page's and the console's). Each file is embedded by
    /// name in Package.swift's resources.
    public static let shared: PageLibrary = {
        var templates: [String: String] = [
            "layout": String(decoding: PackageResources.layout_mustache, as: UTF8.self),
            "landing": String(decoding: PackageResources.landing_mustache, as: UTF8.self),
            "code": String(decoding: PackageResources.code_mustache, as: UTF8.self),
            "review": String(decoding: PackageResources.review_mustache, as: UTF8.self),
            "done": String(decoding: PackageResources.done_mustache, as: UTF8.self),
            "message": String(decoding: PackageResources.message_mustache, as: UTF8.self),
        ]
        for (name, text) in extraTemplates { templates[name] = text }
        return PageLibrary(templates: templates)
    }()

    /// Templates other areas add (the console) before first use: name → mustache text.
    static let extraTemplates: [String: String] = ConsolePages.templates

    /// A library of `templates` (name → mustache text). A template that does not parse is a
    /// programming error in the shipped resources: it renders as an empty page, which the
    /// page tests catch.
    public init(templates: [String: String]) {
        var library = MustacheLibrary()
        for (name, text) in templates.sorted(by: { $0.key < $1.key }) {
            try? library.register(text, named: name)
        }
        self.library = library
    }

    /// The page `name` rendered with `context`, inside the layout. `language` is the `lang`
    /// attribute (`zh-CN`, `en`); `title` the document title.
    public func render(_ name: String, context: [String: Any], language: String, title: String) -> String {
        let body = library.render(context, withTemplate: name) ?? ""
        var page = context
        page["body"] = body
        page["lang"] = language
        page["page_title"] = title
        return library.render(page, withTemplate: "layout") ?? body
    }

    /// Whether the library has a template `name`.
    public func has(_ name: String) -> Bool { library.getTemplate(named: name) != nil }
}
