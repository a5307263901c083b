public import FoundationEssentials
public import SignetCrypto

/// Which endpoint URLs webhooks may be posted to: absolute `http`/`https` URLs with a host,
/// without user information, a fragment, spaces, control characters or backslashes; and, checked after DNS resolution before every
/// delivery (a name may later resolve elsewhere), only public addresses unless
/// `allowPrivate` (development: loopback, private, link-local and unique-local ranges).
public struct WebhookURLPolicy: Sendable {
    /// Whether loopback and private ranges are reachable (`ServiceConfiguration.allowPrivateWebhooks`).
    public var allowPrivate: Bool

    /// A policy.
    public init(allowPrivate: Bool) { self.allowPrivate = allowPrivate }

    /// The URL if its form is acceptable; `ServiceError.webhookURLRefused` says why not.
    public func parse(_ text: String) throws -> URL {
        // Foundation would percent-encode these and accept the URL; the stored text would still
        // hold them (a CR LF meant for a header, a NUL, a `\` some parsers read as `/`).
        guard !text.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F || $0 == "\\" }) else {
            throw ServiceError.webhookURLRefused("the URL contains a space, a control character or a backslash")
        }
        guard text.utf8.count <= 2048, let url = URL(string: text), let scheme = url.scheme?.lowercased() else {
            throw ServiceError.webhookURLRefused("not an absolute URL")
        }
        guard scheme == "http" || scheme == "https" else { throw ServiceError.webhookURLRefused("only http and https URLs are allowed, not \(scheme)") }
        guard let host = url.host(percentEncoded: false), !host.isEmpty else { throw ServiceError.webhookURLRefused("the URL has no host") }
        guard url.user == nil, url.password == nil, !text.contains("@") || !(url.host.map { text.contains("@\($0)") } ?? false) else {
            throw ServiceError.webhookURLRefused("user information in the URL is not allowed")
        }
        guard url.fragment == nil else { throw ServiceError.webhookURLRefused("a fragment is not allowed") }
        return url
    }

    /// The URL's host resolved, every address allowed; `ServiceError.webhookURLRefused` when
    /// the form, the name or an address is refused.
    public func check(_ text: String) async throws -> (url: URL, addresses: [IPAddress]) {
        let url = try parse(text)
        let host = url.host(percentEncoded: false) ?? ""
        do {
            return (url, try await OutboundAddressCheck.check(host: host, allowPrivate: allowPrivate))
        } catch let error as OutboundAddressError {
            throw ServiceError.webhookURLRefused(error.description)
        }
    }
}
