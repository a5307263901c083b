import FoundationEssentials

/// The export resource (`GET /v1/exports/{id}`, the `export.completed`/`export.failed`
/// webhooks' `data`).
package struct ExportJobJSON: Encodable, Sendable {
    package let job: ExportJob

    package init(job: ExportJob) { self.job = job }

    enum CodingKeys: String, CodingKey {
        case id, object, state, filter, progress, archive, error, createdAt = "created_at", updatedAt = "updated_at"
        case finishedAt = "finished_at"
    }

    struct ArchiveJSON: Encodable {
        let size: Int
        let sha256: String
        let url: String
        let contentType = "application/vnd.etsi.asic-e+zip"

        enum CodingKeys: String, CodingKey { case size, sha256, url, contentType = "content_type" }
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(job.id, forKey: .id)
        try container.encode("export", forKey: .object)
        try container.encode(job.state.rawValue, forKey: .state)
        try container.encode(job.filter, forKey: .filter)
        try container.encode(["done": job.progress.done, "total": job.progress.total], forKey: .progress)
        if let archive = job.archive {
            try container.encode(ArchiveJSON(size: archive.size, sha256: archive.sha256, url: "/v1/exports/\(job.id)/archive"), forKey: .archive)
        } else {
            try container.encodeNil(forKey: .archive)
        }
        if let error = job.error {
            try container.encode(["code": error.code, "message": error.message], forKey: .error)
        } else {
            try container.encodeNil(forKey: .error)
        }
        try container.encode(APITime.string(job.createdAt), forKey: .createdAt)
        try container.encode(APITime.string(job.updatedAt), forKey: .updatedAt)
        try container.encodeIfPresent(job.finishedAt.map(APITime.string), forKey: .finishedAt)
    }
}
