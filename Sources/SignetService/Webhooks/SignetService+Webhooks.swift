public import FoundationEssentials
import SignetCrypto

/// An endpoint just created or given a new secret: the secret is shown this once.
public struct WebhookEndpointWithSecret: Sendable {
    /// The endpoint.
    public var endpoint: WebhookEndpoint
    /// The new `whsec_…` secret.
    public var secret: String

    /// An endpoint and its new secret.
    public init(endpoint: WebhookEndpoint, secret: String) {
        self.endpoint = endpoint
        self.secret = secret
    }
}

/// A new webhook endpoint as the integrator asks for it.
public struct NewWebhookEndpoint: Sendable {
    /// The URL.
    public var url: String
    /// Event types (empty: all).
    public var eventTypes: [String]
    /// A note.
    public var description: String?

    /// A request.
    public init(url: String, eventTypes: [String] = [], description: String? = nil) {
        self.url = url
        self.eventTypes = eventTypes
        self.description = description
    }
}

extension SignetService {
    /// The URL policy of this service's configuration.
    public var webhookURLPolicy: WebhookURLPolicy { WebhookURLPolicy(allowPrivate: configuration.allowPrivateWebhooks) }

    /// Registers an endpoint (its URL checked as at every delivery) with a new secret. With
    /// `idempotencyKey` (a started `beginIdempotent` request) the key registers at most one
    /// endpoint, also across a crash (`createOnce`): a retry gets that endpoint and its
    /// current secret (404 when it was deleted since).
    public func createWebhookEndpoint(_ request: NewWebhookEndpoint, idempotencyKey: IdempotencyKey? = nil) async throws -> WebhookEndpointWithSecret {
        try await createOnce(under: idempotencyKey, earlier: { id in
            let endpoint = try await webhookEndpoint(id: id)
            return WebhookEndpointWithSecret(endpoint: endpoint, secret: try webhookSecrets(of: endpoint).current)
        }) { claim in
            try await registerWebhookEndpoint(request, claim: claim)
        }
    }

    /// `createWebhookEndpoint`'s work, the endpoint recorded as `claim`'s resource when there is one.
    private func registerWebhookEndpoint(_ request: NewWebhookEndpoint, claim: IdempotencyKey?) async throws -> WebhookEndpointWithSecret {
        var issues: [ValidationIssue] = []
        for (index, type) in request.eventTypes.enumerated() where !WebhookOutbox.eventTypes.contains(type) {
            issues.append(ValidationIssue(field: "events[\(index)]", code: "unknown_event_type", message: "no event type '\(type)'"))
        }
        if let description = request.description {
            issues += TextRule(field: "description", length: 0...500).check(description)
        }
        guard issues.isEmpty else { throw ServiceError.validationFailed(issues) }
        _ = try await webhookURLPolicy.check(request.url)
        let id = ResourceID.make(.webhookEndpoint)
        let secret = StandardWebhooks.makeSecret()
        let sealed = try WebhookSecrets(current: secret).sealed(key: configuration.responseSealingKey, endpointID: id)
        var types: [String] = []
        for type in request.eventTypes where !types.contains(type) { types.append(type) }
        let endpoint = WebhookEndpoint(id: id, url: request.url, eventTypes: types, description: request.description,
                                       sealedSecrets: sealed, createdAt: now)
        try await storage.webhooks.insert(endpoint, claim: claim)
        return WebhookEndpointWithSecret(endpoint: endpoint, secret: secret)
    }

    /// The endpoint with `id`.
    public func webhookEndpoint(id: String) async throws -> WebhookEndpoint {
        guard let endpoint = try await storage.webhooks.endpoint(id: id) else { throw ServiceError.notFound("webhook_endpoint") }
        return endpoint
    }

    /// The endpoints, newest first.
    public func webhookEndpoints(page: PageRequest) async throws -> Page<WebhookEndpoint> {
        try await storage.webhooks.endpoints(page: page)
    }

    /// Deletes an endpoint; its pending deliveries fail.
    public func deleteWebhookEndpoint(id: String) async throws {
        guard try await storage.webhooks.deleteEndpoint(id: id, at: now) else { throw ServiceError.notFound("webhook_endpoint") }
    }

    /// A new secret for an endpoint; the old one keeps signing (beside the new) for 24 h.
    public func rotateWebhookSecret(endpointID: String) async throws -> WebhookEndpointWithSecret {
        var endpoint = try await webhookEndpoint(id: endpointID)
        let key = configuration.responseSealingKey
        let secret = StandardWebhooks.makeSecret()
        let rotated = try WebhookSecrets.open(endpoint.sealedSecrets, key: key, endpointID: endpoint.id).rotated(to: secret, at: now)
        endpoint.sealedSecrets = try rotated.sealed(key: key, endpointID: endpoint.id)
        guard try await storage.webhooks.updateSecrets(endpointID: endpoint.id, sealedSecrets: endpoint.sealedSecrets) else {
            throw ServiceError.notFound("webhook_endpoint")
        }
        return WebhookEndpointWithSecret(endpoint: endpoint, secret: secret)
    }

    /// The secrets an endpoint's deliveries are signed with now.
    public func webhookSecrets(of endpoint: WebhookEndpoint) throws -> WebhookSecrets {
        try WebhookSecrets.open(endpoint.sealedSecrets, key: configuration.responseSealingKey, endpointID: endpoint.id)
    }

    /// An endpoint's deliveries, newest first.
    public func webhookDeliveries(endpointID: String, page: PageRequest) async throws -> Page<WebhookDelivery> {
        _ = try await webhookEndpoint(id: endpointID)
        return try await storage.webhooks.deliveries(endpointID: endpointID, page: page)
    }

    /// A delivery and its attempts.
    public func webhookDelivery(id: String) async throws -> (delivery: WebhookDelivery, attempts: [WebhookAttempt]) {
        guard let delivery = try await storage.webhooks.delivery(id: id) else { throw ServiceError.notFound("webhook_delivery") }
        return (delivery, try await storage.webhooks.attempts(deliveryID: id))
    }

    /// Sends a delivery again as soon as the worker runs (same event, same `webhook-id`),
    /// whatever its state; a delivery whose payload was dropped (a delivered one-time code)
    /// cannot be sent again (`webhookPayloadDropped`, nothing queued).
    public func retryWebhookDelivery(id: String) async throws -> WebhookDelivery {
        switch try await storage.webhooks.retry(deliveryID: id, now: now) {
        case .pending(let delivery): return delivery
        case .payloadDropped: throw ServiceError.webhookPayloadDropped
        case nil: throw ServiceError.notFound("webhook_delivery")
        }
    }

    /// Appends an event that belongs to no contract change (a one-time code: `sealed`, under
    /// the response sealing key, bound to the event id).
    func enqueueWebhookEvent(type: String, data: some Encodable & Sendable, details: [String: String], sealed: Bool) async throws -> WebhookEvent {
        var event = try WebhookOutbox.event(type: type, createdAt: now, data: data, details: details)
        if sealed {
            event.payload = try AESGCM.seal(event.payload, key: configuration.responseSealingKey, associatedData: Self.eventSealingContext(event.id))
            event.sealed = true
        }
        try await storage.webhooks.insert(events: [event])
        return event
    }

    /// What a sealed event payload is bound to.
    static func eventSealingContext(_ eventID: String) -> [UInt8] { Array("webhook-event\u{0}\(eventID)".utf8) }
}
