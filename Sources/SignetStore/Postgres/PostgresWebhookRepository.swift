import FoundationEssentials
import PostgresNIO
import SignetService

/// `WebhookRepository` on PostgreSQL: the same tables and semantics as
/// `SQLiteWebhookRepository`, made safe for several instances sharing the database.
///
/// - `dispatch` locks the undispatched events it fans out (`FOR UPDATE SKIP LOCKED`), so two
///   instances dispatching at once take disjoint events, and each event gets one delivery per
///   endpoint (`ON CONFLICT DO NOTHING` on `(event_id, endpoint_id)` besides).
/// - `claimDue` locks the due deliveries it leases (`FOR UPDATE OF d SKIP LOCKED`) and moves
///   their `next_attempt_at` to the lease's end in the same transaction: a delivery is claimed
///   by one worker until its lease lapses.
/// - `record` and `retry` lock the delivery's event first, so that two deliveries of one event
///   finishing at once on two instances still drop a delivered sealed payload (the second to
///   commit sees the first's outcome), and a retry never revives a delivery whose payload is
///   being dropped.
struct PostgresWebhookRepository: WebhookRepository {
    let database: PostgresPool

    func insert(_ endpoint: WebhookEndpoint, claim: IdempotencyKey?) async throws {
        let types = try ColumnCoding.json(encoding: endpoint.eventTypes)
        try await database.write { session in
            try await PostgresIdempotencyClaim.record(endpoint.id, under: claim, session)
            try await session.execute("""
                INSERT INTO webhook_endpoints (id, url, event_types, description, sealed_secrets, created_at)
                VALUES (\(endpoint.id), \(endpoint.url), \(types), \(endpoint.description), \(Data(endpoint.sealedSecrets)),
                        \(ColumnCoding.milliseconds(endpoint.createdAt)))
                """)
        }
    }

    func endpoint(id: String) async throws -> WebhookEndpoint? {
        try await database.read { session in
            try await session.row("SELECT * FROM webhook_endpoints WHERE id = \(id) AND deleted_at IS NULL")
                .map(PostgresWebhookRows.endpoint)
        }
    }

    func endpoints(page: PageRequest) async throws -> Page<WebhookEndpoint> {
        try await database.read { session in
            let rows = try await session.rows("""
                SELECT * FROM webhook_endpoints WHERE deleted_at IS NULL AND seq < \(page.after ?? Int64.max)
                ORDER BY seq DESC LIMIT \(page.limit + 1)
                """)
            return try PostgresWebhookRows.page(rows, limit: page.limit, map: PostgresWebhookRows.endpoint)
        }
    }

    func updateSecrets(endpointID: String, sealedSecrets: [UInt8]) async throws -> Bool {
        try await database.write { session in
            try await session.execute("""
                UPDATE webhook_endpoints SET sealed_secrets = \(Data(sealedSecrets)) WHERE id = \(endpointID) AND deleted_at IS NULL
                """) == 1
        }
    }

    func deleteEndpoint(id: String, at date: Date) async throws -> Bool {
        try await database.write { session in
            let at = ColumnCoding.milliseconds(date)
            let deleted = try await session.execute(
                "UPDATE webhook_endpoints SET deleted_at = \(at) WHERE id = \(id) AND deleted_at IS NULL")
            guard deleted == 1 else { return false }
            try await session.execute("""
                UPDATE webhook_deliveries SET state = 'failed', next_attempt_at = NULL, last_error = 'the endpoint was deleted',
                    updated_at = \(at) WHERE endpoint_id = \(id) AND state = 'pending'
                """)
            return true
        }
    }

    func insert(events: [WebhookEvent]) async throws {
        try await database.write { session in try await PostgresOutbox.insert(events, session) }
    }

    func dispatch(now: Date, limit: Int) async throws -> Int {
        try await database.write { session in
            // Another instance's dispatch holds the events it is fanning out: they are skipped
            // here, and once it commits they are no longer undispatched.
            let events = try await session.rows("""
                SELECT id, type FROM webhook_events WHERE NOT dispatched ORDER BY seq LIMIT \(max(limit, 0))
                FOR UPDATE SKIP LOCKED
                """)
            guard !events.isEmpty else { return 0 }
            let endpoints = try await session.rows("""
                SELECT * FROM webhook_endpoints WHERE deleted_at IS NULL AND disabled_at IS NULL ORDER BY seq
                """).map(PostgresWebhookRows.endpoint)
            var eventIDs: [String] = [], deliveryIDs: [String] = [], deliveryEvents: [String] = [], deliveryEndpoints: [String] = []
            for row in events {
                let id: String = try row.value("id")
                let type: String = try row.value("type")
                eventIDs.append(id)
                for endpoint in endpoints where endpoint.subscribes(to: type) {
                    deliveryIDs.append(ResourceID.make(.webhookDelivery))
                    deliveryEvents.append(id)
                    deliveryEndpoints.append(endpoint.id)
                }
            }
            if !deliveryIDs.isEmpty {
                // One statement, in outbox order (the deliveries' `seq` follows it, as on SQLite).
                let at = ColumnCoding.milliseconds(now)
                try await session.execute("""
                    INSERT INTO webhook_deliveries (id, endpoint_id, event_id, state, next_attempt_at, created_at, updated_at)
                    SELECT n.id, n.endpoint_id, n.event_id, 'pending', \(at), \(at), \(at)
                    FROM unnest(\(deliveryIDs)::text[], \(deliveryEndpoints)::text[], \(deliveryEvents)::text[])
                        WITH ORDINALITY AS n(id, endpoint_id, event_id, position)
                    ORDER BY n.position
                    ON CONFLICT (event_id, endpoint_id) DO NOTHING
                    """)
            }
            try await session.execute("UPDATE webhook_events SET dispatched = true WHERE id = ANY(\(eventIDs)::text[])")
            return events.count
        }
    }

    func claimDue(now: Date, leaseUntil: Date, limit: Int) async throws -> [DueWebhookDelivery] {
        try await database.write { session in
            // Deliveries another worker is claiming right now are skipped; once it commits,
            // their `next_attempt_at` is its lease's end, no longer due.
            let deliveries = try await session.rows("""
                \(unescaped: PostgresWebhookRows.deliverySelect) WHERE d.state = 'pending' AND d.next_attempt_at <= \(ColumnCoding.milliseconds(now))
                ORDER BY d.next_attempt_at, d.seq LIMIT \(max(limit, 0)) FOR UPDATE OF d SKIP LOCKED
                """).map(PostgresWebhookRows.delivery)
            guard !deliveries.isEmpty else { return [] }
            let ids = deliveries.map(\.id)
            try await session.execute("""
                UPDATE webhook_deliveries SET next_attempt_at = \(ColumnCoding.milliseconds(leaseUntil)) WHERE id = ANY(\(ids)::text[])
                """)
            let eventIDs = Array(Set(deliveries.map(\.eventID))), endpointIDs = Array(Set(deliveries.map(\.endpointID)))
            let events = try await session.rows("SELECT * FROM webhook_events WHERE id = ANY(\(eventIDs)::text[])")
                .map(PostgresWebhookRows.event)
            let endpoints = try await session.rows("""
                SELECT * FROM webhook_endpoints WHERE id = ANY(\(endpointIDs)::text[]) AND deleted_at IS NULL
                """).map(PostgresWebhookRows.endpoint)
            let eventsByID = Dictionary(events.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            let endpointsByID = Dictionary(endpoints.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            return try deliveries.map { delivery in
                DueWebhookDelivery(delivery: delivery, event: try required(eventsByID[delivery.eventID], "webhook event"),
                                   endpoint: endpointsByID[delivery.endpointID])
            }
        }
    }

    func record(deliveryID: String, outcome: WebhookAttemptOutcome, at date: Date) async throws {
        try await database.write { session in
            let attempt = outcome.attempt
            let at = ColumnCoding.milliseconds(date)
            if outcome.state == .succeeded {
                // The event's row first (see the type's note): the sealed-payload check below
                // then sees every other delivery of the event as committed.
                try await session.execute("""
                    SELECT 1 FROM webhook_events WHERE id = (SELECT event_id FROM webhook_deliveries WHERE id = \(deliveryID))
                    FOR UPDATE
                    """)
            }
            try await session.execute("""
                INSERT INTO webhook_attempts (delivery_id, number, attempted_at, status, error)
                VALUES (\(deliveryID), \(attempt.number), \(ColumnCoding.milliseconds(attempt.attemptedAt)), \(attempt.status), \(attempt.error))
                """)
            try await session.execute("""
                UPDATE webhook_deliveries SET state = \(outcome.state.rawValue), attempts = \(attempt.number),
                    next_attempt_at = \(ColumnCoding.milliseconds(outcome.nextAttemptAt)), last_status = \(attempt.status),
                    last_error = \(attempt.error), updated_at = \(at) WHERE id = \(deliveryID)
                """)
            if let reason = outcome.disableEndpoint {
                try await session.execute("""
                    UPDATE webhook_endpoints SET disabled_at = \(at), disabled_reason = \(reason)
                    WHERE id = (SELECT endpoint_id FROM webhook_deliveries WHERE id = \(deliveryID)) AND disabled_at IS NULL
                    """)
            }
            if outcome.state == .succeeded {
                // A delivered one-time code is kept no longer than a pending delivery needs it.
                try await session.execute("""
                    UPDATE webhook_events SET payload = ''::bytea WHERE sealed
                    AND id = (SELECT event_id FROM webhook_deliveries WHERE id = \(deliveryID))
                    AND NOT EXISTS (SELECT 1 FROM webhook_deliveries o WHERE o.event_id = webhook_events.id AND o.state = 'pending')
                    """)
            }
        }
    }

    func delivery(id: String) async throws -> WebhookDelivery? {
        try await database.read { session in
            try await session.row("\(unescaped: PostgresWebhookRows.deliverySelect) WHERE d.id = \(id)")
                .map(PostgresWebhookRows.delivery)
        }
    }

    func deliveries(endpointID: String, page: PageRequest) async throws -> Page<WebhookDelivery> {
        try await database.read { session in
            let rows = try await session.rows("""
                \(unescaped: PostgresWebhookRows.deliverySelect) WHERE d.endpoint_id = \(endpointID) AND d.seq < \(page.after ?? Int64.max) ORDER BY d.seq DESC LIMIT \(page.limit + 1)
                """)
            return try PostgresWebhookRows.page(rows, limit: page.limit, map: PostgresWebhookRows.delivery)
        }
    }

    func attempts(deliveryID: String) async throws -> [WebhookAttempt] {
        try await database.read { session in
            try await session.rows("SELECT * FROM webhook_attempts WHERE delivery_id = \(deliveryID) ORDER BY id").map {
                WebhookAttempt(number: try $0.value("number"), attemptedAt: try $0.requiredDate("attempted_at"),
                               status: try $0.value("status"), error: try $0.value("error"))
            }
        }
    }

    func retry(deliveryID: String, now: Date) async throws -> WebhookRetryOutcome? {
        try await database.write { session in
            let at = ColumnCoding.milliseconds(now)
            // The event's row is held against a concurrent `record` dropping its payload.
            let event = try await session.row("""
                SELECT e.sealed, octet_length(e.payload) AS payload_length
                FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id WHERE d.id = \(deliveryID)
                FOR SHARE OF e
                """)
            guard let event else { return nil }
            if try event.value("sealed", as: Bool.self), try event.value("payload_length", as: Int.self) == 0 {
                return .payloadDropped
            }
            try await session.execute("""
                UPDATE webhook_deliveries SET state = 'pending', next_attempt_at = \(at), updated_at = \(at) WHERE id = \(deliveryID)
                """)
            return try await session.row("\(unescaped: PostgresWebhookRows.deliverySelect) WHERE d.id = \(deliveryID)")
                .map(PostgresWebhookRows.delivery).map(WebhookRetryOutcome.pending)
        }
    }

    func contractsAwaitingReminder(after: String, sentBefore: Date, now: Date, limit: Int) async throws -> [String] {
        try await database.read { session in
            // SQLite's `SELECT DISTINCT … ORDER BY c.seq` as an EXISTS (PostgreSQL orders a
            // DISTINCT only by selected columns); the audit data is JSON text.
            try await session.rows("""
                SELECT c.id FROM contracts c
                WHERE c.state IN ('sent', 'viewed') AND c.sent_at <= \(ColumnCoding.milliseconds(sentBefore))
                  AND c.expires_at > \(ColumnCoding.milliseconds(now))
                  AND EXISTS (SELECT 1 FROM signers s WHERE s.contract_id = c.id
                              AND s.method = 'link' AND s.state NOT IN ('signed', 'declined')
                              AND NOT EXISTS (SELECT 1 FROM audit_events a
                                              WHERE a.contract_id = c.id AND a.type = 'signer.reminder_due'
                                                AND a.data::json ->> 'role' = s.role AND a.data::json ->> 'after' = \(after)))
                ORDER BY c.seq LIMIT \(max(limit, 0))
                """).map { try $0.value("id", as: String.self) }
        }
    }

    func events(type: String?, limit: Int) async throws -> [WebhookEvent] {
        try await database.read { session in
            let rows = if let type {
                try await session.rows("SELECT * FROM webhook_events WHERE type = \(type) ORDER BY seq LIMIT \(max(limit, 0))")
            } else {
                try await session.rows("SELECT * FROM webhook_events ORDER BY seq LIMIT \(max(limit, 0))")
            }
            return try rows.map(PostgresWebhookRows.event)
        }
    }
}

/// Webhook rows of PostgreSQL and back (`WebhookRows` on SQLite).
enum PostgresWebhookRows {
    static func endpoint(_ row: PostgresRandomAccessRow) throws -> WebhookEndpoint {
        WebhookEndpoint(
            id: try row.value("id"), url: try row.value("url"),
            eventTypes: try ColumnCoding.decode([String].self, try row.value("event_types")),
            description: try row.value("description"), sealedSecrets: Array(try row.value("sealed_secrets", as: Data.self)),
            createdAt: try row.requiredDate("created_at"), disabledAt: try row.date("disabled_at"),
            disabledReason: try row.value("disabled_reason"))
    }

    static func event(_ row: PostgresRandomAccessRow) throws -> WebhookEvent {
        WebhookEvent(id: try row.value("id"), type: try row.value("type"), createdAt: try row.requiredDate("created_at"),
                     payload: Array(try row.value("payload", as: Data.self)), sealed: try row.value("sealed"))
    }

    /// A delivery from a row of `webhook_deliveries` joined with its event's `type` (as `event_type`).
    static func delivery(_ row: PostgresRandomAccessRow) throws -> WebhookDelivery {
        WebhookDelivery(
            id: try row.value("id"), endpointID: try row.value("endpoint_id"), eventID: try row.value("event_id"),
            eventType: try row.value("event_type"),
            state: try required(WebhookDeliveryState(rawValue: try row.value("state")), "delivery state"),
            attempts: try row.value("attempts"), nextAttemptAt: try row.date("next_attempt_at"),
            lastStatus: try row.value("last_status"), lastError: try row.value("last_error"),
            createdAt: try row.requiredDate("created_at"), updatedAt: try row.requiredDate("updated_at"))
    }

    static let deliverySelect = """
        SELECT d.*, e.type AS event_type FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id
        """

    /// A page from rows fetched with `LIMIT limit + 1` and ordered by `seq` (`Page.from` on SQLite).
    static func page<Item>(_ rows: [PostgresRandomAccessRow], limit: Int,
                           map: (PostgresRandomAccessRow) throws -> Item) throws -> Page<Item> {
        let kept = Array(rows.prefix(limit))
        let next: Int64? = rows.count > limit ? try kept.last?.value("seq", as: Int64.self) : nil
        return Page(items: try kept.map(map), next: next)
    }
}
