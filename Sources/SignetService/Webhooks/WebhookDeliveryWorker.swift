public import FoundationEssentials
public import SignetCrypto

/// Sends the outbox: fans new events out to deliveries, claims the due ones, and posts each
/// to its endpoint with Standard Webhooks headers (`webhook-id` = the event id on every
/// attempt), recording every attempt. Only a 2xx succeeds; a 410 fails the delivery and
/// disables the endpoint; anything else (no reply, a timeout, a refused address, another
/// status) waits for the next attempt of the retry schedule, or its `Retry-After` if longer,
/// until attempts run out. A delivery claimed by a worker that died is due again when its
/// lease lapses, so nothing committed is lost.
///
/// DNS rebinding: the host is resolved and every address checked right before each attempt.
/// For `http` the request then goes to the checked address itself (with the name in `Host`),
/// so a name cannot resolve elsewhere between check and connect. For `https` the request
/// keeps the name (TLS verifies the certificate against it), and AsyncHTTPClient resolves it
/// again: a name whose DNS answer changes within that moment could still reach another
/// address — the residual risk, bounded by the certificate check (an internal service would
/// need a certificate valid for the attacker's name).
public struct WebhookDeliveryWorker: Sendable {
    /// The service whose outbox is sent.
    public let service: SignetService
    /// The HTTP client (SignetCrypto's one client).
    public let transport: AsyncHTTPClientTransport
    /// Endpoints served at once.
    public let concurrency: Int

    /// A worker for `service`.
    public init(service: SignetService, transport: AsyncHTTPClientTransport = AsyncHTTPClientTransport(), concurrency: Int = 8) {
        self.service = service
        self.transport = transport
        self.concurrency = max(1, concurrency)
    }

    /// One round: dispatches new events, then sends every due delivery (up to 100); returns
    /// how many attempts it made.
    @discardableResult
    public func runOnce() async throws -> Int {
        let webhooks = service.storage.webhooks
        _ = try await webhooks.dispatch(now: service.now, limit: 500)
        let now = service.now
        let due = try await webhooks.claimDue(now: now, leaseUntil: now.addingTimeInterval(service.configuration.webhookLease), limit: 100)
        guard !due.isEmpty else { return 0 }
        // One endpoint's deliveries go one after another in outbox order (so a receiver sees
        // a journey in order when nothing fails); endpoints are served side by side.
        var queues: [(endpointID: String, items: [DueWebhookDelivery])] = []
        for item in due {
            if let index = queues.firstIndex(where: { $0.endpointID == item.delivery.endpointID }) {
                queues[index].items.append(item)
            } else {
                queues.append((item.delivery.endpointID, [item]))
            }
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            var running = 0
            for queue in queues {
                if running == concurrency {
                    try await group.next()
                    running -= 1
                }
                let items = queue.items
                group.addTask { for item in items { try await deliver(item) } }
                running += 1
            }
            try await group.waitForAll()
        }
        return due.count
    }

    /// One attempt of `item`, recorded.
    func deliver(_ item: DueWebhookDelivery) async throws {
        let started = service.now
        let number = item.delivery.attempts + 1
        let outcome: WebhookAttemptOutcome
        guard let endpoint = item.endpoint, endpoint.disabledAt == nil else {
            let reason = item.endpoint == nil ? "the endpoint was deleted" : "the endpoint is disabled"
            outcome = WebhookAttemptOutcome(attempt: WebhookAttempt(number: number, attemptedAt: started, status: nil, error: reason),
                                            state: .failed, nextAttemptAt: nil)
            try await service.storage.webhooks.record(deliveryID: item.delivery.id, outcome: outcome, at: started)
            return
        }
        let result = await attempt(item.event, to: endpoint, at: started)
        outcome = decide(result, attempts: number, at: started)
        try await service.storage.webhooks.record(deliveryID: item.delivery.id, outcome: outcome, at: service.now)
    }

    /// What one attempt got: a reply, or why there was none.
    enum AttemptResult {
        case reply(OutboundReply)
        case failure(String)
    }

    func attempt(_ event: WebhookEvent, to endpoint: WebhookEndpoint, at date: Date) async -> AttemptResult {
        do {
            let body = try payload(of: event)
            let (url, addresses) = try await service.webhookURLPolicy.check(endpoint.url)
            let secrets = try service.webhookSecrets(of: endpoint).signing(at: date)
            var headers = try StandardWebhooks.headers(id: event.id, time: date, body: body, secrets: secrets)
            headers.append(("User-Agent", "Signet-Webhooks/1"))
            var target = url
            if url.scheme?.lowercased() == "http", let address = addresses.first,
               var components = URLComponents(url: url, resolvingAgainstBaseURL: false) {
                // Connect to the address just checked; the name goes in Host.
                headers.append(("Host", url.port.map { "\(components.host ?? ""):\($0)" } ?? (components.host ?? "")))
                components.host = address.urlHost
                target = components.url ?? url
            }
            return .reply(try await transport.send(body, to: target, headers: headers, timeout: service.configuration.webhookTimeout))
        } catch let error as ServiceError {
            return .failure(error.description)
        } catch let error as HTTPTransportError {
            return .failure(error.description)
        } catch {
            return .failure("the request failed")
        }
    }

    /// The body to post: the stored payload, opened when sealed.
    func payload(of event: WebhookEvent) throws -> [UInt8] {
        guard event.sealed else { return event.payload }
        guard !event.payload.isEmpty else { throw ServiceError.webhookPayloadDropped }
        do {
            return try AESGCM.open(event.payload, key: service.configuration.responseSealingKey,
                                   associatedData: SignetService.eventSealingContext(event.id))
        } catch {
            throw ServiceError.internalFailure("a sealed webhook payload does not open")
        }
    }

    /// The delivery's next state after attempt `attempts` got `result`.
    func decide(_ result: AttemptResult, attempts: Int, at date: Date) -> WebhookAttemptOutcome {
        let schedule = service.configuration.webhookRetrySchedule
        switch result {
        case .reply(let reply) where (200..<300).contains(reply.status):
            return WebhookAttemptOutcome(attempt: WebhookAttempt(number: attempts, attemptedAt: date, status: reply.status, error: nil),
                                         state: .succeeded, nextAttemptAt: nil)
        case .reply(let reply) where reply.status == 410:
            return WebhookAttemptOutcome(
                attempt: WebhookAttempt(number: attempts, attemptedAt: date, status: 410, error: "the endpoint answered 410 Gone"),
                state: .failed, nextAttemptAt: nil, disableEndpoint: "the endpoint answered 410 Gone")
        case .reply(let reply):
            let retryAfter = WebhookRetrySchedule.retryAfter(reply.header("Retry-After"), now: date)
            let attempt = WebhookAttempt(number: attempts, attemptedAt: date, status: reply.status, error: "HTTP \(reply.status)")
            return retrying(attempt, delay: schedule.delay(afterAttempts: attempts, retryAfter: retryAfter), from: date)
        case .failure(let reason):
            let attempt = WebhookAttempt(number: attempts, attemptedAt: date, status: nil, error: reason)
            return retrying(attempt, delay: schedule.delay(afterAttempts: attempts), from: date)
        }
    }

    private func retrying(_ attempt: WebhookAttempt, delay: TimeInterval?, from date: Date) -> WebhookAttemptOutcome {
        guard let delay else { return WebhookAttemptOutcome(attempt: attempt, state: .failed, nextAttemptAt: nil) }
        return WebhookAttemptOutcome(attempt: attempt, state: .pending, nextAttemptAt: date.addingTimeInterval(delay))
    }
}
