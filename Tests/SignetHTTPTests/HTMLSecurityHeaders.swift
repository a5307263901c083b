import Foundation
import NIOHTTP1

/// The security headers every HTML response of the signing pages and the console must carry
/// (`SecurityHeadersMiddleware`), and the flags of every cookie they set.
enum HTMLSecurityHeaders {
    /// What is missing or wrong in a response's headers, empty when nothing is; `header`
    /// looks one up, `cookies` are its `Set-Cookie` values. Over an `http` base URL a cookie
    /// must not be `Secure`.
    static func problems(header: (String) -> String?, cookies: [String], html: Bool) -> [String] {
        var problems: [String] = []
        for cookie in cookies {
            let attributes = cookie.split(separator: ";").dropFirst().map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            if !attributes.contains("httponly") { problems.append("cookie without HttpOnly: \(cookie.prefix(40))") }
            if !attributes.contains(where: { $0.hasPrefix("samesite=") }) { problems.append("cookie without SameSite") }
            if !attributes.contains(where: { $0.hasPrefix("path=/") }) { problems.append("cookie without a Path") }
            if attributes.contains("secure") { problems.append("Secure cookie over http") }
        }
        guard html else { return problems }
        let policy = header("Content-Security-Policy") ?? ""
        for directive in ["default-src 'self'", "script-src 'self'", "frame-ancestors ", "object-src 'none'", "base-uri 'none'"]
        where !policy.contains(directive) {
            problems.append("Content-Security-Policy without \(directive): \(policy)")
        }
        if policy.contains("frame-ancestors 'none'"), header("X-Frame-Options") != "DENY" { problems.append("X-Frame-Options not DENY") }
        if header("X-Content-Type-Options") != "nosniff" { problems.append("X-Content-Type-Options not nosniff") }
        if header("Referrer-Policy") != "no-referrer" { problems.append("Referrer-Policy not no-referrer") }
        if header("Cache-Control") != "no-store" { problems.append("Cache-Control not no-store: \(header("Cache-Control") ?? "none")") }
        if header("Permissions-Policy")?.contains("camera=()") != true { problems.append("no Permissions-Policy") }
        return problems
    }

    /// `problems` of a raw reply (HTML when its content type says so).
    static func problems(_ reply: RawHTTP.Reply) -> [String] {
        problems(header: reply.header, cookies: reply.headers("Set-Cookie"), html: reply.header("Content-Type")?.hasPrefix("text/html") == true)
    }

    /// `problems` of a client reply.
    static func problems(_ reply: APIHarness.Reply) -> [String] {
        problems(header: reply.header, cookies: reply.headers[canonicalForm: "Set-Cookie"].map(String.init),
                 html: reply.header("Content-Type")?.hasPrefix("text/html") == true)
    }
}
