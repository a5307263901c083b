public import FoundationEssentials

/// An API key as stored: its SHA-256, never the key.
public struct APIKeyRecord: Sendable, Hashable, Codable {
    /// `key_…`.
    public var id: String
    /// What the operator called it.
    public var name: String
    /// The key's first characters (`sk_AbCd`), to recognise it in lists.
    public var prefix: String
    /// SHA-256 (hex) of the whole key.
    public var hash: String
    /// When it was created.
    public var createdAt: Date
    /// When it was revoked; nil while valid.
    public var revokedAt: Date?

    /// A key record.
    public init(id: String, name: String, prefix: String, hash: String, createdAt: Date, revokedAt: Date? = nil) {
        self.id = id
        self.name = name
        self.prefix = prefix
        self.hash = hash
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }
}
