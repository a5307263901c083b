public import FoundationEssentials
public import SignetArchive

/// A console session as stored: the SHA-256 of its secret, never the secret.
public struct ConsoleSessionRecord: Sendable, Hashable {
    /// SHA-256 (hex) of the session secret.
    public var idHash: String
    /// The API key the operator signed in with.
    public var apiKeyID: String
    /// When it was opened.
    public var createdAt: Date
    /// When it ends unless used again (idle timeout).
    public var idleExpiresAt: Date
    /// When it ends whatever happens (absolute timeout).
    public var absoluteExpiresAt: Date
    /// Whether its API key was revoked (read with the session; not stored).
    public var keyRevoked: Bool

    /// A session record.
    public init(idHash: String, apiKeyID: String, createdAt: Date, idleExpiresAt: Date, absoluteExpiresAt: Date, keyRevoked: Bool = false) {
        self.idHash = idHash
        self.apiKeyID = apiKeyID
        self.createdAt = createdAt
        self.idleExpiresAt = idleExpiresAt
        self.absoluteExpiresAt = absoluteExpiresAt
        self.keyRevoked = keyRevoked
    }
}

/// A session just opened: its secret (the cookie's value, given out once) and its record.
public struct ConsoleSessionGrant: Sendable {
    /// `cs_` and 256 random bits, base64url.
    public var secret: String
    /// What is stored.
    public var record: ConsoleSessionRecord
}

/// The console's timeouts.
public struct ConsoleSettings: Sendable, Hashable {
    /// A session ends after this long without a request.
    public var idleTimeout: TimeInterval = 30 * 60
    /// A session ends this long after sign-in, used or not.
    public var absoluteTimeout: TimeInterval = 12 * 3600

    /// The defaults: 30 minutes idle, 12 hours absolute.
    public init() {}
}

/// A half-open interval of time `[from, to)`.
public struct ConsolePeriod: Sendable, Hashable {
    /// The first instant in the period.
    public var from: Date
    /// The first instant after it.
    public var to: Date

    /// The period `[from, to)`.
    public init(from: Date, to: Date) {
        self.from = from
        self.to = to
    }
}

/// What the store summarises of link-opened-to-signed times.
public struct JourneyDurations: Sendable, Hashable {
    /// How many signings.
    public var count: Int
    /// The median, in milliseconds (nearest rank); nil without signings.
    public var medianMilliseconds: Int64?
    /// The 90th percentile, in milliseconds (nearest rank); nil without signings.
    public var p90Milliseconds: Int64?
    /// How many fall in each bucket: one more than there are bounds (the last is "at or
    /// past the last bound").
    public var bucketCounts: [Int]

    /// A summary.
    public init(count: Int, medianMilliseconds: Int64?, p90Milliseconds: Int64?, bucketCounts: [Int]) {
        self.count = count
        self.medianMilliseconds = medianMilliseconds
        self.p90Milliseconds = p90Milliseconds
        self.bucketCounts = bucketCounts
    }
}

/// One bar of the journey histogram.
public struct JourneyBucket: Sendable, Hashable {
    /// Its lower bound in seconds (inclusive).
    public var lowerSeconds: Int
    /// Its upper bound in seconds (exclusive); nil for the last, open bucket.
    public var upperSeconds: Int?
    /// How many signings took that long.
    public var count: Int
}

/// The overview of the console for a period.
public struct JourneyStatistics: Sendable, Hashable {
    /// The period.
    public var period: ConsolePeriod
    /// Contracts created in the period, by their state now (every state present, 0 included).
    public var stateCounts: [ContractState: Int]
    /// Link opened → signed, for merchant signatures in the period.
    public var durations: JourneyDurations
    /// The histogram: < 30 s, 30–60 s, 1–2 min, 2–5 min, 5–30 min, ≥ 30 min.
    public var buckets: [JourneyBucket]

    /// The histogram's bounds in seconds.
    public static let bucketBoundsSeconds = [30, 60, 120, 300, 1800]
}

/// A merchant with how many contracts it has in each state.
public struct MerchantSummary: Sendable, Hashable {
    /// The merchant.
    public var merchant: Merchant
    /// Its contracts by state (states without contracts absent).
    public var counts: [ContractState: Int]
    /// All its contracts.
    public var total: Int { counts.values.reduce(0, +) }
}

/// A contract with its whole audit trail and the chain's verdict.
public struct ContractTimeline: Sendable {
    /// The contract.
    public var contract: Contract
    /// Every audit event, in sequence order.
    public var events: [AuditEvent]
    /// Where the chain breaks; nil when it holds.
    public var chainBreak: AuditChain.Break?
}
