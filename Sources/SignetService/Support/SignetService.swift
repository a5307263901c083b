public import FoundationEssentials
public import SignetPKI
import SignetTemplates
public import SignetArchive

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
    public var codeNotifier: any OneTimeCodeNotifier
    /// Page images drawn for signers (`pageImage`), bounded by `configuration.pageImageCacheBytes`.
    let pageImageCache: PageImageCache

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
        pageImageCache = PageImageCache(capacity: configuration.pageImageCacheBytes)
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
    /// How long a request running under an `Idempotency-Key` holds the key before a retry may
    /// take over (a crashed request: until then a retry is answered `idempotency_key_in_use`).
    public var idempotencyLock: TimeInterval = 120
    /// How long the resume job leaves a `signed` contract alone after its last change: the
    /// signing call countersigns at once, and a job taking the contract in between would make
    /// that call give up (the signer then saw "being countersigned" instead of the done page).
    public var countersignatureResumeDelay: TimeInterval = 30
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
    /// The most bytes of page images (PNG) kept in memory for signers' review pages; a
    /// contract's pages at scale 2 take 0.5–2 MB (50–460 KB a page, docs/benchmarks.md), so
    /// the default holds the pages of 30 or more contracts.
    public var pageImageCacheBytes = 64 << 20
    /// Whether webhook endpoints may be on loopback, private, link-local or unique-local
    /// addresses (checked after DNS resolution at every delivery). Off by default; `signet
    /// serve` turns it on when it listens on a loopback host (development) or is told to.
    public var allowPrivateWebhooks = false
    /// When failed webhook deliveries are tried again.
    public var webhookRetrySchedule = WebhookRetrySchedule.standard
    /// How long one webhook delivery may take (connect, send, reply).
    public var webhookTimeout: TimeInterval = 15
    /// How long a claimed delivery stays with the worker that claimed it (a crashed worker's
    /// deliveries are due again after it).
    public var webhookLease: TimeInterval = 60
    /// When `signer.reminder_due` events are recorded for link signers who have not signed:
    /// these intervals after the contract was sent, each once.
    public var reminderOffsets: [TimeInterval] = [24 * 3600, 72 * 3600]
    /// The operator console's session timeouts.
    public var console = ConsoleSettings()
    /// Long-term renewal: a completed contract is extended once its newest timestamp's TSA
    /// certificate ends within this long (`renewDueContracts`; `signet serve --renewal-window`).
    /// 180 days by default: far more than any outage or backlog needs (a round every hour
    /// retries a failed renewal some 4 000 times before the certificate ends), and when the
    /// TSA's own certificate enters the window, half a year for operators to replace it
    /// while the jobs report the contracts they cannot renew (`RenewalRound.blocked`).
    public var renewalWindow: TimeInterval = 180 * 86_400

    /// Settings for a service reachable at `baseURL`.
    public init(baseURL: String) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
    }
}
