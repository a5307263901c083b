public import FoundationEssentials
public import SignetPKI
import SignetTemplates

/// The contract signing service: merchants, contracts and their lifecycle, signing, audit
/// trails, API keys and idempotency — the use cases behind `signet serve`, with no HTTP and
/// no SQL (those are SignetHTTP's and SignetStore's). Every state change is one guarded
/// commit (`ContractRepository.apply`); slow work (render, sign, timestamp) runs before it,
/// outside any transaction.
public struct SignetService: Sendable {
    /// Where everything is stored.
    public let storage: ServiceStorage
    /// The contract templates.
    public let templates: TemplateCatalog
    /// The PKI: CAs, seal, TSA, OCSP responder.
    public let keys: KeyDirectory
    /// Signs as merchant (event certificate) and platform (seal).
    public let signingFlow: ContractSigningFlow
    /// Settings.
    public let configuration: ServiceConfiguration
    /// The service's clock (tests move it).
    public let clock: @Sendable () -> Date
    /// Where the service reports durations and counts.
    public let metrics: ServiceMetrics
    /// How signers get their one-time codes (default: the server log).
    public let codeNotifier: any OneTimeCodeNotifier

    /// A service over `storage`, `templates` and the PKI in `keys`.
    public init(storage: ServiceStorage, templates: TemplateCatalog, keys: KeyDirectory, signingFlow: ContractSigningFlow,
                configuration: ServiceConfiguration, metrics: ServiceMetrics = ServiceMetrics(),
                clock: @escaping @Sendable () -> Date = { Date() }, codeNotifier: any OneTimeCodeNotifier = LogCodeNotifier()) {
        self.storage = storage
        self.templates = templates
        self.keys = keys
        self.signingFlow = signingFlow
        self.configuration = configuration
        self.metrics = metrics
        self.clock = clock
        self.codeNotifier = codeNotifier
    }

    /// The current time, to the millisecond (as stored).
    var now: Date { AuditChain.millisecondPrecision(clock()) }
}

/// The service's settings.
public struct ServiceConfiguration: Sendable {
    /// The public base URL (signing links are `{baseURL}/s/{token}`), without a trailing slash.
    public var baseURL: String
    /// How long a contract stays signable when the request names no `expires_at`.
    public var defaultExpiry: TimeInterval = 7 * 86_400
    /// The latest `expires_at` a request may ask for, from now.
    public var maximumExpiry: TimeInterval = 90 * 86_400
    /// How long a signing attempt holds its signer before another may try (a crashed
    /// attempt's lease lapses).
    public var signingLease: TimeInterval = 120
    /// The contract number's prefix: `SN-2026-000123`.
    public var contractNumberPrefix = "SN"
    /// The UTC offset printed in contracts' times (China Standard Time).
    public var utcOffsetSeconds = 8 * 3600
    /// The AES-256-GCM key that seals responses kept for idempotent replay (they can hold a
    /// signing link, shown once): 32 bytes. By default a random key for this process;
    /// `signet serve` loads a persistent one (`ResponseSealingKey.loadOrCreate`).
    public var responseSealingKey: [UInt8] = SecureRandom.bytes(32)
    /// One-time codes, sessions, rate limits, embedded links.
    public var signerAccess = SignerAccessSettings()
    /// The operator console's session timeouts.
    public var console = ConsoleSettings()

    /// Settings for a service reachable at `baseURL`.
    public init(baseURL: String) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
    }
}
