import GRDB
import SignetService

/// The claim a creating transaction makes under an `Idempotency-Key`: it names the new
/// resource as the key's (`idempotency.resource_id`), in the same transaction, so a retry
/// after a crash between the commit and the stored response finds the resource instead of
/// creating it again (docs/reliability.md, finding 1).
enum IdempotencyClaimRows {
    /// Records `resourceID` as the resource of `claim`'s record. Throws
    /// `StoreError.duplicate("idempotency.resource_id")` when the record names a resource
    /// already (another request under the key committed first); no record (the request was
    /// not begun under the key) records nothing. `claim` nil: nothing.
    static func record(_ resourceID: String, under claim: IdempotencyKey?, _ db: Database) throws {
        guard let claim else { return }
        try db.execute(sql: "UPDATE idempotency SET resource_id = ? WHERE scope = ? AND key = ? AND resource_id IS NULL",
                       arguments: [resourceID, claim.scope, claim.key])
        if db.changesCount == 0, try Bool.fetchOne(db, sql: "SELECT 1 FROM idempotency WHERE scope = ? AND key = ?",
                                                   arguments: [claim.scope, claim.key]) == true {
            throw StoreError.duplicate("idempotency.resource_id")
        }
    }
}
