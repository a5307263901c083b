public import FoundationEssentials

/// What the operator console (issue 15) reads and stores: its sessions (hashes of the
/// session secrets only) and the aggregates of its overview, computed by the store.
/// Implemented by SignetStore.
public protocol ConsoleRepository: Sendable {
    /// Stores a new session.
    func insertSession(_ session: ConsoleSessionRecord) async throws
    /// The session whose secret hashes to `idHash`, with whether its API key is revoked now.
    func session(idHash: String) async throws -> ConsoleSessionRecord?
    /// Moves a session's idle expiry.
    func touchSession(idHash: String, idleExpiresAt: Date) async throws
    /// Deletes a session (logout, or found expired).
    func deleteSession(idHash: String) async throws
    /// Deletes sessions that ended before `date`; returns how many.
    func purgeSessions(endedBefore date: Date) async throws -> Int

    /// How many contracts each of `merchantIDs` has in each state.
    func contractCounts(merchantIDs: [String]) async throws -> [String: [ContractState: Int]]
    /// How many contracts created in `period` are in each state now.
    func stateCounts(createdIn period: ConsolePeriod) async throws -> [ContractState: Int]
    /// For contracts whose merchant signer signed in `period`: the time from the merchant's
    /// first `contract.viewed` to that `signer.signed`, summarised (count, median, p90, a
    /// histogram over `bucketBounds`, in milliseconds, ascending).
    func journeyDurations(signedIn period: ConsolePeriod, bucketBounds: [Int64]) async throws -> JourneyDurations
}
