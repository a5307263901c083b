public import FoundationEssentials

/// An integrator's webhook endpoint: where events are posted, which ones, and the secrets
/// their signatures use (sealed at rest: `sealedSecrets` is an AES-256-GCM box of the
/// secrets' JSON under `ServiceConfiguration.responseSealingKey`, bound to the id).
public struct WebhookEndpoint: Sendable, Hashable {
    /// `whe_…`.
    public var id: String
    /// The `http`/`https` URL events are posted to.
    public var url: String
    /// The event types delivered; empty: all of them.
    public var eventTypes: [String]
    /// The integrator's note.
    public var description: String?
    /// The sealed secrets (`WebhookSecrets`).
    public var sealedSecrets: [UInt8]
    /// When it was created.
    public var createdAt: Date
    /// When deliveries stopped (a 410 reply), if they did.
    public var disabledAt: Date?
    /// Why deliveries stopped.
    public var disabledReason: String?

    /// An endpoint with every member given.
    public init(id: String, url: String, eventTypes: [String], description: String?, sealedSecrets: [UInt8], createdAt: Date,
                disabledAt: Date? = nil, disabledReason: String? = nil) {
        self.id = id
        self.url = url
        self.eventTypes = eventTypes
        self.description = description
        self.sealedSecrets = sealedSecrets
        self.createdAt = createdAt
        self.disabledAt = disabledAt
        self.disabledReason = disabledReason
    }

    /// Whether events of `type` go to this endpoint.
    public func subscribes(to type: String) -> Bool { eventTypes.isEmpty || eventTypes.contains(type) }
}

/// An event in the outbox: written in the transaction of the change it reports, delivered
/// later, its `id` the `webhook-id` of every delivery and redelivery.
public struct WebhookEvent: Sendable, Hashable {
    /// `evt_…`.
    public var id: String
    /// `contract.completed`, `signer.signed`, …
    public var type: String
    /// When the change happened.
    public var createdAt: Date
    /// The body posted: `{"id","type","created_at","data":{…}}` (sealed when `sealed`; empty
    /// once a sealed payload was delivered and dropped).
    public var payload: [UInt8]
    /// Whether `payload` is an AES-256-GCM box (it carries a one-time code).
    public var sealed: Bool

    /// An event with every member given.
    public init(id: String, type: String, createdAt: Date, payload: [UInt8], sealed: Bool = false) {
        self.id = id
        self.type = type
        self.createdAt = createdAt
        self.payload = payload
        self.sealed = sealed
    }
}

/// Where a delivery stands.
public enum WebhookDeliveryState: String, Sendable, Hashable, CaseIterable {
    /// Waiting for its next attempt.
    case pending
    /// A 2xx reply arrived.
    case succeeded
    /// Attempts ran out, the endpoint answered 410, or it was disabled or deleted.
    case failed
}

/// One event to one endpoint, with its attempts.
public struct WebhookDelivery: Sendable, Hashable {
    /// `whd_…`.
    public var id: String
    /// The endpoint.
    public var endpointID: String
    /// The event (its id is the `webhook-id`).
    public var eventID: String
    /// The event's type.
    public var eventType: String
    /// Where it stands.
    public var state: WebhookDeliveryState
    /// Attempts made so far.
    public var attempts: Int
    /// When the next attempt is due (pending only).
    public var nextAttemptAt: Date?
    /// The last reply's status, if a reply came.
    public var lastStatus: Int?
    /// The last failure, in words.
    public var lastError: String?
    /// When it was created.
    public var createdAt: Date
    /// When it last changed.
    public var updatedAt: Date

    /// A delivery with every member given.
    public init(id: String, endpointID: String, eventID: String, eventType: String, state: WebhookDeliveryState, attempts: Int,
                nextAttemptAt: Date?, lastStatus: Int?, lastError: String?, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.endpointID = endpointID
        self.eventID = eventID
        self.eventType = eventType
        self.state = state
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastStatus = lastStatus
        self.lastError = lastError
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// One attempt of a delivery (every attempt is recorded).
public struct WebhookAttempt: Sendable, Hashable {
    /// 1, 2, 3, … within the delivery.
    public var number: Int
    /// When it started.
    public var attemptedAt: Date
    /// The reply's status, when one came.
    public var status: Int?
    /// What failed (no reply, a refused address, a non-2xx), in words.
    public var error: String?

    /// An attempt with every member given.
    public init(number: Int, attemptedAt: Date, status: Int?, error: String?) {
        self.number = number
        self.attemptedAt = attemptedAt
        self.status = status
        self.error = error
    }
}

/// A delivery due now, with what sending it needs.
public struct DueWebhookDelivery: Sendable {
    /// The delivery.
    public var delivery: WebhookDelivery
    /// Its event.
    public var event: WebhookEvent
    /// Its endpoint, nil when deleted.
    public var endpoint: WebhookEndpoint?

    /// A due delivery.
    public init(delivery: WebhookDelivery, event: WebhookEvent, endpoint: WebhookEndpoint?) {
        self.delivery = delivery
        self.event = event
        self.endpoint = endpoint
    }
}

/// What a manual retry found.
public enum WebhookRetryOutcome: Sendable, Hashable {
    /// The delivery, pending again and due now.
    case pending(WebhookDelivery)
    /// Its event's sealed payload was dropped after delivery (a one-time code): nothing changed.
    case payloadDropped
}

/// What an attempt decided, committed with the attempt's record.
public struct WebhookAttemptOutcome: Sendable {
    /// The attempt.
    public var attempt: WebhookAttempt
    /// The delivery's new state.
    public var state: WebhookDeliveryState
    /// When to try again (pending).
    public var nextAttemptAt: Date?
    /// Set when the endpoint must stop receiving (a 410): the reason.
    public var disableEndpoint: String?

    /// An outcome.
    public init(attempt: WebhookAttempt, state: WebhookDeliveryState, nextAttemptAt: Date?, disableEndpoint: String? = nil) {
        self.attempt = attempt
        self.state = state
        self.nextAttemptAt = nextAttemptAt
        self.disableEndpoint = disableEndpoint
    }
}
