import FoundationEssentials
import Glibc
import Logging
import ServiceLifecycle
import SignetHTTP
import SignetPKI
import SignetService
import SignetStore
import SignetTemplates

/// `signet serve` in this process, assembled as `ServiceAssembly` does it (SQLite storage,
/// the templates, the PKI, the contract service with its swift-metrics export, the HTTP
/// application and the background jobs in a `ServiceGroup`), on a fresh data directory and
/// a fresh development PKI, listening on a free loopback port. Additions for the benchmark:
/// the service's operation durations also go to `times`, the storage is wrapped by
/// `TimedStorage`, one-time codes go to the driver (`CapturedCodes`) and the per-address
/// rate limit of the signing page is lifted (`benchConfiguration`). Access logs are the server's JSON lines, appended to
/// `<directory>/access.log`.
struct JourneyService {
    let directory: String
    let service: SignetService
    let baseURL: String
    let apiKey: String
    private let storage: SQLiteStorage
    private let group: ServiceGroup
    private let running: Task<Void, any Error>
    private let logFile: Int32

    static func start(templates: String, times: OperationTimes, codes: CapturedCodes) async throws -> JourneyService {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("signet-journey-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let catalog = TemplateCatalog(root: URL(fileURLWithPath: templates))
        // The port is chosen when the server binds; revocation data for the signatures comes
        // from the key directory in process (as under `signet serve`), never from these URLs.
        let keys = try BenchKeyDirectory.create(at: directory + "/keys", catalog: catalog, templates: templates,
                                                baseURL: "http://127.0.0.1")

        let storage = try await SQLiteStorage.open(directory: directory + "/data")
        let exported = ServiceMetricsExport.serviceMetrics
        var metrics = exported
        metrics.recordDuration = { operation, seconds in
            exported.recordDuration(operation, seconds)
            times.record(operation, seconds: seconds)
        }
        let service = SignetService(
            storage: TimedStorage.wrap(storage.storage, into: times), templates: catalog, keys: keys,
            signingFlow: try await ContractSigningFlow.forService(keys: keys, storage: storage.storage), configuration: benchConfiguration,
            metrics: metrics, codeNotifier: codes)
        let apiKey = try await service.createAPIKey(name: "journey").secret

        let logFile = open(directory + "/access.log", O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard logFile >= 0 else { throw BenchError("access.log: errno \(errno)") }
        let logger = Logger(label: "signet") { label in
            JSONLogHandler(label: label) { line in
                let bytes = Array((line + "\n").utf8)
                _ = bytes.withUnsafeBytes { write(logFile, $0.baseAddress, $0.count) }
            }
        }
        var services = HTTPServices(keys: keys, readinessChecks: [], openAPIDocument: OpenAPIDocument.bytes)
        services.service = service
        let configuration = ServerConfiguration(host: "127.0.0.1", port: 0, dataDirectory: directory + "/data",
                                                keysDirectory: directory + "/keys")
        let listening = AsyncStream<Int>.makeStream()
        let application = try SignetApplication.build(configuration: configuration, services: services, logger: logger) { port in
            listening.continuation.yield(port)
        }
        let jobs = BackgroundJobs(service: service, logger: logger, publishStateCounts: ServiceMetricsExport.publish)
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: [application, jobs], logger: logger))
        let running = Task { try await group.run() }
        var port = 0
        for await bound in listening.stream { port = bound; break }
        return JourneyService(directory: directory, service: service, baseURL: "http://127.0.0.1:\(port)", apiKey: apiKey,
                              storage: storage, group: group, running: running, logFile: logFile)
    }

    /// The service's settings: the defaults, except that the per-address limit of code
    /// requests and code entries (30 in 15 minutes) is lifted — every journey comes from
    /// 127.0.0.1 and makes two such requests. The per-signer limits (5 codes, one per 60 s)
    /// stay: a journey asks for one code.
    static var benchConfiguration: ServiceConfiguration {
        var configuration = ServiceConfiguration(baseURL: "http://127.0.0.1")
        configuration.signerAccess.requestsPerAddress = requestsPerAddress
        return configuration
    }

    /// The per-address limit of the benchmark's service (`benchConfiguration`).
    static let requestsPerAddress = 100_000_000

    /// Stops the server gracefully, closes the database and removes the directory.
    func stop() async throws {
        await group.triggerGracefulShutdown()
        try await running.value
        try await storage.close()
        close(logFile)
        try FileManager.default.removeItem(atPath: directory)
    }
}
