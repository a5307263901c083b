/// One named check of `verify-archive` with what it found.
public struct ArchiveCheck: Sendable, Codable, Hashable {
    /// The check's name (docs/archives.md lists them), e.g. `signature`, `re-render`.
    public var name: String
    /// Whether it held.
    public var passed: Bool
    /// What was checked, or what is wrong.
    public var detail: String

    /// A check result.
    public init(name: String, passed: Bool, detail: String) {
        self.name = name
        self.passed = passed
        self.detail = detail
    }
}

/// The checks of one contract's folder.
public struct ContractArchiveReport: Sendable, Codable, Hashable {
    /// `ctr_…` (the folder name).
    public var contractID: String
    /// The contract number from `fields.json`, when readable.
    public var number: String?
    /// `passed` when every check passed.
    public var outcome: ArchiveVerificationReport.Outcome
    /// Each check in order.
    public var checks: [ArchiveCheck]

    /// A contract's report; the outcome follows from the checks.
    public init(contractID: String, number: String?, checks: [ArchiveCheck]) {
        self.contractID = contractID
        self.number = number
        self.checks = checks
        outcome = checks.allSatisfy(\.passed) ? .passed : .failed
    }

    enum CodingKeys: String, CodingKey {
        case contractID = "contract_id", number, outcome, checks
    }
}

/// What `ArchiveVerifier` found: archive-level checks, each contract's checks, one outcome.
public struct ArchiveVerificationReport: Sendable, Codable {
    /// The overall result and `signet verify-archive`'s exit status.
    public enum Outcome: String, Sendable, Codable, Hashable {
        /// Every check of the archive and of every contract passed: exit 0.
        case passed
        /// A check failed: exit 1.
        case failed
        /// Not a ZIP, not an ASiC-E container, or unreadable: exit 4.
        case unreadable

        /// The exit status of `signet verify-archive`.
        public var exitStatus: Int32 {
            switch self {
            case .passed: 0
            case .failed: 1
            case .unreadable: 4
            }
        }
    }

    /// The report format, `signet-archive-verification/1`.
    public var format = "signet-archive-verification/1"
    /// The overall result.
    public var outcome: Outcome
    /// Archive-level checks: `zip`, `mimetype`, `entries`, `manifest`, `signature`,
    /// `timestamp`, `files-listed`, `digests`, `sums`.
    public var checks: [ArchiveCheck]
    /// One report per contract folder.
    public var contracts: [ContractArchiveReport]

    /// The exit status for `outcome`.
    public var exitStatus: Int32 { outcome.exitStatus }

    /// A report; failed when any check failed, unless `unreadable`.
    public init(checks: [ArchiveCheck], contracts: [ContractArchiveReport], unreadable: Bool = false) {
        self.checks = checks
        self.contracts = contracts
        outcome = unreadable ? .unreadable
            : checks.allSatisfy(\.passed) && contracts.allSatisfy({ $0.outcome == .passed }) ? .passed : .failed
    }

    /// Every failed check, archive-level first, as `contract: check: detail` lines.
    public var failures: [String] {
        checks.filter { !$0.passed }.map { "\($0.name): \($0.detail)" }
            + contracts.flatMap { contract in contract.checks.filter { !$0.passed }.map { "\(contract.contractID): \($0.name): \($0.detail)" } }
    }

    enum CodingKeys: String, CodingKey {
        case format, outcome, checks, contracts
    }
}
