public import FoundationEssentials
public import SignetTemplates

/// What signer authentication stores (issue 15): link lookups, one-time code challenges,
/// signer sessions, rate-limit windows and embedded links. Only hashes of tokens, codes and
/// session secrets. Implemented by SignetStore.
public protocol SignerAccessRepository: Sendable {
    /// What `tokenHash` names. Always the same queries, whatever the answer.
    func lookupLink(tokenHash: String) async throws -> LinkLookup
    /// Records that the link `tokenHash` was opened; true the first time only.
    func markLinkViewed(tokenHash: String, contractID: String, at date: Date) async throws -> Bool

    /// Stores a new challenge.
    func insertChallenge(_ challenge: CodeChallenge) async throws
    /// The newest challenge of a signer.
    func latestChallenge(contractID: String, role: PartyRole) async throws -> CodeChallenge?
    /// Counts one wrong code against an open challenge (not locked, not verified), locking it
    /// at `maximumAttempts`; the challenge as it is now (nil when it was not open).
    func recordWrongCode(challengeID: String, maximumAttempts: Int, at date: Date) async throws -> CodeChallenge?
    /// Marks an open challenge verified; false when it was locked or verified already (a
    /// code works once).
    func markVerified(challengeID: String, at date: Date) async throws -> Bool

    /// Stores a new session.
    func insertSession(_ session: SignerSession) async throws
    /// The session whose secret hashes to `idHash`.
    func session(idHash: String) async throws -> SignerSession?
    /// Moves a session's idle expiry.
    func touchSession(idHash: String, expiresAt: Date) async throws
    /// Deletes sessions that ended before `date`; returns how many.
    func purgeSessions(endedBefore date: Date) async throws -> Int

    /// Counts one request in the sliding window of `bucket` unless it already holds `limit`
    /// requests younger than `window`: nil when counted, else the seconds until the oldest
    /// leaves the window. Kept in the database: limits hold across restarts and instances.
    func hit(bucket: String, limit: Int, window: TimeInterval, at date: Date) async throws -> Int?

    /// Stores an embedded link.
    func insertEmbeddedLink(_ link: EmbeddedLinkRecord) async throws
    /// Marks an unused embedded link used; false when it was used already.
    func useEmbeddedLink(tokenHash: String, at date: Date) async throws -> Bool
}
