/// Where a contract is in its lifecycle (DESIGN.md, "The contract lifecycle").
///
/// ```
/// draft ─send─▶ sent ─open link─▶ viewed ─merchant signs─▶ signed ─platform countersigns─▶ completed
///                │                  │
///                └────▶ declined / expired / voided ◀──┘
/// ```
public enum ContractState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Created, not yet sent to its signers.
    case draft
    /// Sent: links issued, nobody has opened one.
    case sent
    /// A signer opened a link.
    case viewed
    /// Every link signer has signed; the platform's countersignature is due.
    case signed
    /// Countersigned by the platform: final.
    case completed
    /// A signer declined: final.
    case declined
    /// Passed its `expires_at` before it was signed: final.
    case expired
    /// Withdrawn by the integrator: final.
    case voided

    /// No transition leaves a terminal state.
    public var isTerminal: Bool { [.completed, .declined, .expired, .voided].contains(self) }
}

/// Where one signer is.
public enum SignerState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Nothing sent yet (draft) or no link issued.
    case pending
    /// A signing link was issued.
    case notified
    /// The signer opened the link.
    case viewed
    /// The signer signed.
    case signed
    /// The signer declined.
    case declined
}

/// How a signer signs.
public enum SigningMethod: String, Sendable, Hashable, Codable {
    /// Through a signing link (a person, with a one-time event certificate).
    case link
    /// Automatically, by the platform's seal once every link signer has signed.
    case platform
}
