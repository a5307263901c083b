public import Hummingbird
public import NIOCore

/// The request context of every Signet route: Hummingbird's core storage plus the request
/// id (`X-Request-Id`) that problems, logs and the response carry.
public struct SignetRequestContext: RequestContext {
    /// Hummingbird's per-request storage (logger, parameters, matched route).
    public var coreContext: CoreRequestContextStorage
    /// The request id: the client's `X-Request-Id` when sane, else a generated one
    /// (`RequestIDMiddleware`). Empty only before that middleware ran.
    public var requestID: String
    /// The remote peer, when known (for audit events).
    public let remoteAddress: SocketAddress?
    /// JSON bodies decoded through `request.decode(as:context:)` are refused past this size
    /// (413, `body_too_large`).
    public var maxUploadSize: Int
    /// The API key that authenticated the request (`key_…`; `APIKeyMiddleware`), nil on
    /// routes without authentication.
    public var apiKeyID: String?

    /// A context for one request; the JSON body limit is the default 1 MB until the
    /// application sets its own (`ServerConfiguration.jsonBodyLimit`).
    public init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        requestID = ""
        remoteAddress = source.channel.remoteAddress
        maxUploadSize = 1_000_000
    }
}
