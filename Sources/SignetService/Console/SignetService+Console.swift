public import FoundationEssentials
import SignetCrypto
public import SignetArchive

/// The operator console's use cases (issue 15): sign-in with an API key into a session,
/// and the read-only views — merchants with their contracts' states, a contract's audit
/// trail with the chain's verdict, the journey's statistics. Nothing here changes a contract.
extension SignetService {
    /// Opens a console session for the holder of a valid API key; nil when the key is not
    /// one (unknown, malformed or revoked). At most 20 attempts per address in 5 minutes
    /// (`rateLimited`). The secret is in the grant only; the store keeps its SHA-256.
    public func openConsoleSession(apiKey presented: String, origin: RequestOrigin) async throws -> ConsoleSessionGrant? {
        if let ip = origin.ip, let wait = try await storage.signerAccess.hit(bucket: "console-login:\(ip)", limit: 20, window: 300, at: now) {
            throw ServiceError.rateLimited(retryAfter: wait)
        }
        guard let key = try await authenticate(apiKey: presented.trimmingWhitespace()) else { return nil }
        let now = self.now
        let settings = configuration.console
        _ = try await storage.console.purgeSessions(endedBefore: now)
        let secret = "cs_" + Base32.base64URL(SecureRandom.bytes(32))
        let record = ConsoleSessionRecord(
            idHash: Self.consoleSessionHash(secret), apiKeyID: key.id, createdAt: now,
            idleExpiresAt: min(now.addingTimeInterval(settings.idleTimeout), now.addingTimeInterval(settings.absoluteTimeout)),
            absoluteExpiresAt: now.addingTimeInterval(settings.absoluteTimeout))
        try await storage.console.insertSession(record)
        return ConsoleSessionGrant(secret: secret, record: record)
    }

    /// The live session whose secret is `secret`, its idle expiry moved on; `sessionRequired`
    /// when there is none, it timed out (idle or absolute), or its API key was revoked (the
    /// session is then deleted).
    public func consoleSession(secret: String?) async throws -> ConsoleSessionRecord {
        guard let secret, secret.hasPrefix("cs_"), secret.utf8.count <= 128 else { throw ServiceError.sessionRequired }
        let idHash = Self.consoleSessionHash(secret)
        guard var session = try await storage.console.session(idHash: idHash),
              ConstantTime.equal(Array(session.idHash.utf8), Array(idHash.utf8)) else { throw ServiceError.sessionRequired }
        let now = self.now
        guard !session.keyRevoked, now < session.idleExpiresAt, now < session.absoluteExpiresAt else {
            try await storage.console.deleteSession(idHash: idHash)
            throw ServiceError.sessionRequired
        }
        session.idleExpiresAt = min(now.addingTimeInterval(configuration.console.idleTimeout), session.absoluteExpiresAt)
        try await storage.console.touchSession(idHash: idHash, idleExpiresAt: session.idleExpiresAt)
        return session
    }

    /// Ends the session whose secret is `secret` (nothing when there is none).
    public func closeConsoleSession(secret: String?) async throws {
        guard let secret, secret.hasPrefix("cs_"), secret.utf8.count <= 128 else { return }
        try await storage.console.deleteSession(idHash: Self.consoleSessionHash(secret))
    }

    /// Merchants, newest first, each with its contracts counted by state.
    public func merchantSummaries(page: PageRequest) async throws -> Page<MerchantSummary> {
        let merchants = try await storage.merchants.merchants(page: page)
        let counts = try await storage.console.contractCounts(merchantIDs: merchants.items.map(\.id))
        return Page(items: merchants.items.map { MerchantSummary(merchant: $0, counts: counts[$0.id] ?? [:]) }, next: merchants.next)
    }

    /// A contract with every audit event and whether the chain holds (`AuditChain.verify`,
    /// against the head recorded on the contract).
    public func contractTimeline(contractID: String) async throws -> ContractTimeline {
        let contract = try await contract(id: contractID)
        let events = try await storage.contracts.auditTrail(contractID: contractID)
        return ContractTimeline(contract: contract, events: events, chainBreak: AuditChain.verify(events, head: contract.auditHead))
    }

    /// The journey over `period`: contracts created in it by state, and link opened → signed
    /// (median, p90, histogram) for merchant signatures made in it.
    public func journeyStatistics(period: ConsolePeriod) async throws -> JourneyStatistics {
        let bounds = JourneyStatistics.bucketBoundsSeconds
        var counts = try await storage.console.stateCounts(createdIn: period)
        for state in ContractState.allCases where counts[state] == nil { counts[state] = 0 }
        let durations = try await storage.console.journeyDurations(signedIn: period, bucketBounds: bounds.map { Int64($0) * 1000 })
        let lowers = [0] + bounds
        let buckets = lowers.enumerated().map { index, lower in
            JourneyBucket(lowerSeconds: lower, upperSeconds: index < bounds.count ? bounds[index] : nil,
                          count: index < durations.bucketCounts.count ? durations.bucketCounts[index] : 0)
        }
        return JourneyStatistics(period: period, stateCounts: counts, durations: durations, buckets: buckets)
    }

    /// The stored form of a console session secret.
    static func consoleSessionHash(_ secret: String) -> String { DigestAlgorithm.sha256.hash(Array(secret.utf8)).hexString }
}
