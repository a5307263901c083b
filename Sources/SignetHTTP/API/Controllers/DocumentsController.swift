import Hummingbird
import NIOCore
import SignetCrypto
import SignetService

/// `/v1/documents/{id}.pdf` (sealed paper copies) and `POST /v1/verify`.
struct DocumentsController {
    let service: SignetService
    /// The largest PDF accepted.
    let pdfLimit: Int
    /// Anchors trusted besides the service's own root.
    let extraTrustAnchors: [Certificate]

    func endpoints(to group: RouterGroup<SignetRequestContext>) {
        group.get("documents/{file}", use: download)
        group.post("verify", use: verify)
    }

    @Sendable func download(_ request: Request, context: SignetRequestContext) async throws -> Response {
        guard let file = context.parameters.get("file"), file.hasSuffix(".pdf"),
              case let id = String(file.dropLast(4)), ResourceID.isWellFormed(id, kind: .document) else {
            throw APIProblem.notFound(code: "document_not_found", detail: "no such document")
        }
        return APIResponse.pdf(try await run { try await service.paperDocumentPDF(id: id) }, request: request)
    }

    @Sendable func verify(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let pdf = try await APIRequest.pdf(request, limit: pdfLimit)
        let report = try await run { try await service.verify(pdf: pdf, extraTrustAnchors: extraTrustAnchors) }
        return Response(status: .ok, headers: [.contentType: "application/json", .contentLength: String(report.count)],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: report)))
    }
}
