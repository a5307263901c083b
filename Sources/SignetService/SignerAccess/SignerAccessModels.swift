public import FoundationEssentials
public import SignetTemplates

/// One one-time code sent to a signer: the code itself is never stored, only its keyed
/// SHA-256 (`SignerAccessSecrets.codeHash`).
public struct CodeChallenge: Sendable, Hashable {
    /// `otp_…`.
    public var id: String
    /// The contract.
    public var contractID: String
    /// The signer's role.
    public var role: PartyRole
    /// SHA-256 of the link token it was requested through.
    public var tokenHash: String
    /// The code's keyed hash.
    public var codeHash: String
    /// The notifier that delivered it (`log`, `webhook`).
    public var notifier: String
    /// When it was requested.
    public var createdAt: Date
    /// When it stops being accepted.
    public var expiresAt: Date
    /// Wrong codes entered so far.
    public var failedAttempts: Int
    /// When five wrong codes locked it.
    public var lockedAt: Date?
    /// When the right code was entered (a code is accepted once).
    public var verifiedAt: Date?

    /// A challenge with every member given.
    public init(id: String, contractID: String, role: PartyRole, tokenHash: String, codeHash: String, notifier: String,
                createdAt: Date, expiresAt: Date, failedAttempts: Int = 0, lockedAt: Date? = nil, verifiedAt: Date? = nil) {
        self.id = id
        self.contractID = contractID
        self.role = role
        self.tokenHash = tokenHash
        self.codeHash = codeHash
        self.notifier = notifier
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.failedAttempts = failedAttempts
        self.lockedAt = lockedAt
        self.verifiedAt = verifiedAt
    }
}

/// A signer's session after the one-time code (or an embedded link): the cookie holds a
/// random `ses_…` secret, the store only its SHA-256. Bound to one link of one signer.
public struct SignerSession: Sendable, Hashable {
    /// SHA-256 of the cookie's secret.
    public var idHash: String
    /// The contract.
    public var contractID: String
    /// The signer's role.
    public var role: PartyRole
    /// SHA-256 of the link token (signing link or embedded link) the session belongs to.
    public var tokenHash: String
    /// `otp` or `integrator`.
    public var authentication: String
    /// The notifier of the code that opened it (`log`, `webhook`), nil for an embedded link.
    public var notifier: String?
    /// When it was opened.
    public var createdAt: Date
    /// When it ends unless used again (30 min idle).
    public var expiresAt: Date
    /// The origins that may frame its pages (its embedded link's `frame_ancestors`; empty:
    /// the server's default, nobody unless configured).
    public var frameAncestors: [String]

    /// A session with every member given.
    public init(idHash: String, contractID: String, role: PartyRole, tokenHash: String, authentication: String,
                notifier: String?, createdAt: Date, expiresAt: Date, frameAncestors: [String] = []) {
        self.idHash = idHash
        self.contractID = contractID
        self.role = role
        self.tokenHash = tokenHash
        self.authentication = authentication
        self.notifier = notifier
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.frameAncestors = frameAncestors
    }
}

/// A one-time embedded link (the integrator authenticated the signer): valid 5 minutes,
/// usable once.
public struct EmbeddedLinkRecord: Sendable, Hashable {
    /// SHA-256 of its token.
    public var tokenHash: String
    /// The contract.
    public var contractID: String
    /// The signer's role.
    public var role: PartyRole
    /// When it was issued.
    public var createdAt: Date
    /// When it stops working.
    public var expiresAt: Date
    /// When it was used (it works once).
    public var usedAt: Date?
    /// The https origins the integrator lets frame the pages of the session it opens (at
    /// most five, `FrameAncestors`); empty: the server's default.
    public var frameAncestors: [String]

    /// A record with every member given.
    public init(tokenHash: String, contractID: String, role: PartyRole, createdAt: Date, expiresAt: Date, usedAt: Date? = nil,
                frameAncestors: [String] = []) {
        self.tokenHash = tokenHash
        self.contractID = contractID
        self.role = role
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.usedAt = usedAt
        self.frameAncestors = frameAncestors
    }
}

/// What a link token names, as the store found it (every lookup does the same queries,
/// whatever the answer, so the time does not tell them apart).
public enum LinkLookup: Sendable {
    /// A signer's current signing link.
    case signer(Contract, PartyRole)
    /// An embedded link (used or not, expired or not).
    case embedded(EmbeddedLinkRecord, Contract)
    /// A link that worked once and no longer does (superseded, signed, declined, voided, expired).
    case retired
    /// Nothing: no such link was ever issued.
    case unknown
}

/// The settings of signer authentication (DESIGN.md, "Signing link and signer authentication").
public struct SignerAccessSettings: Sendable, Hashable {
    /// How long a code is accepted (5 min).
    public var codeLifetime: TimeInterval = 300
    /// Wrong codes before a challenge locks (5).
    public var maximumAttempts = 5
    /// The shortest time between two codes for one signer (60 s).
    public var resendInterval: TimeInterval = 60
    /// A session's idle timeout (30 min).
    public var sessionIdleTimeout: TimeInterval = 1800
    /// How long an embedded link works (5 min).
    public var embeddedLinkLifetime: TimeInterval = 300
    /// Codes one signer may ask for in `rateWindow` (sliding window).
    public var codesPerSigner = 5
    /// Code requests and code entries one client address may make in `rateWindow`.
    public var requestsPerAddress = 30
    /// The rate limits' sliding window (15 min).
    public var rateWindow: TimeInterval = 900

    /// The defaults.
    public init() {}
}
