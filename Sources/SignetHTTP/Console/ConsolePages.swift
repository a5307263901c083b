import FoundationEssentials
import HTTPTypes
import Hummingbird

/// Renders the console's pages through the shared `PageLibrary` (the same layout, stylesheet
/// and security headers as the signing page), in English, with the console's stylesheet and
/// navigation.
enum ConsolePages {
    /// The console's templates (`Resources/console/*.mustache`), added to `PageLibrary.shared`.
    static let templates: [String: String] = [
        "console_nav": String(decoding: PackageResources.console_nav_mustache, as: UTF8.self),
        "console_login": String(decoding: PackageResources.console_login_mustache, as: UTF8.self),
        "console_message": String(decoding: PackageResources.console_message_mustache, as: UTF8.self),
        "console_overview": String(decoding: PackageResources.console_overview_mustache, as: UTF8.self),
        "console_merchants": String(decoding: PackageResources.console_merchants_mustache, as: UTF8.self),
        "console_merchant": String(decoding: PackageResources.console_merchant_mustache, as: UTF8.self),
        "console_contract": String(decoding: PackageResources.console_contract_mustache, as: UTF8.self),
    ]

    /// Page `name` with `context`; `csrf` (the session's logout token) shows the navigation.
    static func page(_ name: String, title: String, csrf: String?, context: [String: Any],
                     status: HTTPResponse.Status = .ok) -> Response {
        var values = context
        values["brand"] = "Signet console"
        values["skip"] = "Skip to content"
        values["stylesheet"] = "/assets/console.css"
        if let csrf { values["nav"] = ["csrf": csrf] }
        let html = PageLibrary.shared.render(name, context: values, language: "en", title: title)
        return HTMLResponse.page(html, status: status)
    }

    /// A short message page (not found, expired form).
    static func message(_ status: HTTPResponse.Status, title: String, text: String, csrf: String? = nil) -> Response {
        page("console_message", title: title, csrf: csrf, context: ["title": title, "text": text, "status": Int(status.code)], status: status)
    }
}
