import FoundationEssentials
import SignetTemplates
import HTTPTypes
import Hummingbird
import NIOCore
import SignetCrypto
import SignetService

/// The signing page (`/s/{token}…`, DESIGN.md "Signing link and signer authentication"):
/// landing, one-time code, review, sign, decline, done, and the downloads. Server-rendered
/// HTML that works without JavaScript; every error is an HTML page (`PageError`).
///
/// The session cookie (`signet_session`) is scoped to its link's path (`/s/{token}`), holds
/// the `ses_…` secret, HttpOnly + SameSite=Strict (+ Secure over https). After signing or
/// declining the link is dead, but its session still shows the done page and the signed PDF
/// until it idles out. The pages of an embedded link's session may be framed by the origins
/// its integrator named (`frame_ancestors`); every other page by nobody (or the server's
/// `--frame-ancestors`).
struct SigningPagesController {
    let service: SignetService
    let cookies: PageCookies

    static let cookieName = "signet_session"

    func endpoints(to group: RouterGroup<SignetRequestContext>) {
        group.get("s/{token}", use: landing)
        group.post("s/{token}/code", use: requestCode)
        group.get("s/{token}/code", use: codeForm)
        group.post("s/{token}/verify", use: verify)
        group.get("s/{token}/review", use: review)
        group.get("s/{token}/document.pdf", use: documentPDF)
        group.get("s/{token}/pages/{page}", use: pageImage)
        group.post("s/{token}/sign", use: sign)
        group.post("s/{token}/decline", use: decline)
        group.get("s/{token}/done", use: done)
        group.get("s/{token}/signed.pdf", use: signedPDF)
    }

    // MARK: - Landing and code

    @Sendable func landing(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let token = try Self.token(context)
        let origin = Self.origin(request, context: context)
        if let existing = try? await service.signerContext(token: token, sessionSecret: PageCookies.value(Self.cookieName, in: request)) {
            return framed(HTMLResponse.redirect(to: Self.next(existing, token: token)), existing)
        }
        if try await service.isEmbeddedLink(token: token) {
            let grant = try await pageCall(request, token: token) { try await service.enterEmbeddedLink(token: token, origin: origin) }
            return sessionRedirect(grant, token: token)
        }
        let link = try await pageCall(request, token: token) { try await service.openLink(token: token, origin: origin) }
        let language = PageLanguage.of(locale: link.contract.locale, request: request)
        return page("landing", contract: link.contract, role: link.role, token: token, language: language, title: link.contract.title)
    }

    @Sendable func requestCode(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let token = try Self.token(context)
        let origin = Self.origin(request, context: context)
        _ = try await pageCall(request, token: token) { try await service.requestCode(token: token, origin: origin) }
        return HTMLResponse.redirect(to: "/s/\(token)/code?sent=1")
    }

    @Sendable func codeForm(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let token = try Self.token(context)
        let link = try await pageCall(request, token: token) { try await service.openLink(token: token, origin: Self.origin(request, context: context)) }
        let language = PageLanguage.of(locale: link.contract.locale, request: request)
        var extra: [String: Any] = [:]
        if request.uri.queryParameters.get("sent") == "1" { extra["sent"] = true }
        return page("code", contract: link.contract, role: link.role, token: token, language: language, title: link.contract.title, extra: extra)
    }

    @Sendable func verify(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let token = try Self.token(context)
        let origin = Self.origin(request, context: context)
        let code = (await FormBody.fields(request))["code"]?.trimmingWhitespace() ?? ""
        do {
            let grant = try await service.verifyCode(token: token, code: String(code.prefix(16)), origin: origin)
            return sessionRedirect(grant, token: token)
        } catch let error as ServiceError {
            let key: String
            var tries = ""
            switch error {
            case .otpInvalid(let left): (key, tries) = ("otp_invalid", String(left))
            case .otpExpired: key = "otp_expired"
            default: throw Self.pageError(error, request: request, language: await language(token: token, request: request))
            }
            let link = try await pageCall(request, token: token) { try await service.openLink(token: token, origin: origin) }
            let language = PageLanguage.of(locale: link.contract.locale, request: request)
            let message = language.text(key).replacing("{n}", with: tries)
            return page("code", contract: link.contract, role: link.role, token: token, language: language,
                        title: link.contract.title, extra: ["error": message], status: .unprocessableContent)
        }
    }

    // MARK: - Review, sign, decline, done

    @Sendable func review(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let token = try Self.token(context)
        let signer = try await session(request, token: token)
        if signer.signer.state == .signed || signer.signer.state == .declined { return framed(HTMLResponse.redirect(to: "/s/\(token)/done"), signer) }
        return framed(await reviewPage(signer, token: token, request: request), signer)
    }

    @Sendable func sign(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let token = try Self.token(context)
        let form = await FormBody.fields(request)
        let signer = try await session(request, token: token, csrf: form["csrf"])
        let language = PageLanguage.of(locale: signer.contract.locale, request: request)
        guard form["consent"] == "yes" else {
            return framed(await reviewPage(signer, token: token, request: request, error: language.text("consent_required"),
                                           status: .unprocessableContent), signer)
        }
        let origin = Self.origin(request, context: context)
        do {
            _ = try await service.signAsSigner(signer, consent: language.text("consent"), documentSHA256Shown: form["document_sha256"] ?? "",
                                               origin: origin)
        } catch let error as ServiceError where error.code == "already_signed" || error.code == "signing_in_progress" {
            // A double click or a second tab: the first request signs; this one shows the done page.
        }
        return framed(HTMLResponse.redirect(to: "/s/\(token)/done"), signer)
    }

    @Sendable func decline(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let token = try Self.token(context)
        let form = await FormBody.fields(request)
        let signer = try await session(request, token: token, csrf: form["csrf"])
        let language = PageLanguage.of(locale: signer.contract.locale, request: request)
        do {
            _ = try await service.decline(signer, reason: form["reason"] ?? "", origin: Self.origin(request, context: context))
        } catch ServiceError.validationFailed {
            return framed(await reviewPage(signer, token: token, request: request, error: language.text("decline_required"),
                                           status: .unprocessableContent), signer)
        } catch let error as ServiceError {
            throw Self.pageError(error, request: request, language: language)
        }
        return framed(HTMLResponse.redirect(to: "/s/\(token)/done"), signer)
    }

    @Sendable func done(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let token = try Self.token(context)
        let signer = try await session(request, token: token)
        let language = PageLanguage.of(locale: signer.contract.locale, request: request)
        var extra: [String: Any] = [:]
        switch signer.signer.state {
        case .declined:
            extra = ["page": "declined", "heading": language.text("declined_title"), "text": language.text("declined_intro")]
        case .signed:
            extra = ["page": "done", "heading": language.text("done_title"),
                     "text": language.text(signer.contract.state == .completed ? "done_intro" : "pending_countersign"),
                     "signed_sha256_label": language.text("signed_sha256")]
            if signer.contract.state == .completed, let signed = signer.contract.signed { extra["signed_sha256"] = signed.sha256 }
        default:
            // The signature is being made by another request (double click): show that it is under way.
            extra = ["page": "signing", "heading": language.text("signing"), "text": language.text("pending_countersign")]
        }
        return framed(page("done", contract: signer.contract, role: signer.session.role, token: token, language: language,
                           title: extra["heading"] as? String ?? "", extra: extra), signer)
    }

    // MARK: - Downloads

    @Sendable func documentPDF(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let token = try Self.token(context)
        let signer = try await session(request, token: token)
        let download = try await pageCall(request) { try await service.originalPDF(contractID: signer.contract.id) }
        return framed(APIResponse.pdf(download, request: request), signer)
    }

    @Sendable func signedPDF(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let token = try Self.token(context)
        let signer = try await session(request, token: token)
        guard signer.signer.state == .signed, signer.contract.state == .completed else { throw PageError(.conflict, "state") }
        let download = try await pageCall(request) { try await service.signedPDF(contractID: signer.contract.id) }
        return framed(APIResponse.pdf(download, request: request), signer)
    }

    @Sendable func pageImage(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let token = try Self.token(context)
        let signer = try await session(request, token: token)
        guard let name = context.parameters.get("page"), name.hasSuffix(".png"), let number = Int(name.dropLast(4)),
              (1...(signer.contract.original.pageCount ?? 0)).contains(number) else { throw PageError(.notFound, "not_found") }
        let png = try await pageCall(request) { try await PageImages.png(service: service, contractID: signer.contract.id, page: number) }
        // Private to this signer's session: no shared cache may keep it, the browser may for
        // the session's lifetime (the image of a given contract's page never changes).
        let headers: HTTPFields = [.contentType: "image/png", .contentLength: String(png.count),
                                   .cacheControl: "private, max-age=\(Int(service.configuration.signerAccess.sessionIdleTimeout))"]
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: png)))
    }

    // MARK: - Helpers

    private func session(_ request: Request, token: String, csrf: String?? = .none) async throws -> SignerContext {
        let secret = PageCookies.value(Self.cookieName, in: request)
        let signer = try await pageCall(request, token: token) { try await service.signerContext(token: token, sessionSecret: secret) }
        if case .some(let presented) = csrf, let secret, !CSRFToken.matches(presented, sessionSecret: secret) {
            throw PageError(.forbidden, "csrf", language: PageLanguage.of(locale: signer.contract.locale, request: request))
        }
        return signer
    }

    private func reviewPage(_ signer: SignerContext, token: String, request: Request, error: String? = nil,
                            status: HTTPResponse.Status = .ok) async -> Response {
        let language = PageLanguage.of(locale: signer.contract.locale, request: request)
        let pages = signer.contract.original.pageCount ?? 0
        let size = PageImages.displaySize
        let images: [[String: Any]] = (0..<pages).map { index in
            ["n": index + 1, "width": size.width, "height": size.height,
             "alt": language.text("page_alt").replacing("{n}", with: String(index + 1))
                .replacing("{total}", with: String(pages))]
        }
        var extra: [String: Any] = ["page_count": pages, "document_sha256": signer.contract.original.sha256, "page_images": images,
                                    "csrf": PageCookies.value(Self.cookieName, in: request).map { CSRFToken.token(sessionSecret: $0) } ?? ""]
        if let error { extra["error"] = error }
        return page("review", contract: signer.contract, role: signer.session.role, token: token, language: language,
                    title: language.text("review_title"), extra: extra, status: status)
    }

    private func page(_ name: String, contract: Contract, role: PartyRole, token: String, language: PageLanguage, title: String,
                      extra: [String: Any] = [:], status: HTTPResponse.Status = .ok) -> Response {
        var context: [String: Any] = language.strings
        context["base_path"] = "/s/\(token)"
        context["contract_title"] = contract.title
        context["contract_number"] = contract.number
        context["merchant_name"] = contract.fields["merchant_name"] ?? ""
        context["platform_name"] = contract.fields["platform_name"] ?? contract.signer(.platform)?.name ?? ""
        context["signer_name"] = contract.signer(role)?.name ?? ""
        context["expires_iso"] = TimeText.iso8601(contract.expiresAt)
        context["expires_text"] = PageTime.text(contract.expiresAt, utcOffsetSeconds: service.configuration.utcOffsetSeconds)
        for (key, value) in extra { context[key] = value }
        let html = PageLibrary.shared.render(name, context: context, language: language.rawValue, title: title)
        return HTMLResponse.page(html, status: status)
    }

    private func sessionRedirect(_ grant: SessionGrant, token: String) -> Response {
        var response = HTMLResponse.redirect(to: "/s/\(token)/review")
        response.setCookie(cookies.session(name: Self.cookieName, value: grant.secret, path: "/s/\(token)",
                                           framed: !grant.session.frameAncestors.isEmpty))
        return Self.framed(response, grant.session)
    }

    /// `response` with the framing of `signer`'s session: its embedded link's origins when
    /// the integrator gave some; otherwise as it is (the server's default, set by
    /// `SecurityHeadersMiddleware`).
    private func framed(_ response: Response, _ signer: SignerContext) -> Response { Self.framed(response, signer.session) }

    private static func framed(_ response: Response, _ session: SignerSession) -> Response {
        guard !session.frameAncestors.isEmpty else { return response }
        var response = response
        FramePolicy(allowedOrigins: session.frameAncestors).apply(to: &response.headers)
        return response
    }

    private static func next(_ signer: SignerContext, token: String) -> String {
        signer.signer.state == .signed || signer.signer.state == .declined ? "/s/\(token)/done" : "/s/\(token)/review"
    }

    /// Runs a service call; its refusals become error pages, in the language of the contract
    /// of `token` when there is one.
    private func pageCall<T>(_ request: Request, token: String? = nil, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as ServiceError {
            var pageLanguage: PageLanguage?
            if let token { pageLanguage = await language(token: token, request: request) }
            throw Self.pageError(error, request: request, language: pageLanguage)
        }
    }

    /// The language of the pages of `token`'s contract (the browser's choice for unknown links).
    private func language(token: String, request: Request) async -> PageLanguage {
        PageLanguage.of(locale: await service.linkLocale(token: token), request: request)
    }

    static func pageError(_ error: ServiceError, request: Request, language: PageLanguage? = nil) -> any Error {
        switch error {
        case .linkInvalid, .notFound: return PageError(.notFound, "not_found", language: language)
        case .linkExpired, .contractExpired: return PageError(.gone, "gone", language: language)
        case .sessionRequired: return PageError(.unauthorized, "session", language: language)
        case .csrfFailed: return PageError(.forbidden, "csrf", language: language)
        case .otpLocked(let seconds): return PageError(.tooManyRequests, "locked", retryAfter: seconds, language: language)
        case .otpResendTooSoon(let seconds), .rateLimited(let seconds):
            return PageError(.tooManyRequests, "rate", retryAfter: seconds, language: language)
        case .internalFailure: return error
        default: return PageError(.conflict, "state", language: language)
        }
    }

    /// The link token of the path: base64url, 43 characters (256 bits); anything else is an
    /// unknown link (404) without a lookup.
    static func token(_ context: SignetRequestContext) throws -> String {
        guard let token = context.parameters.get("token"), token.utf8.count == 43,
              token.utf8.allSatisfy({ $0 == 0x2D || $0 == 0x5F || (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) })
        else { throw PageError(.notFound, "not_found") }
        return token
    }

    static func origin(_ request: Request, context: SignetRequestContext) -> RequestOrigin {
        let agent = request.headers[.userAgent].map { String($0.prefix(512)) }
        return RequestOrigin(actor: "signer", ip: context.remoteAddress?.ipAddress, userAgent: agent)
    }
}
