import Hummingbird
import SignetCrypto
import SignetService

/// `/v1/merchants`: register, read, find by external id, a merchant's contracts, timeline
/// and paper documents.
struct MerchantsController {
    let service: SignetService
    /// The largest scan accepted.
    let pdfLimit: Int

    func endpoints(to group: RouterGroup<SignetRequestContext>) {
        group.post("merchants", use: create)
        group.get("merchants", use: find)
        group.get("merchants/{id}", use: show)
        group.get("merchants/{id}/contracts", use: contracts)
        group.get("merchants/{id}/timeline", use: timeline)
        group.post("merchants/{id}/documents", use: certifyDocument)
        group.get("merchants/{id}/documents", use: documents)
    }

    @Sendable func create(_ request: Request, context: SignetRequestContext) async throws -> Response {
        guard let json = try await APIRequest.json(request, context: context) else { throw APIProblem.invalidJSON() }
        let input = try RequestBodies.merchant(json).mapError { APIProblem.invalidRequest(issues: $0.issues) }.get()
        let key = APIRequest.idempotencyKey(request, context: context)
        let merchant = try await run { try await service.createMerchant(input, idempotencyKey: key) }
        return try APIResponse.json(MerchantJSON(merchant: merchant), status: .created,
                                    headers: [.location: "/v1/merchants/\(merchant.id)"])
    }

    @Sendable func find(_ request: Request, context: SignetRequestContext) async throws -> Response {
        guard let externalID = request.uri.queryParameters.get("external_id"), !externalID.isEmpty else {
            throw APIProblem.invalidQuery("external_id", "required: the integrator's merchant id")
        }
        // The form merchants are created with: anything else names no merchant, and is refused (400) rather than not found.
        guard NewMerchant.isValidExternalID(externalID) else {
            throw APIProblem.invalidQuery("external_id", "1 to 64 characters of A-Z a-z 0-9 . _ : -")
        }
        let merchant = try await run { try await service.merchant(externalID: externalID) }
        return try APIResponse.json(ListJSON<MerchantJSON>(data: merchant.map { [MerchantJSON(merchant: $0)] } ?? [], next: nil))
    }

    @Sendable func show(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let id = try APIRequest.id(context, kind: .merchant, missing: "merchant")
        return try APIResponse.json(MerchantJSON(merchant: try await run { try await service.merchant(id: id) }))
    }

    @Sendable func contracts(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let id = try APIRequest.id(context, kind: .merchant, missing: "merchant")
        var query = try ContractsController.query(request)
        query.merchantID = id
        let page = try await run {
            _ = try await service.merchant(id: id)
            return try await service.contracts(query)
        }
        return try APIResponse.json(ListJSON(data: page.items.map { ContractJSON(contract: $0) }, next: page.next))
    }

    @Sendable func timeline(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let id = try APIRequest.id(context, kind: .merchant, missing: "merchant")
        let pageRequest = try APIRequest.page(request)
        let page = try await run { try await service.timeline(merchantID: id, page: pageRequest) }
        return try APIResponse.json(ListJSON(data: page.items.map { AuditEventJSON(event: $0, includeContractID: true) }, next: page.next))
    }

    @Sendable func certifyDocument(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let id = try APIRequest.id(context, kind: .merchant, missing: "merchant")
        let title = request.uri.queryParameters.get("title").map { String($0) }
        let pdf = try await APIRequest.pdf(request, limit: pdfLimit)
        let origin = APIRequest.origin(request, context: context)
        let key = APIRequest.idempotencyKey(request, context: context)
        let document = try await run {
            try await service.certifyPaperDocument(merchantID: id, pdf: pdf, title: title, origin: origin, idempotencyKey: key)
        }
        return try APIResponse.json(PaperDocumentJSON(document: document), status: .created,
                                    headers: [.location: "/v1/documents/\(document.id).pdf"])
    }

    @Sendable func documents(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let id = try APIRequest.id(context, kind: .merchant, missing: "merchant")
        let pageRequest = try APIRequest.page(request)
        let page = try await run { try await service.paperDocuments(merchantID: id, page: pageRequest) }
        return try APIResponse.json(ListJSON(data: page.items.map { PaperDocumentJSON(document: $0) }, next: page.next))
    }
}

/// Runs a service call, turning its refusals into problems.
func run<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as ServiceError {
        throw APIProblem(error)
    }
}
