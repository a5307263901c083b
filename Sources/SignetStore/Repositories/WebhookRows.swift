import FoundationEssentials
import GRDB
import SignetService

/// Webhook rows and back; `insert` is called inside the transactions of contract and
/// document changes (the outbox).
enum WebhookRows {
    /// Appends events to the outbox.
    static func insert(_ events: [WebhookEvent], _ db: Database) throws {
        for event in events {
            try db.execute(sql: "INSERT INTO webhook_events (id, type, created_at, payload, sealed) VALUES (?, ?, ?, ?, ?)",
                           arguments: [event.id, event.type, ColumnCoding.milliseconds(event.createdAt), Data(event.payload),
                                       event.sealed ? 1 : 0])
        }
    }

    static func endpoint(_ row: Row) throws -> WebhookEndpoint {
        let sealed: Data = try row.decode(forColumn: "sealed_secrets")
        return WebhookEndpoint(
            id: try row.decode(forColumn: "id"), url: try row.decode(forColumn: "url"),
            eventTypes: try ColumnCoding.decode([String].self, try row.decode(forColumn: "event_types")),
            description: try row.decode(forColumn: "description"), sealedSecrets: Array(sealed),
            createdAt: try row.requiredDate("created_at"), disabledAt: try row.date("disabled_at"),
            disabledReason: try row.decode(forColumn: "disabled_reason"))
    }

    static func event(_ row: Row) throws -> WebhookEvent {
        let payload: Data = try row.decode(forColumn: "payload")
        return WebhookEvent(id: try row.decode(forColumn: "id"), type: try row.decode(forColumn: "type"),
                            createdAt: try row.requiredDate("created_at"), payload: Array(payload),
                            sealed: try row.decode(Int.self, forColumn: "sealed") != 0)
    }

    /// A delivery from a row of `webhook_deliveries` joined with its event's `type` (as `event_type`).
    static func delivery(_ row: Row) throws -> WebhookDelivery {
        WebhookDelivery(
            id: try row.decode(forColumn: "id"), endpointID: try row.decode(forColumn: "endpoint_id"),
            eventID: try row.decode(forColumn: "event_id"), eventType: try row.decode(forColumn: "event_type"),
            state: try required(WebhookDeliveryState(rawValue: try row.decode(forColumn: "state")), "delivery state"),
            attempts: try row.decode(forColumn: "attempts"), nextAttemptAt: try row.date("next_attempt_at"),
            lastStatus: try row.decode(forColumn: "last_status"), lastError: try row.decode(forColumn: "last_error"),
            createdAt: try row.requiredDate("created_at"), updatedAt: try row.requiredDate("updated_at"))
    }

    static let deliverySelect = """
        SELECT d.*, e.type AS event_type FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id
        """
}

/// `WebhookRepository` on the `webhook_*` tables.
struct SQLiteWebhookRepository: WebhookRepository {
    let database: SQLiteDatabase

    func insert(_ endpoint: WebhookEndpoint, claim: IdempotencyKey?) async throws {
        let types = try ColumnCoding.json(encoding: endpoint.eventTypes)
        try await database.write { db in
            try IdempotencyClaimRows.record(endpoint.id, under: claim, db)
            try db.execute(sql: """
                INSERT INTO webhook_endpoints (id, url, event_types, description, sealed_secrets, created_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [endpoint.id, endpoint.url, types, endpoint.description, Data(endpoint.sealedSecrets),
                                 ColumnCoding.milliseconds(endpoint.createdAt)])
        }
    }

    func endpoint(id: String) async throws -> WebhookEndpoint? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM webhook_endpoints WHERE id = ? AND deleted_at IS NULL", arguments: [id])
                .map(WebhookRows.endpoint)
        }
    }

    func endpoints(page: PageRequest) async throws -> Page<WebhookEndpoint> {
        try await database.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT * FROM webhook_endpoints WHERE deleted_at IS NULL AND seq < ? ORDER BY seq DESC LIMIT ?
                """, arguments: [page.after ?? Int64.max, page.limit + 1])
            return try Page.from(rows, limit: page.limit, orderingKey: "seq") { try $0.map(WebhookRows.endpoint) }
        }
    }

    func updateSecrets(endpointID: String, sealedSecrets: [UInt8]) async throws -> Bool {
        try await database.write { db in
            try db.execute(sql: "UPDATE webhook_endpoints SET sealed_secrets = ? WHERE id = ? AND deleted_at IS NULL",
                           arguments: [Data(sealedSecrets), endpointID])
            return db.changesCount == 1
        }
    }

    func deleteEndpoint(id: String, at date: Date) async throws -> Bool {
        try await database.write { db in
            let at = ColumnCoding.milliseconds(date)
            try db.execute(sql: "UPDATE webhook_endpoints SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL", arguments: [at, id])
            guard db.changesCount == 1 else { return false }
            try db.execute(sql: """
                UPDATE webhook_deliveries SET state = 'failed', next_attempt_at = NULL, last_error = 'the endpoint was deleted',
                    updated_at = ? WHERE endpoint_id = ? AND state = 'pending'
                """, arguments: [at, id])
            return true
        }
    }

    func insert(events: [WebhookEvent]) async throws {
        try await database.write { db in try WebhookRows.insert(events, db) }
    }

    func dispatch(now: Date, limit: Int) async throws -> Int {
        try await database.write { db in
            let events = try Row.fetchAll(db, sql: "SELECT id, type FROM webhook_events WHERE dispatched = 0 ORDER BY seq LIMIT ?",
                                          arguments: [max(limit, 0)])
            guard !events.isEmpty else { return 0 }
            let endpoints = try Row.fetchAll(db, sql: """
                SELECT * FROM webhook_endpoints WHERE deleted_at IS NULL AND disabled_at IS NULL ORDER BY seq
                """).map(WebhookRows.endpoint)
            let at = ColumnCoding.milliseconds(now)
            for row in events {
                let id: String = try row.decode(forColumn: "id")
                let type: String = try row.decode(forColumn: "type")
                for endpoint in endpoints where endpoint.subscribes(to: type) {
                    try db.execute(sql: """
                        INSERT INTO webhook_deliveries (id, endpoint_id, event_id, state, next_attempt_at, created_at, updated_at)
                        VALUES (?, ?, ?, 'pending', ?, ?, ?) ON CONFLICT (event_id, endpoint_id) DO NOTHING
                        """, arguments: [ResourceID.make(.webhookDelivery), endpoint.id, id, at, at, at])
                }
                try db.execute(sql: "UPDATE webhook_events SET dispatched = 1 WHERE id = ?", arguments: [id])
            }
            return events.count
        }
    }

    func claimDue(now: Date, leaseUntil: Date, limit: Int) async throws -> [DueWebhookDelivery] {
        try await database.write { db in
            let rows = try Row.fetchAll(db, sql: WebhookRows.deliverySelect + """
                 WHERE d.state = 'pending' AND d.next_attempt_at <= ? ORDER BY d.next_attempt_at, d.seq LIMIT ?
                """, arguments: [ColumnCoding.milliseconds(now), max(limit, 0)])
            var due: [DueWebhookDelivery] = []
            for row in rows {
                let delivery = try WebhookRows.delivery(row)
                try db.execute(sql: "UPDATE webhook_deliveries SET next_attempt_at = ? WHERE id = ?",
                               arguments: [ColumnCoding.milliseconds(leaseUntil), delivery.id])
                let event = try required(Row.fetchOne(db, sql: "SELECT * FROM webhook_events WHERE id = ?",
                                                      arguments: [delivery.eventID]).map(WebhookRows.event), "webhook event")
                let endpoint = try Row.fetchOne(db, sql: "SELECT * FROM webhook_endpoints WHERE id = ? AND deleted_at IS NULL",
                                                arguments: [delivery.endpointID]).map(WebhookRows.endpoint)
                due.append(DueWebhookDelivery(delivery: delivery, event: event, endpoint: endpoint))
            }
            return due
        }
    }

    func record(deliveryID: String, outcome: WebhookAttemptOutcome, at date: Date) async throws {
        try await database.write { db in
            let attempt = outcome.attempt
            let at = ColumnCoding.milliseconds(date)
            try db.execute(sql: """
                INSERT INTO webhook_attempts (delivery_id, number, attempted_at, status, error) VALUES (?, ?, ?, ?, ?)
                """, arguments: [deliveryID, attempt.number, ColumnCoding.milliseconds(attempt.attemptedAt), attempt.status, attempt.error])
            try db.execute(sql: """
                UPDATE webhook_deliveries SET state = ?, attempts = ?, next_attempt_at = ?, last_status = ?, last_error = ?,
                    updated_at = ? WHERE id = ?
                """, arguments: [outcome.state.rawValue, attempt.number, ColumnCoding.milliseconds(outcome.nextAttemptAt),
                                 attempt.status, attempt.error, at, deliveryID])
            if let reason = outcome.disableEndpoint {
                try db.execute(sql: """
                    UPDATE webhook_endpoints SET disabled_at = ?, disabled_reason = ?
                    WHERE id = (SELECT endpoint_id FROM webhook_deliveries WHERE id = ?) AND disabled_at IS NULL
                    """, arguments: [at, reason, deliveryID])
            }
            if outcome.state == .succeeded {
                // A delivered one-time code is kept no longer than a pending delivery needs it.
                try db.execute(sql: """
                    UPDATE webhook_events SET payload = x'' WHERE sealed = 1
                    AND id = (SELECT event_id FROM webhook_deliveries WHERE id = ?)
                    AND NOT EXISTS (SELECT 1 FROM webhook_deliveries o WHERE o.event_id = webhook_events.id AND o.state = 'pending')
                    """, arguments: [deliveryID])
            }
        }
    }

    func delivery(id: String) async throws -> WebhookDelivery? {
        try await database.read { db in
            try Row.fetchOne(db, sql: WebhookRows.deliverySelect + " WHERE d.id = ?", arguments: [id]).map(WebhookRows.delivery)
        }
    }

    func deliveries(endpointID: String, page: PageRequest) async throws -> Page<WebhookDelivery> {
        try await database.read { db in
            let rows = try Row.fetchAll(db, sql: WebhookRows.deliverySelect + """
                 WHERE d.endpoint_id = ? AND d.seq < ? ORDER BY d.seq DESC LIMIT ?
                """, arguments: [endpointID, page.after ?? Int64.max, page.limit + 1])
            return try Page.from(rows, limit: page.limit, orderingKey: "seq") { try $0.map(WebhookRows.delivery) }
        }
    }

    func attempts(deliveryID: String) async throws -> [WebhookAttempt] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM webhook_attempts WHERE delivery_id = ? ORDER BY id", arguments: [deliveryID]).map {
                WebhookAttempt(number: try $0.decode(forColumn: "number"), attemptedAt: try $0.requiredDate("attempted_at"),
                               status: try $0.decode(forColumn: "status"), error: try $0.decode(forColumn: "error"))
            }
        }
    }

    func retry(deliveryID: String, now: Date) async throws -> WebhookRetryOutcome? {
        try await database.write { db in
            let at = ColumnCoding.milliseconds(now)
            let dropped = try Bool.fetchOne(db, sql: """
                SELECT EXISTS (SELECT 1 FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id
                               WHERE d.id = ? AND e.sealed = 1 AND length(e.payload) = 0)
                """, arguments: [deliveryID]) ?? false
            if dropped { return .payloadDropped }
            try db.execute(sql: "UPDATE webhook_deliveries SET state = 'pending', next_attempt_at = ?, updated_at = ? WHERE id = ?",
                           arguments: [at, at, deliveryID])
            return try Row.fetchOne(db, sql: WebhookRows.deliverySelect + " WHERE d.id = ?", arguments: [deliveryID])
                .map(WebhookRows.delivery).map(WebhookRetryOutcome.pending)
        }
    }

    func contractsAwaitingReminder(after: String, sentBefore: Date, now: Date, limit: Int) async throws -> [String] {
        try await database.read { db in
            try String.fetchAll(db, sql: """
                SELECT DISTINCT c.id FROM contracts c JOIN signers s ON s.contract_id = c.id
                WHERE c.state IN ('sent', 'viewed') AND c.sent_at <= ? AND c.expires_at > ?
                  AND s.method = 'link' AND s.state NOT IN ('signed', 'declined')
                  AND NOT EXISTS (SELECT 1 FROM audit_events a WHERE a.contract_id = c.id AND a.type = 'signer.reminder_due'
                                  AND json_extract(a.data, '$.role') = s.role AND json_extract(a.data, '$.after') = ?)
                ORDER BY c.seq LIMIT ?
                """, arguments: [ColumnCoding.milliseconds(sentBefore), ColumnCoding.milliseconds(now), after, max(limit, 0)])
        }
    }

    func events(type: String?, limit: Int) async throws -> [WebhookEvent] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM webhook_events WHERE (? IS NULL OR type = ?) ORDER BY seq LIMIT ?",
                             arguments: [type, type, max(limit, 0)]).map(WebhookRows.event)
        }
    }
}
