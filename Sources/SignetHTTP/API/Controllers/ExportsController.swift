import Hummingbird
import NIOCore
import SignetService

/// `/v1/exports`: queue an auditor archive, follow its job, download the archive
/// (`application/vnd.etsi.asic-e+zip`, streamed from the store chunk by chunk, whichever
/// instance wrote it).
struct ExportsController {
    let service: SignetService
    /// The bytes read from the store per chunk of a download.
    static let chunkSize = 1 << 20

    func endpoints(to group: RouterGroup<SignetRequestContext>) {
        group.post("exports", use: create)
        group.get("exports/{id}", use: show)
        group.get("exports/{id}/archive", use: archive)
    }

    @Sendable func create(_ request: Request, context: SignetRequestContext) async throws -> Response {
        guard let json = try await APIRequest.json(request, context: context) else { throw APIProblem.invalidJSON() }
        let filter = try RequestBodies.export(json).mapError { APIProblem.invalidRequest(issues: $0.issues) }.get()
        let key = APIRequest.idempotencyKey(request, context: context)
        let job = try await run { try await service.createExportJob(filter, idempotencyKey: key) }
        return try APIResponse.json(ExportJobJSON(job: job), status: .accepted, headers: [.location: "/v1/exports/\(job.id)"])
    }

    @Sendable func show(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let id = try APIRequest.id(context, kind: .export, missing: "export")
        return try APIResponse.json(ExportJobJSON(job: try await run { try await service.exportJob(id: id) }))
    }

    /// 409 `export_not_ready` while queued or running, 410 `export_failed` for a failed job
    /// (there will never be an archive), else the archive with its digest. The first chunk is
    /// read before the response starts (an archive gone from the store is a 500); the rest as
    /// the client takes them, so at most one chunk is in memory.
    @Sendable func archive(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let id = try APIRequest.id(context, kind: .export, missing: "export")
        let (_, archive) = try await run { try await service.exportArchiveFile(id: id) }
        let first = try await Self.firstChunk(of: archive, from: service)
        let body = Self.body(of: archive, first: first, from: service)
        return Response(status: .ok, headers: [
            .contentType: "application/vnd.etsi.asic-e+zip", .contentLength: String(archive.size),
            .contentDisposition: "attachment; filename=\"\(id).asice\"",
            .contentDigest: "sha-256=:\(APIResponse.base64(hex: archive.sha256)):", .cacheControl: "private, no-cache",
        ], body: body)
    }

    /// The archive's first chunk (all of a small one): a 500 when the store cannot give it.
    static func firstChunk(of archive: ExportJob.Archive, from service: SignetService) async throws -> [UInt8] {
        let length = min(chunkSize, archive.size)
        guard let chunk = try? await service.exportArchiveChunk(archive, offset: 0, length: length), chunk.count == length else {
            throw APIProblem.internalError
        }
        return chunk
    }

    /// The body: `first`, then the rest read from the store a chunk at a time as the client
    /// takes them (a store failure mid-way cuts the response short: its length is declared).
    static func body(of archive: ExportJob.Archive, first: [UInt8], from service: SignetService) -> ResponseBody {
        ResponseBody(contentLength: archive.size) { writer in
            try await writer.write(ByteBuffer(bytes: first))
            var offset = first.count
            while offset < archive.size {
                let chunk = try await service.exportArchiveChunk(archive, offset: offset, length: min(chunkSize, archive.size - offset))
                guard !chunk.isEmpty else { throw StoreError.corrupt("export archive shorter than recorded") }
                try await writer.write(ByteBuffer(bytes: chunk))
                offset += chunk.count
            }
            try await writer.finish(nil)
        }
    }
}
