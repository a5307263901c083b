import FoundationEssentials
import PostgresNIO
import SignetArchive
import SignetService

/// `ConsoleRepository` on PostgreSQL.
struct PostgresConsoleRepository: ConsoleRepository {
    let database: PostgresPool

    func insertSession(_ session: ConsoleSessionRecord) async throws {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func session(idHash: String) async throws -> ConsoleSessionRecord? {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func touchSession(idHash: String, idleExpiresAt: Date) async throws {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func deleteSession(idHash: String) async throws {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func purgeSessions(endedBefore date: Date) async throws -> Int {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func contractCounts(merchantIDs: [String]) async throws -> [String: [ContractState: Int]] {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func stateCounts(createdIn period: ConsolePeriod) async throws -> [ContractState: Int] {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func journeyDurations(signedIn period: ConsolePeriod, bucketBounds: [Int64]) async throws -> JourneyDurations {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }
}
