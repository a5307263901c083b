import FoundationEssentials
import PostgresNIO
import SignetArchive
import SignetService
import SignetTemplates

/// `SignerAccessRepository` on PostgreSQL.
struct PostgresSignerAccessRepository: SignerAccessRepository {
    let database: PostgresPool

    func lookupLink(tokenHash: String) async throws -> LinkLookup {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func markLinkViewed(tokenHash: String, contractID: String, at date: Date) async throws -> Bool {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func insertChallenge(_ challenge: CodeChallenge) async throws {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func latestChallenge(contractID: String, role: PartyRole) async throws -> CodeChallenge? {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func recordWrongCode(challengeID: String, maximumAttempts: Int, at date: Date) async throws -> CodeChallenge? {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func markVerified(challengeID: String, at date: Date) async throws -> Bool {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func insertSession(_ session: SignerSession) async throws {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func session(idHash: String) async throws -> SignerSession? {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func touchSession(idHash: String, expiresAt: Date) async throws {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func purgeSessions(endedBefore date: Date) async throws -> Int {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func hit(bucket: String, limit: Int, window: TimeInterval, at date: Date) async throws -> Int? {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func insertEmbeddedLink(_ link: EmbeddedLinkRecord) async throws {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func useEmbeddedLink(tokenHash: String, at date: Date) async throws -> Bool {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }
}
