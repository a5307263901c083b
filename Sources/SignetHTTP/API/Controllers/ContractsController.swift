import FoundationEssentials
import Hummingbird
import SignetCrypto
import SignetService
import SignetTemplates

/// `/v1/contracts`: create, read, list, send, void, new signing links, downloads, audit trail.
struct ContractsController {
    let service: SignetService

    func endpoints(to group: RouterGroup<SignetRequestContext>) {
        group.post("contracts", use: create)
        group.get("contracts", use: list)
        group.get("contracts/{id}", use: show)
        group.post("contracts/{id}/send", use: send)
        group.post("contracts/{id}/void", use: void)
        group.post("contracts/{id}/signers/{role}/link", use: link)
        group.post("contracts/{id}/signers/{role}/embedded-link", use: embeddedLink)
        group.get("contracts/{id}/document.pdf", use: original)
        group.get("contracts/{id}/signed.pdf", use: signed)
        group.get("contracts/{id}/evidence.pdf", use: evidence)
        group.get("contracts/{id}/audit-trail", use: auditTrail)
    }

    @Sendable func create(_ request: Request, context: SignetRequestContext) async throws -> Response {
        guard let json = try await APIRequest.json(request, context: context) else { throw APIProblem.invalidJSON() }
        let input = try RequestBodies.contract(json).mapError { APIProblem.invalidRequest(issues: $0.issues) }.get()
        let origin = APIRequest.origin(request, context: context)
        let key = APIRequest.idempotencyKey(request, context: context)
        let issued = try await run { try await service.createContract(input, origin: origin, idempotencyKey: key) }
        return try APIResponse.json(ContractJSON(contract: issued.contract, links: issued.links), status: .created,
                                    headers: [.location: "/v1/contracts/\(issued.contract.id)"])
    }

    @Sendable func list(_ request: Request, context: SignetRequestContext) async throws -> Response {
        var query = try Self.query(request)
        if let merchant = request.uri.queryParameters.get("merchant_id") {
            guard ResourceID.isWellFormed(String(merchant), kind: .merchant) else { throw APIProblem.invalidQuery("merchant_id", "not a merchant id") }
            query.merchantID = String(merchant)
        }
        let page = try await run { try await service.contracts(query) }
        return try APIResponse.json(ListJSON(data: page.items.map { ContractJSON(contract: $0) }, next: page.next))
    }

    @Sendable func show(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let id = try APIRequest.id(context, kind: .contract, missing: "contract")
        return try APIResponse.json(ContractJSON(contract: try await run { try await service.contract(id: id) }))
    }

    @Sendable func send(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let id = try APIRequest.id(context, kind: .contract, missing: "contract")
        _ = try RequestBodies.empty(try await APIRequest.json(request, context: context, allowEmpty: true))
            .mapError { APIProblem.invalidRequest(issues: $0.issues) }.get()
        let origin = APIRequest.origin(request, context: context)
        let issued = try await run { try await service.sendContract(id: id, origin: origin) }
        return try APIResponse.json(ContractJSON(contract: issued.contract, links: issued.links))
    }

    @Sendable func void(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let id = try APIRequest.id(context, kind: .contract, missing: "contract")
        guard let json = try await APIRequest.json(request, context: context) else { throw APIProblem.invalidJSON() }
        let reason = try RequestBodies.voidReason(json).mapError { APIProblem.invalidRequest(issues: $0.issues) }.get()
        let origin = APIRequest.origin(request, context: context)
        return try APIResponse.json(ContractJSON(contract: try await run { try await service.voidContract(id: id, reason: reason, origin: origin) }))
    }

    @Sendable func link(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let (id, role, origin, _) = try await signerLinkRequest(request, context: context, body: { RequestBodies.empty($0) })
        let link = try await run { try await service.issueSigningLink(contractID: id, role: role, origin: origin) }
        return try APIResponse.json(SigningLinkJSON(link: link), status: .created)
    }

    @Sendable func embeddedLink(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let (id, role, origin, frameAncestors) = try await signerLinkRequest(request, context: context, body: RequestBodies.embeddedLink)
        let link = try await run {
            try await service.issueEmbeddedLink(contractID: id, role: role, frameAncestors: frameAncestors, origin: origin)
        }
        return try APIResponse.json(EmbeddedLinkJSON(url: link.url, expiresAt: APITime.string(link.expiresAt)), status: .created)
    }

    /// The contract id and signer role of `POST …/signers/{role}/link` and `…/embedded-link`,
    /// and their bodies as `body` reads them.
    private func signerLinkRequest<Body>(_ request: Request, context: SignetRequestContext,
                                         body: (JSONValue?) -> Result<Body, RequestIssues>) async throws
        -> (id: String, role: PartyRole, origin: RequestOrigin, body: Body) {
        let id = try APIRequest.id(context, kind: .contract, missing: "contract")
        guard let role = context.parameters.get("role"), (1...64).contains(role.count) else {
            throw APIProblem.notFound(code: "signer_not_found", detail: "no such signer")
        }
        let value = try body(try await APIRequest.json(request, context: context, allowEmpty: true))
            .mapError { APIProblem.invalidRequest(issues: $0.issues) }.get()
        return (id, PartyRole(rawValue: role), APIRequest.origin(request, context: context), value)
    }

    @Sendable func original(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let id = try APIRequest.id(context, kind: .contract, missing: "contract")
        return APIResponse.pdf(try await run { try await service.originalPDF(contractID: id) }, request: request)
    }

    @Sendable func signed(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let id = try APIRequest.id(context, kind: .contract, missing: "contract")
        return APIResponse.pdf(try await run { try await service.signedPDF(contractID: id) }, request: request)
    }

    @Sendable func evidence(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let id = try APIRequest.id(context, kind: .contract, missing: "contract")
        return APIResponse.pdf(try await run { try await service.evidencePDF(contractID: id) }, request: request)
    }

    @Sendable func auditTrail(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let id = try APIRequest.id(context, kind: .contract, missing: "contract")
        let trail = try await run { try await service.auditTrail(contractID: id) }
        return try APIResponse.json(AuditTrailJSON(contractID: id, events: trail.events, chainValid: trail.chainBreak == nil))
    }

    /// The list filters of `GET /v1/contracts` (and a merchant's contracts).
    static func query(_ request: Request) throws -> ContractQuery {
        let parameters = request.uri.queryParameters
        var query = ContractQuery(page: try APIRequest.page(request))
        if let state = parameters.get("state") {
            guard let value = ContractState(rawValue: String(state)) else {
                throw APIProblem.invalidQuery("state", "one of \(ContractState.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            query.state = value
        }
        for (name, keyPath) in [("created_after", \ContractQuery.createdAfter), ("created_before", \ContractQuery.createdBefore)] {
            guard let text = parameters.get(name) else { continue }
            guard let date = TimeText.parse(String(text)) else { throw APIProblem.invalidQuery(name, "an RFC 3339 time") }
            query[keyPath: keyPath] = date
        }
        return query
    }
}

/// `{object, url, expires_at}` of a new embedded link.
struct EmbeddedLinkJSON: Encodable {
    let object = "embedded_link"
    let url: String
    let expiresAt: String

    enum CodingKeys: String, CodingKey {
        case object, url
        case expiresAt = "expires_at"
    }
}
