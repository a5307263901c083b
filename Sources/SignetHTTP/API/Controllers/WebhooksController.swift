import FoundationEssentials
import Hummingbird
import SignetCrypto
import SignetService
import SignetTemplates

/// `/v1/webhook-endpoints` (create, list, read, delete, rotate the secret, deliveries) and
/// `/v1/webhook-deliveries/{id}/retry`.
struct WebhooksController {
    let service: SignetService

    func endpoints(to group: RouterGroup<SignetRequestContext>) {
        group.post("webhook-endpoints", use: create)
        group.get("webhook-endpoints", use: list)
        group.get("webhook-endpoints/{id}", use: show)
        group.delete("webhook-endpoints/{id}", use: delete)
        group.post("webhook-endpoints/{id}/rotate-secret", use: rotate)
        group.get("webhook-endpoints/{id}/deliveries", use: deliveries)
        group.post("webhook-deliveries/{id}/retry", use: retry)
    }

    @Sendable func create(_ request: Request, context: SignetRequestContext) async throws -> Response {
        guard let json = try await APIRequest.json(request, context: context) else { throw APIProblem.invalidJSON() }
        let input = try Self.endpointBody(json).mapError { APIProblem.invalidRequest(issues: $0.issues) }.get()
        let key = APIRequest.idempotencyKey(request, context: context)
        let created = try await run { try await service.createWebhookEndpoint(input, idempotencyKey: key) }
        return try APIResponse.json(WebhookEndpointJSON(endpoint: created.endpoint, secret: created.secret), status: .created,
                                    headers: [.location: "/v1/webhook-endpoints/\(created.endpoint.id)"])
    }

    @Sendable func list(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let page = try await run { try await service.webhookEndpoints(page: try APIRequest.page(request)) }
        return try APIResponse.json(ListJSON(data: page.items.map { WebhookEndpointJSON(endpoint: $0) }, next: page.next))
    }

    @Sendable func show(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let id = try APIRequest.id(context, kind: .webhookEndpoint, missing: "webhook_endpoint")
        return try APIResponse.json(WebhookEndpointJSON(endpoint: try await run { try await service.webhookEndpoint(id: id) }))
    }

    @Sendable func delete(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let id = try APIRequest.id(context, kind: .webhookEndpoint, missing: "webhook_endpoint")
        try await run { try await service.deleteWebhookEndpoint(id: id) }
        return Response(status: .noContent)
    }

    @Sendable func rotate(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let id = try APIRequest.id(context, kind: .webhookEndpoint, missing: "webhook_endpoint")
        _ = try RequestBodies.empty(try await APIRequest.json(request, context: context, allowEmpty: true))
            .mapError { APIProblem.invalidRequest(issues: $0.issues) }.get()
        let rotated = try await run { try await service.rotateWebhookSecret(endpointID: id) }
        return try APIResponse.json(WebhookEndpointJSON(endpoint: rotated.endpoint, secret: rotated.secret))
    }

    @Sendable func deliveries(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let id = try APIRequest.id(context, kind: .webhookEndpoint, missing: "webhook_endpoint")
        let page = try await run { try await service.webhookDeliveries(endpointID: id, page: try APIRequest.page(request)) }
        return try APIResponse.json(ListJSON(data: page.items.map { WebhookDeliveryJSON(delivery: $0) }, next: page.next))
    }

    @Sendable func retry(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let id = try APIRequest.id(context, kind: .webhookDelivery, missing: "webhook_delivery")
        _ = try RequestBodies.empty(try await APIRequest.json(request, context: context, allowEmpty: true))
            .mapError { APIProblem.invalidRequest(issues: $0.issues) }.get()
        return try APIResponse.json(WebhookDeliveryJSON(delivery: try await run { try await service.retryWebhookDelivery(id: id) }),
                                    status: .accepted)
    }

    /// `POST /v1/webhook-endpoints`: `url` (required), `events` (strings), `description`.
    static func endpointBody(_ json: JSONValue) -> Result<NewWebhookEndpoint, RequestIssues> {
        var reader = JSONRequestReader()
        guard let root = reader.root(json, allowed: ["url", "events", "description"]) else { return .failure(RequestIssues(issues: reader.issues)) }
        let url = reader.string(root, "url", required: true, maxLength: 2048)
        let description = reader.string(root, "description", maxLength: 500)
        let types = reader.stringArray(root, "events", maxCount: 20) ?? []
        guard reader.issues.isEmpty, let url else { return .failure(RequestIssues(issues: reader.issues)) }
        return .success(NewWebhookEndpoint(url: url, eventTypes: types, description: description))
    }
}

/// `{"object":"webhook_endpoint", …}`; `secret` only in the responses that create it.
struct WebhookEndpointJSON: Encodable, Sendable {
    let endpoint: WebhookEndpoint
    var secret: String?

    enum CodingKeys: String, CodingKey {
        case id, object, url, events, description, secret, createdAt = "created_at", disabled, disabledAt = "disabled_at"
        case disabledReason = "disabled_reason"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(endpoint.id, forKey: .id)
        try container.encode("webhook_endpoint", forKey: .object)
        try container.encode(endpoint.url, forKey: .url)
        try container.encode(endpoint.eventTypes, forKey: .events)
        try container.encodeIfPresent(endpoint.description, forKey: .description)
        try container.encodeIfPresent(secret, forKey: .secret)
        try container.encode(APITime.string(endpoint.createdAt), forKey: .createdAt)
        try container.encode(endpoint.disabledAt != nil, forKey: .disabled)
        try container.encodeIfPresent(endpoint.disabledAt.map(APITime.string), forKey: .disabledAt)
        try container.encodeIfPresent(endpoint.disabledReason, forKey: .disabledReason)
    }
}

/// `{"object":"webhook_delivery", …}`.
struct WebhookDeliveryJSON: Encodable, Sendable {
    let delivery: WebhookDelivery

    enum CodingKeys: String, CodingKey {
        case id, object, endpointID = "endpoint_id", eventID = "event_id", eventType = "event_type", state, attempts
        case nextAttemptAt = "next_attempt_at", lastStatus = "last_status", lastError = "last_error", createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(delivery.id, forKey: .id)
        try container.encode("webhook_delivery", forKey: .object)
        try container.encode(delivery.endpointID, forKey: .endpointID)
        try container.encode(delivery.eventID, forKey: .eventID)
        try container.encode(delivery.eventType, forKey: .eventType)
        try container.encode(delivery.state.rawValue, forKey: .state)
        try container.encode(delivery.attempts, forKey: .attempts)
        try container.encodeIfPresent(delivery.nextAttemptAt.map(APITime.string), forKey: .nextAttemptAt)
        try container.encodeIfPresent(delivery.lastStatus, forKey: .lastStatus)
        try container.encodeIfPresent(delivery.lastError, forKey: .lastError)
        try container.encode(APITime.string(delivery.createdAt), forKey: .createdAt)
        try container.encode(APITime.string(delivery.updatedAt), forKey: .updatedAt)
    }
}
