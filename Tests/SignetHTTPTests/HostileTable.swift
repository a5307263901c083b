import Foundation

/// The hostile requests, route by route. Each case names the route it is for (`METHOD
/// /template`), its request (raw bytes: anything goes), and its expected status and code.
final class HostileTable {
    let api: APIHarness
    let f: HostileFixture
    private(set) var cases: [HostileCase] = []

    /// Columns a refused request may change, and why; every other change fails.
    static let recordedByRefusals: [String: Set<String>] = [
        // A wrong code counts against its challenge; the fifth locks it (DESIGN.md, signer authentication).
        "code_challenges": ["failed_attempts", "locked_at"],
        // Any request of a session moves its idle timeout, whatever its answer.
        "signer_sessions": ["expires_at"],
        "console_sessions": ["idle_expires_at"],
    ]
    /// Tables a refused request may add rows to: the rate limits' hits (a refused code request
    /// or entry counts against its address and signer, or the limits would not limit).
    static let countedByRefusals: Set<String> = ["rate_limit_hits"]

    /// `snapshot` without what refusals may record.
    static func comparable(_ snapshot: DatabaseSnapshot) -> DatabaseSnapshot {
        snapshot.ignoring(tables: countedByRefusals, columns: recordedByRefusals)
    }

    init(api: APIHarness, fixture: HostileFixture) {
        self.api = api
        f = fixture
    }

    // MARK: - Building cases

    private static func kind(of route: String) -> HostileCase.Kind {
        let path = route.split(separator: " ").last.map(String.init) ?? ""
        if path.hasPrefix("/v1/") { return .api }
        if path.hasPrefix("/s/") || path.hasPrefix("/console") || path.hasPrefix("/assets/") { return .page }
        return .other
    }

    /// Adds a case; `/v1` requests carry the API key unless `auth` is false.
    func add(_ route: String, _ name: String, _ target: String, method: String? = nil, headers: [(String, String)] = [],
             body: [UInt8]? = nil, declared: Int? = nil, halfClose: Bool = false, auth: Bool = true, kind: HostileCase.Kind? = nil,
             status: Int, code: String?) {
        let kind = kind ?? Self.kind(of: route)
        var all = headers
        if kind == .api, auth { all.insert(("Authorization", "Bearer \(api.apiKey)"), at: 0) }
        cases.append(HostileCase(route: route, name: name, kind: kind, method: method ?? String(route.split(separator: " ")[0]),
                                 target: Array(target.utf8), headers: all, body: body, declaredLength: declared, halfClose: halfClose,
                                 status: status, code: code))
    }

    /// The cases grouped by route, in the order added (a snapshot is compared after each group).
    func groups() -> [[HostileCase]] {
        var groups: [[HostileCase]] = []
        for item in cases {
            if let last = groups.last?.last, last.route == item.route { groups[groups.count - 1].append(item) } else { groups.append([item]) }
        }
        return groups
    }

    static let json = ("Content-Type", "application/json")

    static func jsonBytes(_ object: [String: Any]) -> [UInt8] {
        Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data())
    }
    static let form = ("Content-Type", "application/x-www-form-urlencoded")
    static let pdf = ("Content-Type", "application/pdf")
    static let crossSite = ("Origin", "https://evil.example")

    /// Ids no route may take: encoded, double-encoded and backslash traversal, an encoded NUL,
    /// an overlong UTF-8 dot, 4 000 characters.
    static let badIDs = ["..%2F..%2Fetc%2Fpasswd", "%252e%252e%252fetc%252fpasswd", "..%5C..%5Cwindows%5Cwin.ini", "ctr_a%00b",
                         "%C0%AE%C0%AE%C0%AF", String(repeating: "a", count: 4000)]

    /// Adds the bad ids in place of the `{…}` of `path` (`*` in the template marks where).
    func badIDs(_ route: String, _ path: (String) -> String, status: Int, code: String, headers: [(String, String)] = []) {
        for id in Self.badIDs {
            add(route, "id \(id.prefix(30))", path(id), headers: headers, status: status, code: code)
        }
    }

    /// The JSON body attacks on a route taking JSON at `path`.
    func jsonBodies(_ route: String, _ path: String) {
        add(route, "wrong content type", path, headers: [("Content-Type", "text/plain")], body: Array("{}".utf8), status: 415, code: "unsupported_media_type")
        add(route, "no content type", path, body: Array("{}".utf8), status: 415, code: "unsupported_media_type")
        add(route, "invalid UTF-8", path, headers: [Self.json], body: [0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xFF, 0xFE, 0xC0, 0x22, 0x7D],
            status: 400, code: "invalid_json")
        add(route, "deeply nested", path, headers: [Self.json],
            body: Array((String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)).utf8), status: 400, code: "invalid_json")
        add(route, "deeply nested objects", path, headers: [Self.json],
            body: Array((String(repeating: "{\"a\":", count: 50_000) + "1" + String(repeating: "}", count: 50_000)).utf8), status: 400, code: "invalid_json")
        // Numbers past the reader's range are not read as JSON at all (nothing is rounded).
        add(route, "huge numbers", path, headers: [Self.json], body: Array(#"{"n":1e400}"#.utf8), status: 400, code: "invalid_json")
        add(route, "2^64 in an unknown member", path, headers: [Self.json], body: Array(#"{"m":18446744073709551616}"#.utf8),
            status: 400, code: "invalid_request")
        add(route, "-0 and an unknown member", path, headers: [Self.json], body: Array(#"{"z":-0}"#.utf8), status: 400, code: "invalid_request")
        add(route, "declared oversized", path, headers: [Self.json], declared: 2_000_000, status: 413, code: "body_too_large")
        add(route, "sent oversized", path, headers: [Self.json],
            body: Array(("{\"a\":\"" + String(repeating: "x", count: 1_100_000) + "\"}").utf8), status: 413, code: "body_too_large")
        add(route, "truncated", path, headers: [Self.json], body: Array("{\"a\":".utf8), declared: 200, halfClose: true, status: 400, code: "incomplete_body")
    }

    /// The PDF body attacks on a route taking a PDF at `path`.
    func pdfBodies(_ route: String, _ path: String) {
        add(route, "JSON instead of a PDF", path, headers: [Self.json], body: Array("{}".utf8), status: 415, code: "unsupported_media_type")
        add(route, "not a PDF", path, headers: [Self.pdf], body: [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10], status: 422, code: "not_a_pdf")
        add(route, "declared oversized", path, headers: [Self.pdf], declared: 80 << 20, status: 413, code: "body_too_large")
        add(route, "truncated", path, headers: [Self.pdf], body: Array("%PDF-1.7\n".utf8), declared: 5000, halfClose: true, status: 400, code: "incomplete_body")
    }

    // MARK: - The table

    /// A method no route has (PUT) on a path of every route: 405 with `Allow`, as an HTML
    /// page under the pages' paths, else a problem. One group: no route is reached.
    func addWrongMethods(_ routes: [String]) {
        for route in routes {
            let template = String(route.split(separator: " ")[1])
            let path = template.replacing(#/\{[^}]*\}/#, with: "x").replacing("**", with: "x")
            let kind = Self.kind(of: route)
            add("PUT (every route)", "PUT \(template)", path, method: "PUT", kind: kind, status: 405, code: "method_not_allowed")
        }
    }

    func addAll() {
        let m = "/v1/merchants/\(f.merchantID)", c = "/v1/contracts/\(f.contractA)", e = "/v1/webhook-endpoints/\(f.endpointID)"

        // Requests the HTTP parser refuses before any route: 400 from the parser, no route reached.
        add("GET /v1/contracts/{id}", "NUL in the path", "/v1/contracts/ctr_a\u{0}b", kind: .other, status: 400, code: nil)
        add("GET /v1/contracts/{id}", "CR in a header", "/v1/contracts/\(f.contractA)", headers: [("X-Note", "a\rb")], kind: .other, status: 400, code: nil)
        add("GET /v1/contracts/{id}", "NUL in the key", "/v1/contracts/\(f.contractA)", headers: [("Authorization", "Bearer a\u{0}b")],
            auth: false, kind: .other, status: 400, code: nil)
        add("GET /v1/contracts/{id}", "space in the path", "/v1/contracts/a b", kind: .other, status: 400, code: nil)
        add("GET /v1/contracts/{id}", "header of 1 MB", c, headers: [("X-Junk", String(repeating: "a", count: 1 << 20))], kind: .other,
            status: 400, code: nil)
        add("GET /v1/contracts/{id}", "backslash traversal", "/v1/contracts/..\\..\\etc\\passwd", status: 404, code: "contract_not_found")
        add("GET /v1/contracts/{id}", "dot segments", "/v1/contracts/../merchants", status: 404, code: "not_found")

        // Operations.
        add("GET /healthz", "junk query", "/healthz?%00=%FF&a=%0D%0A", status: 200, code: nil)
        add("GET /readyz", "junk query", "/readyz?%00=%FF", status: 200, code: nil)
        add("GET /metrics", "junk query", "/metrics?name[]=%00", status: 200, code: nil)
        add("GET /openapi.json", "junk query", "/openapi.json?%FF", status: 200, code: nil)

        // PKI: unknown names are 404; the responders answer garbage in their own protocol.
        add("GET /pki/root-ca.cer", "junk query", "/pki/root-ca.cer?%00", status: 200, code: "application/pkix-cert")
        badIDs("GET /pki/cert/{name}.cer", { "/pki/cert/\($0).cer" }, status: 404, code: "not_found")
        badIDs("GET /pki/crl/{name}.crl", { "/pki/crl/\($0).crl" }, status: 404, code: "not_found")
        add("POST /pki/ocsp", "garbage", "/pki/ocsp", headers: [("Content-Type", "application/ocsp-request")], body: [0x30, 0x82, 0xFF, 0xFF, 0],
            status: 200, code: "application/ocsp-response")
        add("POST /pki/ocsp", "declared oversized", "/pki/ocsp", headers: [("Content-Type", "application/ocsp-request")], declared: 50 << 20,
            status: 413, code: "body_too_large")
        add("POST /pki/ocsp", "deeply nested DER", "/pki/ocsp", headers: [("Content-Type", "application/ocsp-request")],
            body: Array(repeating: [0x30, 0x80], count: 20_000).flatMap { $0 }, status: 200, code: "application/ocsp-response")
        add("POST /pki/ocsp", "truncated", "/pki/ocsp", body: [0x30, 0x03], declared: 100, halfClose: true, status: 400, code: "incomplete_body")
        badIDs("GET /pki/ocsp/**", { "/pki/ocsp/\($0)" }, status: 200, code: "application/ocsp-response")
        add("POST /tsa", "garbage", "/tsa", headers: [("Content-Type", "application/timestamp-query")], body: [0x30, 0x01, 0xFF],
            status: 200, code: "application/timestamp-reply")
        add("POST /tsa", "declared oversized", "/tsa", declared: 50 << 20, status: 413, code: "body_too_large")
        add("POST /tsa", "truncated", "/tsa", body: [0x30], declared: 100, halfClose: true, status: 400, code: "incomplete_body")

        // Assets.
        badIDs("GET /assets/{name}", { "/assets/\($0)" }, status: 404, code: "not_found")
        add("GET /assets/{name}", "NUL after the name", "/assets/signet.css%00", status: 404, code: "not_found")

        // API: merchants.
        jsonBodies("POST /v1/merchants", "/v1/merchants")
        add("GET /v1/merchants", "no external id", "/v1/merchants", status: 400, code: "invalid_query")
        add("GET /v1/merchants", "external id of 201 characters", "/v1/merchants?external_id=" + String(repeating: "m", count: 201),
            status: 400, code: "invalid_query")
        badIDs("GET /v1/merchants/{id}", { "/v1/merchants/\($0)" }, status: 404, code: "merchant_not_found")
        badIDs("GET /v1/merchants/{id}/contracts", { "/v1/merchants/\($0)/contracts" }, status: 404, code: "merchant_not_found")
        for query in ["limit=1e400", "limit=18446744073709551616", "limit=-0", "cursor=%00", "state=%0D%0Ahappy"] {
            add("GET /v1/merchants/{id}/contracts", query, "\(m)/contracts?\(query)", status: 400, code: "invalid_query")
        }
        badIDs("GET /v1/merchants/{id}/timeline", { "/v1/merchants/\($0)/timeline" }, status: 404, code: "merchant_not_found")
        badIDs("POST /v1/merchants/{id}/documents", { "/v1/merchants/\($0)/documents" }, status: 404, code: "merchant_not_found",
               headers: [Self.pdf])
        pdfBodies("POST /v1/merchants/{id}/documents", "\(m)/documents")
        add("POST /v1/merchants/{id}/documents", "CR LF in the title", "\(m)/documents?title=a%0D%0ASet-Cookie:%20x=y", headers: [Self.pdf],
            body: Array("GIF89a".utf8), status: 422, code: "validation_failed")
        badIDs("GET /v1/merchants/{id}/documents", { "/v1/merchants/\($0)/documents" }, status: 404, code: "merchant_not_found")

        // API: templates.
        add("GET /v1/templates", "no API key", "/v1/templates", auth: false, status: 401, code: "unauthorized")
        add("GET /v1/templates", "a Basic key", "/v1/templates", headers: [("Authorization", "Basic YTpi")], auth: false, status: 401, code: "unauthorized")
        add("GET /v1/templates", "a key of 10 000 characters", "/v1/templates",
            headers: [("Authorization", "Bearer sk_" + String(repeating: "A", count: 10_000))], auth: false, status: 401, code: "unauthorized")
        badIDs("GET /v1/templates/{template}", { "/v1/templates/\($0)" }, status: 404, code: "template_not_found")
        add("GET /v1/templates/{template}", "NUL in the version", "/v1/templates/merchant-service-agreement?version=%00",
            status: 404, code: "template_not_found")

        // API: contracts.
        jsonBodies("POST /v1/contracts", "/v1/contracts")
        add("POST /v1/contracts", "1e400 as a field", "/v1/contracts", headers: [Self.json],
            body: Array(#"{"merchant_id":"\#(f.merchantID)","template_id":"merchant-service-agreement","fields":{"single_limit":1e400}}"#.utf8),
            status: 400, code: "invalid_json")
        var fields = f.sampleFields
        fields["single_limit"] = 1e300
        add("POST /v1/contracts", "1e300 as an amount", "/v1/contracts", headers: [Self.json],
            body: Self.jsonBytes(["merchant_id": f.merchantID, "template_id": "merchant-service-agreement", "fields": fields]),
            status: 400, code: "invalid_json")
        add("POST /v1/contracts", "expiry in year 99999", "/v1/contracts", headers: [Self.json],
            body: Self.jsonBytes(["merchant_id": f.merchantID, "template_id": "merchant-service-agreement", "fields": f.sampleFields,
                                  "expires_at": "99999-01-01T00:00:00Z"]),
            status: 422, code: "validation_failed")
        for query in ["limit=1e400", "limit=18446744073709551616", "limit=-0", "limit=0x10", "cursor=..%2F..%2F", "state=%00"] {
            add("GET /v1/contracts", query, "/v1/contracts?\(query)", status: 400, code: "invalid_query")
        }
        for (route, suffix) in [("GET /v1/contracts/{id}", ""), ("POST /v1/contracts/{id}/send", "/send"), ("POST /v1/contracts/{id}/void", "/void"),
                                ("POST /v1/contracts/{id}/signers/{role}/link", "/signers/merchant/link"),
                                ("POST /v1/contracts/{id}/signers/{role}/embedded-link", "/signers/merchant/embedded-link"),
                                ("GET /v1/contracts/{id}/document.pdf", "/document.pdf"), ("GET /v1/contracts/{id}/signed.pdf", "/signed.pdf"),
                                ("GET /v1/contracts/{id}/evidence.pdf", "/evidence.pdf"), ("GET /v1/contracts/{id}/audit-trail", "/audit-trail")] {
            badIDs(route, { "/v1/contracts/\($0)\(suffix)" }, status: 404, code: "contract_not_found")
        }
        jsonBodies("POST /v1/contracts/{id}/send", "\(c)/send")
        jsonBodies("POST /v1/contracts/{id}/void", "\(c)/void")
        add("POST /v1/contracts/{id}/void", "reason of 3 000 characters", "\(c)/void", headers: [Self.json],
            body: Array("{\"reason\":\"\(String(repeating: "r", count: 3000))\"}".utf8), status: 400, code: "invalid_request")
        jsonBodies("POST /v1/contracts/{id}/signers/{role}/link", "\(c)/signers/merchant/link")
        for role in ["..%2F..%2Fplatform", String(repeating: "r", count: 100), "merchant%00", "MERCHANT"] {
            add("POST /v1/contracts/{id}/signers/{role}/link", "role \(role.prefix(20))", "\(c)/signers/\(role)/link", status: 404, code: "signer_not_found")
        }
        jsonBodies("POST /v1/contracts/{id}/signers/{role}/embedded-link", "\(c)/signers/merchant/embedded-link")
        add("POST /v1/contracts/{id}/signers/{role}/embedded-link", "CR LF in a frame ancestor (reaches the CSP header)",
            "\(c)/signers/merchant/embedded-link", headers: [Self.json],
            body: Array(#"{"frame_ancestors":["https://a.example\r\nSet-Cookie: x=y","https://b.example\u0000"]}"#.utf8),
            status: 422, code: "validation_failed")
        add("GET /v1/contracts/{id}/signed.pdf", "not signed yet", "\(c)/signed.pdf", status: 409, code: "signed_document_not_ready")
        add("GET /v1/contracts/{id}/evidence.pdf", "not completed yet", "\(c)/evidence.pdf", status: 409, code: "contract_not_completed")

        // API: documents and verification.
        badIDs("GET /v1/documents/{file}", { "/v1/documents/\($0).pdf" }, status: 404, code: "document_not_found")
        pdfBodies("POST /v1/verify", "/v1/verify")

        // API: webhooks (the URLs: `addSSRF`).
        jsonBodies("POST /v1/webhook-endpoints", "/v1/webhook-endpoints")
        for query in ["limit=1e400", "limit=-0", "cursor=%FF%FE"] {
            add("GET /v1/webhook-endpoints", query, "/v1/webhook-endpoints?\(query)", status: 400, code: "invalid_query")
        }
        badIDs("GET /v1/webhook-endpoints/{id}", { "/v1/webhook-endpoints/\($0)" }, status: 404, code: "webhook_endpoint_not_found")
        badIDs("DELETE /v1/webhook-endpoints/{id}", { "/v1/webhook-endpoints/\($0)" }, status: 404, code: "webhook_endpoint_not_found")
        badIDs("POST /v1/webhook-endpoints/{id}/rotate-secret", { "/v1/webhook-endpoints/\($0)/rotate-secret" },
               status: 404, code: "webhook_endpoint_not_found")
        jsonBodies("POST /v1/webhook-endpoints/{id}/rotate-secret", "\(e)/rotate-secret")
        badIDs("GET /v1/webhook-endpoints/{id}/deliveries", { "/v1/webhook-endpoints/\($0)/deliveries" },
               status: 404, code: "webhook_endpoint_not_found")
        add("GET /v1/webhook-endpoints/{id}/deliveries", "limit 2^64", "\(e)/deliveries?limit=18446744073709551616", status: 400, code: "invalid_query")
        badIDs("POST /v1/webhook-deliveries/{id}/retry", { "/v1/webhook-deliveries/\($0)/retry" }, status: 404, code: "webhook_delivery_not_found")
        jsonBodies("POST /v1/webhook-deliveries/{id}/retry", "/v1/webhook-deliveries/\(f.deliveryID)/retry")

        // API: exports and certificates.
        jsonBodies("POST /v1/exports", "/v1/exports")
        add("POST /v1/exports", "a state that is none", "/v1/exports", headers: [Self.json], body: Array(#"{"state":"happy\r\n"}"#.utf8),
            status: 400, code: "invalid_request")
        badIDs("GET /v1/exports/{id}", { "/v1/exports/\($0)" }, status: 404, code: "export_not_found")
        badIDs("GET /v1/exports/{id}/archive", { "/v1/exports/\($0)/archive" }, status: 404, code: "export_not_found")
        add("GET /v1/exports/{id}/archive", "not ready", "/v1/exports/\(f.exportID)/archive", status: 409, code: "export_not_ready")
        jsonBodies("POST /v1/certificates/{serial}/revoke", "/v1/certificates/01/revoke")
        for serial in ["..%2F..%2Fkeys", "zz", "%00", String(repeating: "f", count: 4000)] {
            add("POST /v1/certificates/{serial}/revoke", "serial \(serial.prefix(20))", "/v1/certificates/\(serial)/revoke",
                status: 422, code: "validation_failed")
        }
        add("POST /v1/certificates/{serial}/revoke", "unknown serial", "/v1/certificates/7fffffffffffffffffff/revoke", status: 404, code: "certificate_unknown")

        addPages()
        addConsole()
    }

    func addPages() {
        let a = "/s/\(f.tokenA)", b = "/s/\(f.tokenB)", cPath = "/s/\(f.tokenC)"
        let cookieA = ("Cookie", "signet_session=\(f.sessionA)"), cookieB = ("Cookie", "signet_session=\(f.sessionB)")
        let tokens = ["..%2F..%2Fetc%2Fpasswd", "%252e%252e%252f", "..%5C..%5C", String(repeating: "A", count: 42) + "%00",
                      String(repeating: "A", count: 42) + "%C0%AE", String(repeating: "A", count: 4000)]
        func pageIDs(_ route: String, _ suffix: String) {
            for token in tokens { add(route, "token \(token.prefix(20))", "/s/\(token)\(suffix)", status: 404, code: "not_found") }
        }
        func formBody(_ fields: [String: String]) -> [UInt8] {
            Array(fields.sorted { $0.key < $1.key }.map { "\($0.key)=\(PageClient.escape($0.value))" }.joined(separator: "&").utf8)
        }

        pageIDs("GET /s/{token}", "")
        add("GET /s/{token}", "a used embedded link", f.usedEmbeddedPath, status: 410, code: "gone")

        pageIDs("POST /s/{token}/code", "/code")
        add("POST /s/{token}/code", "from another site", "\(cPath)/code", headers: [Self.form, Self.crossSite], body: [], status: 403, code: "csrf")
        add("POST /s/{token}/code", "a second code within 60 s", "\(cPath)/code", headers: [Self.form], body: [], status: 429, code: "rate")
        pageIDs("GET /s/{token}/code", "/code")

        pageIDs("POST /s/{token}/verify", "/verify")
        add("POST /s/{token}/verify", "replayed code (used once to open A's session)", "\(a)/verify", headers: [Self.form],
            body: formBody(["code": f.usedCodeA]), status: 422, code: "code")
        add("POST /s/{token}/verify", "from another site", "\(cPath)/verify", headers: [Self.form, Self.crossSite],
            body: formBody(["code": f.usedCodeA]), status: 403, code: "csrf")
        add("POST /s/{token}/verify", "invalid UTF-8 code", "\(cPath)/verify", headers: [Self.form], body: Array("code=%FF%FE%C0".utf8),
            status: 422, code: "code")
        add("POST /s/{token}/verify", "oversized form", "\(cPath)/verify", headers: [Self.form],
            body: Array(("code=" + String(repeating: "1", count: 20_000)).utf8), status: 422, code: "code")
        // A form cut short reads as no form: a wrong (empty) code, a missing CSRF token.
        add("POST /s/{token}/verify", "truncated", "\(cPath)/verify", headers: [Self.form], body: Array("code=1".utf8), declared: 100,
            halfClose: true, status: 422, code: "code")

        pageIDs("GET /s/{token}/review", "/review")
        add("GET /s/{token}/review", "no session", "\(a)/review", status: 401, code: "session")
        add("GET /s/{token}/review", "another signer's session (stolen cookie)", "\(a)/review", headers: [cookieB], status: 401, code: "session")
        add("GET /s/{token}/review", "a forged session", "\(a)/review", headers: [("Cookie", "signet_session=ses_forged")], status: 401, code: "session")
        pageIDs("GET /s/{token}/document.pdf", "/document.pdf")
        add("GET /s/{token}/document.pdf", "another signer's session", "\(a)/document.pdf", headers: [cookieB], status: 401, code: "session")
        pageIDs("GET /s/{token}/pages/{page}", "/pages/1.png")
        for page in ["0.png", "-0.png", "18446744073709551616.png", "1.png%00", "..%2F..%2Fetc%2Fpasswd", "1e400.png", "1"] {
            add("GET /s/{token}/pages/{page}", "page \(page)", "\(a)/pages/\(page)", headers: [cookieA], status: 404, code: "not_found")
        }
        add("GET /s/{token}/pages/{page}", "another signer's session", "\(a)/pages/1.png", headers: [cookieB], status: 401, code: "session")

        for (route, action, extra) in [("POST /s/{token}/sign", "sign", ["consent": "yes"]), ("POST /s/{token}/decline", "decline", ["reason": "no"])] {
            pageIDs(route, "/\(action)")
            let path = "\(a)/\(action)"
            add(route, "no CSRF token", path, headers: [Self.form, cookieA], body: formBody(extra), status: 403, code: "csrf")
            add(route, "a forged CSRF token", path, headers: [Self.form, cookieA], body: formBody(extra.merging(["csrf": "forged"]) { $1 }),
                status: 403, code: "csrf")
            add(route, "another session's CSRF token", path, headers: [Self.form, cookieA], body: formBody(extra.merging(["csrf": f.csrfB]) { $1 }),
                status: 403, code: "csrf")
            add(route, "another signer's cookie and token", path, headers: [Self.form, cookieB],
                body: formBody(extra.merging(["csrf": f.csrfB]) { $1 }), status: 401, code: "session")
            add(route, "no session", path, headers: [Self.form], body: formBody(extra.merging(["csrf": f.csrfA]) { $1 }), status: 401, code: "session")
            add(route, "from another site (Origin), with cookie and token", path, headers: [Self.form, cookieA, Self.crossSite],
                body: formBody(extra.merging(["csrf": f.csrfA]) { $1 }), status: 403, code: "csrf")
            add(route, "from another site (Sec-Fetch-Site), with cookie and token", path, headers: [Self.form, cookieA, ("Sec-Fetch-Site", "cross-site")],
                body: formBody(extra.merging(["csrf": f.csrfA]) { $1 }), status: 403, code: "csrf")
            add(route, "Origin null from another site, with cookie and token", path,
                headers: [Self.form, cookieA, ("Origin", "null"), ("Sec-Fetch-Site", "cross-site")],
                body: formBody(extra.merging(["csrf": f.csrfA]) { $1 }), status: 403, code: "csrf")
            add(route, "from a sibling host (Sec-Fetch-Site: same-site), with cookie and token", path,
                headers: [Self.form, cookieA, ("Sec-Fetch-Site", "same-site")],
                body: formBody(extra.merging(["csrf": f.csrfA]) { $1 }), status: 403, code: "csrf")
            add(route, "wrong content type", path, headers: [("Content-Type", "text/plain"), cookieA],
                body: formBody(extra.merging(["csrf": f.csrfA]) { $1 }), status: 403, code: "csrf")
            add(route, "invalid UTF-8 token", path, headers: [Self.form, cookieA], body: Array("csrf=%FF%FE%C0%AF".utf8), status: 403, code: "csrf")
            add(route, "oversized form", path, headers: [Self.form, cookieA],
                body: formBody(extra.merging(["csrf": f.csrfA, "pad": String(repeating: "p", count: 20_000)]) { $1 }), status: 403, code: "csrf")
            add(route, "truncated", path, headers: [Self.form, cookieA], body: Array("csrf=".utf8), declared: 300, halfClose: true,
                status: 403, code: "csrf")
        }
        add("POST /s/{token}/sign", "no consent", "\(a)/sign", headers: [Self.form, cookieA], body: formBody(["csrf": f.csrfA]),
            status: 422, code: "review")
        add("POST /s/{token}/decline", "no reason", "\(a)/decline", headers: [Self.form, cookieA], body: formBody(["csrf": f.csrfA, "reason": " "]),
            status: 422, code: "review")

        pageIDs("GET /s/{token}/done", "/done")
        add("GET /s/{token}/done", "another signer's session", "\(a)/done", headers: [cookieB], status: 401, code: "session")
        pageIDs("GET /s/{token}/signed.pdf", "/signed.pdf")
        add("GET /s/{token}/signed.pdf", "not signed yet", "\(a)/signed.pdf", headers: [cookieA], status: 409, code: "state")
        add("GET /s/{token}/signed.pdf", "another signer's session", "\(b)/signed.pdf", headers: [cookieA], status: 401, code: "session")
    }

    func addConsole() {
        let session = ("Cookie", "signet_console=\(f.consoleSession)")
        let login = ("Cookie", "signet_console_login=\(f.loginCookie)")
        func form(_ fields: [String: String]) -> [UInt8] {
            Array(fields.sorted { $0.key < $1.key }.map { "\($0.key)=\(PageClient.escape($0.value))" }.joined(separator: "&").utf8)
        }
        add("GET /console/login", "junk query", "/console/login?next=https://evil.example&%00", status: 200, code: "console-login")
        let route = "POST /console/login"
        add(route, "no CSRF token", "/console/login", headers: [Self.form, login], body: form(["api_key": api.apiKey]), status: 403, code: "console-message")
        add(route, "a forged CSRF token", "/console/login", headers: [Self.form, login], body: form(["api_key": api.apiKey, "csrf": "forged"]),
            status: 403, code: "console-message")
        add(route, "a token without its cookie", "/console/login", headers: [Self.form], body: form(["api_key": api.apiKey, "csrf": f.loginCSRF]),
            status: 403, code: "console-message")
        add(route, "from another site, with a good key", "/console/login", headers: [Self.form, login, Self.crossSite],
            body: form(["api_key": api.apiKey, "csrf": f.loginCSRF]), status: 403, code: "console-message")
        add(route, "an unknown key", "/console/login", headers: [Self.form, login],
            body: form(["api_key": "sk_" + String(repeating: "A", count: 43), "csrf": f.loginCSRF]), status: 401, code: "console-login")
        add(route, "invalid UTF-8 key", "/console/login", headers: [Self.form, login],
            body: Array("api_key=%FF%FE&csrf=\(f.loginCSRF)".utf8), status: 401, code: "console-login")
        add(route, "oversized form", "/console/login", headers: [Self.form, login],
            body: form(["api_key": String(repeating: "k", count: 20_000), "csrf": f.loginCSRF]), status: 403, code: "console-message")
        add(route, "truncated", "/console/login", headers: [Self.form, login], body: Array("csrf=".utf8), declared: 300, halfClose: true,
            status: 403, code: "console-message")
        add("POST /console/logout", "no CSRF token", "/console/logout", headers: [Self.form, session], body: [], status: 403, code: "console-message")
        add("POST /console/logout", "the login form's token", "/console/logout", headers: [Self.form, session], body: form(["csrf": f.loginCSRF]),
            status: 403, code: "console-message")
        add("POST /console/logout", "from another site, with its token", "/console/logout", headers: [Self.form, session, Self.crossSite],
            body: form(["csrf": f.consoleCSRF]), status: 403, code: "console-message")
        add("GET /console", "no session", "/console", status: 303, code: "/console/login")
        add("GET /console", "a signer's session as the console's", "/console", headers: [("Cookie", "signet_console=\(f.sessionA)")],
            status: 303, code: "/console/login")
        add("GET /console/merchants", "no session", "/console/merchants", status: 303, code: "/console/login")
        badIDs("GET /console/merchants/{id}", { "/console/merchants/\($0)" }, status: 404, code: "console-message", headers: [session])
        badIDs("GET /console/contracts/{id}", { "/console/contracts/\($0)" }, status: 404, code: "console-message", headers: [session])
    }

    /// The link of contract C and B's session after every contract expired.
    func expiredCases() -> [HostileCase] {
        let before = cases.count
        add("GET /s/{token}", "an expired contract's link", "/s/\(f.tokenC)", status: 410, code: "gone")
        // Its sessions idled out long before (30 minutes).
        add("GET /s/{token}/review", "an expired contract's session", "/s/\(f.tokenB)/review", headers: [("Cookie", "signet_session=\(f.sessionB)")],
            status: 401, code: "session")
        add("POST /s/{token}/sign", "signing an expired contract", "/s/\(f.tokenB)/sign",
            headers: [Self.form, ("Cookie", "signet_session=\(f.sessionB)")], body: Array("csrf=\(f.csrfB)&consent=yes".utf8), status: 401, code: "session")
        return Array(cases[before...])
    }

    /// Webhook endpoints that must be refused (the service does not allow private
    /// addresses): every private, loopback, link-local, unique-local and reserved range,
    /// other spellings of 127.0.0.1, user information, other schemes, control characters.
    func addSSRF() throws {
        let route = "POST /v1/webhook-endpoints"
        let refused = [
            "http://127.0.0.1/hook", "http://127.1.2.3:8080/", "http://localhost/", "http://LocalHost/", "http://[::1]/", "http://0.0.0.0/",
            "http://0/", "http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/", "http://172.16.0.1/", "http://172.31.255.255/",
            "http://192.168.1.1/", "http://100.64.0.1/", "http://[fc00::1]/", "http://[fd12:3456::1]/", "http://[fe80::1]/", "http://[fe80::1%25eth0]/",
            "http://[::ffff:127.0.0.1]/", "http://[::ffff:7f00:1]/", "http://[::ffff:169.254.169.254]/", "http://[64:ff9b::a9fe:a9fe]/",
            "http://[::127.0.0.1]/", "http://2130706433/", "http://0x7f000001/", "http://0177.0.0.1/", "http://0x7f.1/", "http://127.1/",
            "http://017700000001/", "http://224.0.0.1/", "http://255.255.255.255/", "http://198.18.0.1/",
            "http://example.com@127.0.0.1/", "http://user:pass@93.184.215.14/", "http://93.184.215.14#@127.0.0.1/",
            "http://93.184.215.14\\@127.0.0.1/", "ftp://93.184.215.14/", "file:///etc/passwd", "gopher://127.0.0.1:6379/_INFO",
            "javascript:alert(1)", "//93.184.215.14/", "http:///hook", "http://93.184.215.14/a\r\nX-Injected: 1",
            "http://93.184.215.14/a\nHost: 127.0.0.1", "http://93.184.215.14/\u{0}", "http://93.184.215.14\r\n/", "http://93.184.215.14/a b",
            "https://93.184.215.14/" + String(repeating: "a", count: 2100),
        ]
        for url in refused {
            let body = try JSONSerialization.data(withJSONObject: ["url": url])
            let code = url.count > 2048 ? "invalid_request" : "webhook_url_refused"
            add(route, "URL \(url.prefix(40).debugDescription)", "/v1/webhook-endpoints", headers: [Self.json], body: Array(body),
                status: url.count > 2048 ? 400 : 422, code: code)
        }
    }
}
