/// What one round of long-term renewal (`SignetService.renewDueContracts`) did.
public struct RenewalRound: Sendable, Hashable {
    /// The contracts extended and committed (`contract.renewed`), by id.
    public var renewed: [String] = []
    /// How many contracts completed before expiries were recorded had theirs read from
    /// their signed PDF (once each).
    public var recorded = 0
    /// Due contracts left as they are because the TSA's certificate ends no later than their
    /// newest timestamp's: a new timestamp would not move their horizon. The TSA certificate
    /// must be replaced (`keys/`); until then these stay due and are reported every round.
    public var blocked: [String] = []
    /// Contracts whose renewal (or expiry reading) failed: nothing was written, and the next
    /// round tries again.
    public var failures: [RenewalFailure] = []

    /// An empty round.
    public init() {}
}

/// One contract a renewal round could not renew (or whose timestamp it could not read).
public struct RenewalFailure: Sendable, Hashable {
    /// `ctr_…`.
    public var contractID: String
    /// The contract's number.
    public var number: String
    /// Why, for the log.
    public var reason: String

    /// A failure of `contractID`.
    public init(contractID: String, number: String, reason: String) {
        self.contractID = contractID
        self.number = number
        self.reason = reason
    }
}
