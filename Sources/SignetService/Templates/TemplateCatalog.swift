public import FoundationEssentials
public import SignetTemplates
import Synchronization

/// The service's templates: `contract-templates/` read through `TemplateStore` (which
/// refuses a version whose files changed without a version bump), each version loaded once
/// and kept for the life of the service (bounded by the versions on disk).
public final class TemplateCatalog: Sendable {
    /// The template directory.
    public let store: TemplateStore
    private let loaded = Mutex<[String: ContractTemplate]>([:])

    /// A catalog of the templates under `root`.
    public init(root: URL) { store = TemplateStore(root: root) }

    /// Every template with its versions.
    public func list() throws(ServiceError) -> [TemplateStore.Listing] {
        do { return try store.list() } catch { throw .internalFailure("templates: \(error)") }
    }

    /// Template `id` at `version` (nil: the newest). Unknown id or version → `notFound("template")`.
    public func template(id: String, version: String? = nil) throws(ServiceError) -> ContractTemplate {
        let known: [TemplateVersion]
        do { known = try store.versions(of: id) } catch { throw .notFound("template") }
        let wanted: TemplateVersion? = if let version { TemplateVersion(version) } else { known.max() }
        guard let chosen = wanted, known.contains(chosen) else { throw .notFound("template") }
        let key = "\(id)@\(chosen)"
        if let template = loaded.withLock({ $0[key] }) { return template }
        do {
            let template = try store.load(id: id, version: chosen.description)
            loaded.withLock { $0[key] = template }
            return template
        } catch {
            throw .internalFailure("template \(key): \(error)")
        }
    }
}
