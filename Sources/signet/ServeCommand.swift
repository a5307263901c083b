import ArgumentParser
import FoundationEssentials
import Glibc
import Logging
import SignetHTTP
import SignetCrypto
import SignetPKI
import SignetService
import SignetStore
import SignetTemplates

/// `signet serve`: the contract signing service on one port (the PKI endpoints and the TSA
/// today; the REST API as it arrives), until SIGTERM or SIGINT.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the Signet service (PKI endpoints, TSA, health and metrics) until SIGTERM/SIGINT.",
        discussion: """
        Creates a development PKI in --keys whose certificates point at --base-url when that \
        directory holds none. Prints one line with the URL once it listens; logs go to standard \
        error as JSON lines. On SIGTERM or SIGINT it stops accepting connections, lets the \
        requests in flight finish and exits 0.
        """
    )

    @Option(help: ArgumentHelp("The data directory (SQLite database and blobs), unless --database names PostgreSQL.", valueName: "dir"))
    var data = "data"
    @Option(help: ArgumentHelp("""
        A PostgreSQL database instead of the data directory: postgres://USER[:PASSWORD]@HOST[:PORT]/DB[?sslmode=…&pool_size=N] \
        (default: $SIGNET_DATABASE_URL). Several instances may share it (docs/deployment.md).
        """, valueName: "url"))
    var database: String?
    @Option(help: ArgumentHelp("The PKI directory.", valueName: "dir")) var keys = "keys"
    @Option(help: ArgumentHelp("The interface to listen on.", valueName: "host")) var host = "127.0.0.1"
    @Option(help: ArgumentHelp("The TCP port.", valueName: "port")) var port = 8080
    @Option(help: ArgumentHelp("The public base URL (default http://HOST:PORT); certificates of a new PKI point here.", valueName: "url"))
    var baseURL: String?
    @OptionGroup var templates: TemplatesDirectoryOption
    @Option(name: .customLong("trust"), help: ArgumentHelp("A further trust anchor for POST /v1/verify (repeatable).", valueName: "pem"))
    var trust: [String] = []
    @Option(help: ArgumentHelp("How one-time codes reach signers: log (development) or webhook (signer.otp_requested).",
                               valueName: "log|webhook"))
    var otpNotifier = "log"
    @Flag(help: "Allow webhook endpoints on loopback and private addresses (on by default only when --host is a loopback address).")
    var allowPrivateWebhooks = false
    @Option(help: ArgumentHelp("When signer.reminder_due events are recorded after sending, e.g. 24h,72h (h, m or s; empty: none).",
                               valueName: "list"))
    var reminders = "24h,72h"
    @Option(help: ArgumentHelp("One-time codes one signer may ask for per --rate-window.", valueName: "n"))
    var codesPerSigner = SignerAccessSettings().codesPerSigner
    @Option(help: ArgumentHelp("Code requests and code entries one client address may make per --rate-window.", valueName: "n"))
    var requestsPerAddress = SignerAccessSettings().requestsPerAddress
    @Option(help: ArgumentHelp("The signer rate limits' sliding window, e.g. 15m (h, m or s).", valueName: "duration"))
    var rateWindow = "15m"
    @Option(help: ArgumentHelp(
        "An https origin allowed to frame every signing page (repeatable; default none). Per link: frame_ancestors of POST …/embedded-link.",
        valueName: "origin"))
    var frameAncestors: [String] = []
    @Option(help: ArgumentHelp("How often completed contracts due for long-term renewal are extended, e.g. 1h (h, m or s).",
                               valueName: "duration"))
    var renewalInterval = "1h"
    @Option(help: ArgumentHelp("Renew a completed contract once its newest timestamp's TSA certificate ends within this many days.",
                               valueName: "days"))
    var renewalWindow = Int(ServiceConfiguration(baseURL: "").renewalWindow / 86_400)
    @Option(help: ArgumentHelp("How long a signing call holds its signer's claim: after a crash, another instance may sign once it passes, e.g. 2m (h, m or s).",
                               valueName: "duration"))
    var signingLease = "2m"
    @Option(help: ArgumentHelp("How long a webhook delivery stays with the worker that claimed it: after a crash, it is due again once this passes, e.g. 60s (h, m or s; at least 20s).",
                               valueName: "duration"))
    var webhookLease = "60s"
    @Option(help: ArgumentHelp("How long a request under an Idempotency-Key holds the key: after a crash, a retry runs it again once this passes, e.g. 2m (h, m or s).",
                               valueName: "duration"))
    var idempotencyLock = "2m"

    /// The environment variable `--database` defaults to (keeps the password off the command line).
    static let databaseEnvironmentVariable = "SIGNET_DATABASE_URL"

    func validate() throws {
        if let database { _ = try StorageLocation.resolve(database: database, dataDirectory: data) }
        guard ["log", "webhook"].contains(otpNotifier) else { throw ValidationError("--otp-notifier must be log or webhook") }
        guard SignetService.parseReminderOffsets(reminders) != nil else { throw ValidationError("--reminders: a list like 24h,72h") }
        guard codesPerSigner >= 1 else { throw ValidationError("--codes-per-signer must be at least 1") }
        guard requestsPerAddress >= 1 else { throw ValidationError("--requests-per-address must be at least 1") }
        guard Self.rateWindowSeconds(rateWindow) != nil else { throw ValidationError("--rate-window: one duration like 15m (h, m or s)") }
        guard let renewalSeconds = Self.rateWindowSeconds(renewalInterval), renewalSeconds >= 1 else {
            throw ValidationError("--renewal-interval: one duration like 1h (h, m or s)")
        }
        guard let lease = Self.rateWindowSeconds(signingLease), lease >= 1 else {
            throw ValidationError("--signing-lease: one duration like 2m (h, m or s), at least 1s")
        }
        guard let webhookLeaseSeconds = Self.rateWindowSeconds(webhookLease),
              webhookLeaseSeconds >= ServiceConfiguration(baseURL: "").webhookTimeout + 5 else {
            throw ValidationError("--webhook-lease: one duration like 60s (h, m or s), at least 20s (longer than a delivery may take)")
        }
        guard let lock = Self.rateWindowSeconds(idempotencyLock), lock >= 1 else {
            throw ValidationError("--idempotency-lock: one duration like 2m (h, m or s), at least 1s")
        }
        guard renewalWindow >= 1 else { throw ValidationError("--renewal-window must be at least 1 day") }
        if case .failure(let error) = FrameAncestors.validated(frameAncestors, field: "--frame-ancestors") {
            throw ValidationError("--frame-ancestors: at most \(FrameAncestors.maximumCount) https origins like https://app.example.com "
                                  + "(\(error.fieldErrors.map(\.field).joined(separator: ", ")))")
        }
    }

    /// `--rate-window` (or `--renewal-interval`) in seconds: one duration (`15m`, `1h`, `90s`).
    static func rateWindowSeconds(_ text: String) -> TimeInterval? {
        guard let offsets = SignetService.parseReminderOffsets(text), offsets.count == 1 else { return nil }
        return offsets[0]
    }

    /// Whether `host` is a loopback interface (development: webhooks to this machine are allowed).
    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || IPAddress(text: host)?.scope == .loopback
    }

    func run() async throws {
        var serverConfiguration = ServerConfiguration(host: host, port: port, baseURL: baseURL, dataDirectory: data, keysDirectory: keys)
        serverConfiguration.databaseURL = database ?? ProcessInfo.processInfo.environment[Self.databaseEnvironmentVariable].flatMap { $0.isEmpty ? nil : $0 }
        serverConfiguration.framing = FramePolicy(allowedOrigins: (try? FrameAncestors.validated(frameAncestors).get()) ?? [])
        let configuration = serverConfiguration
        let logger = Logger(label: "signet") { JSONLogHandler.standardError(label: $0) }
        let passphrase = ProcessInfo.processInfo.environment[KeyDirectory.passphraseEnvironmentVariable].flatMap { $0.isEmpty ? nil : $0 }
        let assembled: ServiceAssembly.Assembled
        do {
            assembled = try await ServiceAssembly.assemble(configuration: configuration, templatesDirectory: templates.store.root.path,
                                                           trustFiles: trust, passphrase: passphrase, logger: logger,
                                                           otpNotifier: otpNotifier) { service in
                service.allowPrivateWebhooks = allowPrivateWebhooks || Self.isLoopback(host)
                service.reminderOffsets = SignetService.parseReminderOffsets(reminders) ?? []
                service.signerAccess.codesPerSigner = codesPerSigner
                service.signerAccess.requestsPerAddress = requestsPerAddress
                service.signerAccess.rateWindow = Self.rateWindowSeconds(rateWindow) ?? service.signerAccess.rateWindow
                service.renewalWindow = Double(renewalWindow) * 86_400
                service.signingLease = Self.rateWindowSeconds(signingLease) ?? service.signingLease
                service.webhookLease = Self.rateWindowSeconds(webhookLease) ?? service.webhookLease
                service.idempotencyLock = Self.rateWindowSeconds(idempotencyLock) ?? service.idempotencyLock
            }
        } catch {
            printError("error: \(String(reflecting: error))")
            throw ExitCode.failure
        }
        let jobs = BackgroundJobs(service: assembled.service, renewalInterval: .seconds(Self.rateWindowSeconds(renewalInterval) ?? 3600),
                                  logger: logger, publishStateCounts: ServiceMetricsExport.publish)
        try await SignetServer.run(configuration: configuration, services: assembled.services, logger: logger,
                                   additionalServices: [jobs, WebhookJobs(service: assembled.service, logger: logger),
                                                       ExportJobs(service: assembled.service, logger: logger)]) { boundPort in
            // One write, unbuffered: scripts and tests wait for this line on a pipe.
            var line = "Signet is listening on \(ServerConfiguration.defaultBaseURL(host: configuration.host, port: boundPort))"
                + " (base URL \(configuration.baseURL))\n"
            line.withUTF8 { _ = write(STDOUT_FILENO, $0.baseAddress, $0.count) }
        }
        try? await assembled.store.close()
        logger.info("stopped")
    }
}
