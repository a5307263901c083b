public import FoundationEssentials
public import SignetCrypto
import SignetArchive

/// Checks the invariants a crash must never break (docs/deployment.md, "Checking the
/// store"), reading the store page by page: every contract's state is legal and agrees with
/// its signers, dates, PDFs and audit trail; every digest a row names is in the blob store
/// with the recorded size and bytes that hash to it; every signed PDF verifies against the
/// trust anchors, starts with the original and holds one signature per signer who signed;
/// every audit chain verifies; every committed change has its outbox event. Blobs that no row
/// names (orphans) are reported and, when asked, deleted once old enough.
///
/// Read-only unless `Options.deleteOrphans`. Meant for a store no server is writing to (a
/// change committing during the run may be reported as a mismatch): `signet check`.
public struct ConsistencyChecker: Sendable {
    /// What to trust, what to skip, what to delete.
    public struct Options: Sendable {
        /// The certificates signed PDFs must chain to (none: no signed PDF verifies).
        public var trustAnchors: [Certificate]
        /// Digests of blobs verified in an earlier run (a signed PDF's signatures, any other
        /// blob's hash and size): content-addressed, so only their presence is checked again.
        public var verifiedDigests: Set<String>
        /// Whether to delete orphaned blobs older than `orphanMinimumAge`.
        public var deleteOrphans: Bool
        /// How old an orphan must be to be deleted: a blob is written before the transaction
        /// that names it commits, so a young one may belong to a request still in flight.
        public var orphanMinimumAge: TimeInterval
        /// Contracts (and documents, outbox events, blobs) read per page.
        public var pageSize: Int
        /// The current time (orphan ages, signature validation).
        public var clock: @Sendable () -> Date

        /// Options trusting `trustAnchors`; read-only, orphans kept, by default.
        public init(trustAnchors: [Certificate], verifiedDigests: Set<String> = [], deleteOrphans: Bool = false,
                    orphanMinimumAge: TimeInterval = 3600, pageSize: Int = 200, clock: @escaping @Sendable () -> Date = { Date() }) {
            self.trustAnchors = trustAnchors
            self.verifiedDigests = verifiedDigests
            self.deleteOrphans = deleteOrphans
            self.orphanMinimumAge = orphanMinimumAge
            self.pageSize = pageSize
            self.clock = clock
        }
    }

    let storage: ServiceStorage
    let inventory: any StoreInventory
    let options: Options
    let certificates = CertificateCache(limit: 256)

    /// A checker of the store whose repositories are `storage` and whose rows as stored and
    /// blob inventory are `inventory` (`ServiceStore.storage`, `.inventory`).
    public init(storage: ServiceStorage, inventory: any StoreInventory, options: Options) {
        self.storage = storage
        self.inventory = inventory
        self.options = options
    }

    /// Runs every check once over the whole store. Throws only when the store cannot be read
    /// (a `StoreError.unavailable`); everything else wrong is a violation in the report.
    public func run() async throws -> ConsistencyReport {
        var run = ConsistencyRun()
        var after: Int64?
        repeat {
            let page = try await inventory.contractRows(after: after, limit: options.pageSize)
            for row in page.items { try await check(row, &run) }
            after = page.next
        } while after != nil
        after = nil
        repeat {
            let page = try await inventory.documents(after: after, limit: options.pageSize)
            for document in page.items { try await check(document, &run) }
            after = page.next
        } while after != nil
        try await checkOutbox(&run)
        try await collectOrphans(&run)
        run.report.counts.referencedBlobs = run.referenced.count
        return run.report
    }

    /// A paper document: both blobs present and whole, one `document.certified` event.
    private func check(_ document: PaperDocument, _ run: inout ConsistencyRun) async throws {
        run.report.counts.documents += 1
        for (blob, what) in [(document.original, "original"), (document.sealed, "sealed copy")] {
            _ = try await readBlob(blob, what: what, ownerID: document.id, needBytes: false, &run)
        }
        run.expectedOutbox[document.id, default: [:]]["document.certified", default: 0] += 1
    }
}

/// What one run accumulates.
struct ConsistencyRun {
    var report = ConsistencyReport()
    /// Every digest a row names (contracts, documents, audit events).
    var referenced: Set<String> = []
    /// Digests whose blob was read and found whole in this run.
    var checked: Set<String> = []
    /// Per contract (or document) id, how many outbox events of each type its changes imply.
    var expectedOutbox: [String: [String: Int]] = [:]

    mutating func violation(_ check: ConsistencyCheck, _ id: String?, _ detail: String) {
        report.violations.append(ConsistencyViolation(check, contractID: id, detail))
    }
}
