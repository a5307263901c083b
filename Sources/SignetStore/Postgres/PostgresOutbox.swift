import FoundationEssentials
import NIOCore
import PostgresNIO
import SignetService

/// The webhook outbox on PostgreSQL: `insert` runs inside the transactions of the contract,
/// document and export changes the events report, so an event exists exactly when its change
/// committed.
enum PostgresOutbox {
    /// Appends events to `webhook_events`.
    static func insert(_ events: [WebhookEvent], _ session: PostgresSession) async throws {
        for event in events {
            try await session.execute("""
                INSERT INTO webhook_events (id, type, created_at, payload, sealed)
                VALUES (\(event.id), \(event.type), \(ColumnCoding.milliseconds(event.createdAt)), \(ByteBuffer(bytes: event.payload)), \(event.sealed))
                """)
        }
    }
}
