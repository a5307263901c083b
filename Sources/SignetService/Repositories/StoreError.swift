/// What a repository reports besides its results. The service maps these to its own errors;
/// a store never lets SQL or driver text reach an API response.
public enum StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A unique value exists already (`what` names it, e.g. `merchant.external_id`).
    case duplicate(String)
    /// A referenced row or blob is missing (`what` names it).
    case missing(String)
    /// The database or the blob directory cannot be used (the detail is for logs only).
    case unavailable(String)
    /// Stored data is not what the store wrote (bad digest, unreadable row); for logs only.
    case corrupt(String)

    /// A stable machine-readable code.
    public var code: String {
        switch self {
        case .duplicate: "store.duplicate"
        case .missing: "store.missing"
        case .unavailable: "store.unavailable"
        case .corrupt: "store.corrupt"
        }
    }

    /// A one-line message for logs.
    public var description: String {
        switch self {
        case .duplicate(let what): "duplicate \(what)"
        case .missing(let what): "missing \(what)"
        case .unavailable(let detail): "storage unavailable: \(detail)"
        case .corrupt(let detail): "stored data is corrupt: \(detail)"
        }
    }
}
