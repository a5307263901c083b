import PostgresNIO
import SignetService

/// PostgreSQL's `IdempotencyClaimRows`: the creating transaction names its new resource as the
/// `Idempotency-Key`'s (`idempotency.resource_id`).
enum PostgresIdempotencyClaim {
    /// Records `resourceID` as the resource of `claim`'s record; `StoreError.duplicate(
    /// "idempotency.resource_id")` when it names one already. Under READ COMMITTED a second
    /// claimer waits for the first's row lock, then re-reads the row: the resource is named,
    /// nothing updated. No record, or `claim` nil: nothing.
    static func record(_ resourceID: String, under claim: IdempotencyKey?, _ session: PostgresSession) async throws {
        guard let claim else { return }
        let claimed = try await session.execute("""
            UPDATE idempotency SET resource_id = \(resourceID)
            WHERE scope = \(claim.scope) AND key = \(claim.key) AND resource_id IS NULL
            """)
        if claimed == 0, try await session.row("SELECT 1 FROM idempotency WHERE scope = \(claim.scope) AND key = \(claim.key)") != nil {
            throw StoreError.duplicate("idempotency.resource_id")
        }
    }
}
