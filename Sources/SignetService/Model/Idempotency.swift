/// An idempotency key, scoped to the API key that sent it.
public struct IdempotencyKey: Sendable, Hashable {
    /// The API key's id.
    public var scope: String
    /// The client's `Idempotency-Key` header.
    public var key: String

    /// A scoped key.
    public init(scope: String, key: String) {
        self.scope = scope
        self.key = key
    }
}

/// A response kept for replay.
public struct StoredResponse: Sendable, Hashable, Codable {
    /// HTTP status.
    public var status: Int
    /// The headers to replay (content type, location, …), in order.
    public var headers: [[String]]
    /// The body as sent (sealed by the service before storage when it holds secrets).
    public var body: [UInt8]

    /// A response.
    public init(status: Int, headers: [[String]], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// What `IdempotencyRepository.begin` found.
public enum IdempotencyStart: Sendable, Hashable {
    /// A new record: run the request, then `complete` or `release` it.
    case started
    /// The key was used with the same request: replay this.
    case replay(StoredResponse)
    /// The key's first request is still running.
    case inProgress
    /// The key was used with a different request.
    case mismatch
}
