import FoundationEssentials
import SignetPKI
import SignetService

/// The development PKI of a benchmark's service: the first platform company the templates
/// name as its organization, and a seal for every platform entity of the templates (as
/// `signet serve` issues them).
enum BenchKeyDirectory {
    static func create(at path: String, catalog: TemplateCatalog, templates: String, baseURL: String) throws -> KeyDirectory {
        let entities = try PlatformEntity.all(in: catalog)
        guard let platform = entities.first else { throw BenchError("\(templates): no template names a platform company") }
        var options = KeyDirectory.CreationOptions()
        options.baseURL = baseURL
        options.organization = platform.organization
        options.creditCode = platform.registrationNumber
        let keys = try KeyDirectory.create(at: path, options: options)
        _ = try PlatformEntity.ensureSeals(for: entities, in: keys, passphrase: nil)
        return keys
    }
}
