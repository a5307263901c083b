import FoundationEssentials
import Logging
import SignetCrypto
import SignetHTTP
import SignetPKI
import SignetService
import SignetStore

/// The composition root of `signet serve`: everything the service needs, made from the
/// command line's configuration, in one place.
enum ServiceAssembly {
    /// The parts `signet serve` runs.
    struct Assembled {
        /// What the routes call.
        var services: HTTPServices
        /// The contract service.
        var service: SignetService
        /// The opened storage (closed after the server stops).
        var store: any ServiceStore
    }

    /// The PKI (created in `keysDirectory` with the base URL when there is none, for the
    /// templates' platform company, with a development seal for every platform entity), the
    /// storage (SQLite in the data directory, or the PostgreSQL database; migrated), the templates, the contract service,
    /// the readiness checks and the OpenAPI document. One-time codes go out through
    /// `otpNotifier`: `log` (the server's log, development) or `webhook` (`signer.otp_requested`).
    static func assemble(configuration: ServerConfiguration, templatesDirectory: String, trustFiles: [String],
                         passphrase: String?, logger: Logger, otpNotifier: String = "log",
                         configure: (inout ServiceConfiguration) -> Void = { _ in }) async throws -> Assembled {
        let catalog = TemplateCatalog(root: URL(fileURLWithPath: templatesDirectory))
        let entities = try PlatformEntity.all(in: catalog)
        let keys = try loadOrCreateKeys(configuration: configuration, platform: entities.first, passphrase: passphrase, logger: logger)
        for name in try PlatformEntity.ensureSeals(for: entities, in: keys, passphrase: passphrase) {
            logger.info("issued a development seal", metadata: ["organization": .string(name)])
        }
        let location = try StorageLocation.resolve(database: configuration.databaseURL, dataDirectory: configuration.dataDirectory)
        let storage = try await location.open(logger: logger)
        logger.info("storage ready", metadata: ["storage": .string(location.description)])
        var serviceConfiguration = ServiceConfiguration(baseURL: configuration.baseURL)
        serviceConfiguration.signingLease = 120
        serviceConfiguration.responseSealingKey = try ResponseSealingKey.loadOrCreate(inDirectory: configuration.keysDirectory)
        configure(&serviceConfiguration)
        var service = SignetService(
            storage: storage.storage, templates: catalog, keys: keys,
            signingFlow: try await ContractSigningFlow.forService(keys: keys, storage: storage.storage, passphrase: passphrase),
            configuration: serviceConfiguration, metrics: ServiceMetricsExport.serviceMetrics,
            codeNotifier: LogCodeNotifier(logger: Logger(label: "signet.otp") { JSONLogHandler.standardError(label: $0) }))
        if otpNotifier == "webhook" { service.codeNotifier = WebhookCodeNotifier(service: service) }
        let readiness = ReadinessCheck.standard(for: service)
        var services = HTTPServices(keys: keys, readinessChecks: readiness, openAPIDocument: OpenAPIDocument.bytes)
        services.service = service
        services.extraTrustAnchors = try loadTrustAnchors(from: trustFiles)
        return Assembled(services: services, service: service, store: storage)
    }

    /// The PKI in the keys directory; a new development PKI for `platform` whose URLs start
    /// with the base URL when the directory holds none of its files.
    static func loadOrCreateKeys(configuration: ServerConfiguration, platform: PlatformEntity?, passphrase: String?,
                                 logger: Logger) throws -> KeyDirectory {
        let directory = configuration.keysDirectory
        let existing = KeyDirectory.managedFiles.contains { FileManager.default.fileExists(atPath: directory + "/" + $0) }
        guard existing else {
            var options = KeyDirectory.CreationOptions()
            options.baseURL = configuration.baseURL
            if let platform {
                options.organization = platform.organization
                if platform.countryCode == "CN" { options.creditCode = platform.registrationNumber }
            }
            let keys = try KeyDirectory.create(at: directory, options: options, passphrase: passphrase)
            logger.info("created a development PKI", metadata: ["keys": .string(directory), "base_url": .string(configuration.baseURL)])
            return keys
        }
        let keys = try KeyDirectory.load(from: directory, passphrase: passphrase)
        if let base = keys.manifest.urls?.base, base != configuration.baseURL {
            logger.warning("the PKI's certificates name another base URL; revocation checks will not reach this server",
                           metadata: ["pki_base_url": .string(base), "base_url": .string(configuration.baseURL)])
        }
        return keys
    }
}
