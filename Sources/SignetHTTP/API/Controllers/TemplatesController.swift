import Hummingbird
import SignetCrypto
import SignetService
import SignetTemplates

/// `/v1/templates`: the templates, their versions, roles and field schemas.
struct TemplatesController {
    let service: SignetService

    func endpoints(to group: RouterGroup<SignetRequestContext>) {
        group.get("templates", use: list)
        group.get("templates/{template}", use: show)
    }

    @Sendable func list(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let listings = try await run { try service.templates.list() }
        let items = listings.compactMap { listing in listing.latest.map { TemplateJSON(manifest: $0, versions: listing.versions) } }
        return try APIResponse.json(ListJSON<TemplateJSON>(data: items, next: nil))
    }

    @Sendable func show(_ request: Request, context: SignetRequestContext) async throws -> Response {
        guard let id = context.parameters.get("template"), (1...100).contains(id.count) else {
            throw APIProblem.notFound(code: "template_not_found", detail: "no such template")
        }
        let version = request.uri.queryParameters.get("version").map { String($0) }
        let (template, versions) = try await run {
            let template = try service.templates.template(id: id, version: version)
            let versions = try service.templates.store.versions(of: id)
            return (template, versions)
        }
        return try APIResponse.json(TemplateJSON(manifest: template.manifest, versions: versions, detail: template))
    }
}
