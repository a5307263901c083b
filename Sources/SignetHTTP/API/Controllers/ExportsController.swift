import Hummingbird
import SignetService

/// `/v1/exports`: queue an auditor archive, follow its job, download the archive
/// (`application/vnd.etsi.asic-e+zip`, streamed from its file).
struct ExportsController {
    let service: SignetService
    /// Reads the archive files in chunks on NIO's thread pool.
    let fileIO = FileIO()

    func endpoints(to group: RouterGroup<SignetRequestContext>) {
        group.post("exports", use: create)
        group.get("exports/{id}", use: show)
        group.get("exports/{id}/archive", use: archive)
    }

    @Sendable func create(_ request: Request, context: SignetRequestContext) async throws -> Response {
        guard let json = try await APIRequest.json(request, context: context) else { throw APIProblem.invalidJSON() }
        let filter = try RequestBodies.export(json).mapError { APIProblem.invalidRequest(issues: $0.issues) }.get()
        let job = try await run { try await service.createExportJob(filter) }
        return try APIResponse.json(ExportJobJSON(job: job), status: .accepted, headers: [.location: "/v1/exports/\(job.id)"])
    }

    @Sendable func show(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let id = try APIRequest.id(context, kind: .export, missing: "export")
        return try APIResponse.json(ExportJobJSON(job: try await run { try await service.exportJob(id: id) }))
    }

    /// 409 `export_not_ready` while queued or running, 410 `export_failed` for a failed job
    /// (there will never be an archive), else the file with its digest.
    @Sendable func archive(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let id = try APIRequest.id(context, kind: .export, missing: "export")
        let (_, archive) = try await run { try await service.exportArchiveFile(id: id) }
        let body: ResponseBody
        do {
            body = try await fileIO.loadFile(path: archive.path, context: context)
        } catch {
            throw APIProblem.internalError
        }
        return Response(status: .ok, headers: [
            .contentType: "application/vnd.etsi.asic-e+zip", .contentLength: String(archive.size),
            .contentDisposition: "attachment; filename=\"\(id).asice\"",
            .contentDigest: "sha-256=:\(APIResponse.base64(hex: archive.sha256)):", .cacheControl: "private, no-cache",
        ], body: body)
    }
}
