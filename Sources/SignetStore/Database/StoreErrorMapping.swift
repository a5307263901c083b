import GRDB
import SignetService

/// Turns what GRDB throws into `StoreError`, the only error repositories report (besides
/// `CancellationError`). No SQL, argument or driver message goes into the result: SQLite's
/// result code is all the detail kept, so nothing of the schema or the data can reach an API
/// response through an error's description.
enum StoreErrorMapping {
    /// The unique constraints the service names, as SQLite reports them (`table.column`).
    static let uniqueConstraints: [String: String] = [
        "merchants.id": "merchant.id",
        "merchants.external_id": "merchant.external_id",
        "contracts.id": "contract.id",
        "contracts.number": "contract.number",
        "signers.link_token_hash": "signer.link_token_hash",
        "documents.id": "document.id",
        "api_keys.id": "api_key.id",
        "api_keys.hash": "api_key.hash",
        "audit_events.contract_id, audit_events.sequence": "audit_event.sequence",
    ]

    /// `error` as a `StoreError` (or `CancellationError`, passed through).
    static func map(_ error: any Error) -> any Error {
        switch error {
        case is StoreError, is CancellationError:
            return error
        case let error as DatabaseError:
            return map(error)
        case is RowDecodingError:
            return StoreError.corrupt("a stored row does not decode")
        default:
            return StoreError.unavailable("database access failed")
        }
    }

    private static func map(_ error: DatabaseError) -> StoreError {
        switch error.extendedResultCode {
        case .SQLITE_CONSTRAINT_UNIQUE, .SQLITE_CONSTRAINT_PRIMARYKEY:
            // "UNIQUE constraint failed: merchants.external_id": the part after the colon names it.
            let columns = error.message.flatMap { $0.split(separator: ":", maxSplits: 1).last }
                .map { $0.trimmingPrefix(" ") }.map(String.init) ?? ""
            return .duplicate(uniqueConstraints[columns] ?? "unique value")
        case .SQLITE_CONSTRAINT_FOREIGNKEY:
            return .missing("referenced row")
        default:
            return .unavailable("SQLite result code \(error.extendedResultCode.rawValue)")
        }
    }
}
