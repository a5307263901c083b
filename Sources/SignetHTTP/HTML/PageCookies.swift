import FoundationEssentials
public import Hummingbird

/// The pages' cookies: HttpOnly, SameSite=Strict, `Secure` when the service's base URL is
/// https (behind a TLS-terminating proxy too), scoped to a path. The one exception: the
/// session of an embedded link whose integrator frames the page (a cross-site iframe, where a
/// Strict cookie is never sent) is SameSite=None — only over https (None requires Secure).
public struct PageCookies: Sendable, Hashable {
    /// Whether cookies get `Secure`.
    public let secure: Bool

    /// Cookies for a service reachable at `baseURL`.
    public init(baseURL: String) {
        secure = baseURL.lowercased().hasPrefix("https://")
    }

    /// A session cookie `name=value` for `path`, ending with the browser session (the
    /// server's idle timeout ends it sooner). `framed`: its pages are framed by another site
    /// (SameSite=None when the cookie is Secure; Strict otherwise, so over plain http the
    /// framed page asks for a session it cannot keep rather than weakening the cookie).
    public func session(name: String, value: String, path: String, framed: Bool = false) -> Cookie {
        Cookie(name: name, value: value, path: path, secure: secure, httpOnly: true, sameSite: framed && secure ? .none : .strict)
    }

    /// A cookie that deletes `name` at `path`.
    public func expired(name: String, path: String) -> Cookie {
        Cookie(name: name, value: "", maxAge: 0, path: path, secure: secure, httpOnly: true, sameSite: .strict)
    }

    /// The value of cookie `name` in `request`, if it has a sane shape (printable ASCII, at
    /// most 200 characters).
    public static func value(_ name: String, in request: Request) -> String? {
        guard let value = request.cookies[name]?.value, (1...200).contains(value.utf8.count),
              value.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else { return nil }
        return value
    }
}
