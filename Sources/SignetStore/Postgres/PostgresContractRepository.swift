import FoundationEssentials
import PostgresNIO
import SignetArchive
import SignetService

/// `ContractRepository` on PostgreSQL.
struct PostgresContractRepository: ContractRepository {
    let database: PostgresPool

    func reserveContractNumber(year: Int) async throws -> Int {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func insert(_ contract: Contract, events: [AuditEventDraft]) async throws -> Contract {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func contract(id: String) async throws -> Contract? {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func contract(linkTokenHash: String) async throws -> Contract? {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func contracts(_ query: ContractQuery) async throws -> Page<Contract> {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func apply(_ change: ContractChange) async throws -> ContractChangeOutcome {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func auditTrail(contractID: String) async throws -> [AuditEvent] {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func timeline(merchantID: String, page: PageRequest) async throws -> Page<AuditEvent> {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func contractsExpired(before date: Date, limit: Int) async throws -> [Contract] {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func contractsAwaitingCountersignature(limit: Int) async throws -> [Contract] {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func countByState() async throws -> [ContractState: Int] {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func contractsAwaitingEvidence(limit: Int) async throws -> [Contract] {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func contractsDueForRenewal(expiringBy date: Date, limit: Int) async throws -> [Contract] {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func contractsWithoutTimestampExpiry(limit: Int) async throws -> [Contract] {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }

    func recordTimestampExpiry(contractID: String, signedSHA256: String, expiresAt: Date) async throws -> Bool {
        throw StoreError.unavailable("not implemented on PostgreSQL yet")
    }
}
