/// One check a signature went through, with its outcome in plain words.
public struct ValidationCheck: Sendable, Hashable, Codable {
    /// What was checked.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// The signature dictionary: /Type, /SubFilter, /ByteRange, /Contents, its revision.
        case structure
        /// The CMS SignedData (or timestamp token) as a structure.
        case cms
        /// The digest of the signed bytes against the signature (message-digest or imprint).
        case integrity
        /// The signature value over the signed attributes.
        case signatureValue
        /// Which certificate made the signature, and the signing-certificate attribute.
        case signingCertificate
        /// Algorithms and key sizes against the cryptographic constraints.
        case cryptographicConstraints
        /// How much of the file the signature covers.
        case coverage
        /// What changed in the document after the signature.
        case modifications
        /// The chain from the signer to a trust anchor.
        case trust
        /// The key usage of the signer's (or TSA's) certificate.
        case keyUsage
        /// The validity periods of the chain at the best proven time.
        case validityPeriod
        /// The revocation status of the chain from embedded data.
        case revocation
        /// Signature timestamps.
        case timestamp
    }

    /// The outcome of a check.
    public enum Outcome: String, Sendable, Hashable, Codable {
        case passed
        /// Fails the signature (TOTAL_FAILED).
        case failed
        /// Prevents a decision (INDETERMINATE).
        case indeterminate
        /// Worth knowing; does not change the indication.
        case warning
        /// Does not apply or was skipped (the message says why).
        case notApplicable
    }

    /// What was checked.
    public let kind: Kind
    /// How it came out.
    public let outcome: Outcome
    /// The ETSI sub-indication this check contributes (for `failed` and `indeterminate`).
    public let subIndication: SubIndication?
    /// What was found, in plain words.
    public let message: String

    /// A check of `kind` with its outcome, sub-indication and message.
    public init(_ kind: Kind, _ outcome: Outcome, _ subIndication: SubIndication? = nil, _ message: String) {
        self.kind = kind
        self.outcome = outcome
        self.subIndication = subIndication
        self.message = message
    }

    static func passed(_ kind: Kind, _ message: String) -> ValidationCheck { ValidationCheck(kind, .passed, nil, message) }
    static func warning(_ kind: Kind, _ message: String) -> ValidationCheck { ValidationCheck(kind, .warning, nil, message) }
    static func notApplicable(_ kind: Kind, _ message: String) -> ValidationCheck { ValidationCheck(kind, .notApplicable, nil, message) }
    /// A failing or indeterminate check; the outcome follows from the sub-indication.
    static func problem(_ kind: Kind, _ subIndication: SubIndication, _ message: String) -> ValidationCheck {
        ValidationCheck(kind, subIndication.indication == .totalFailed ? .failed : .indeterminate, subIndication, message)
    }
}

extension Array where Element == ValidationCheck {
    /// The indication and sub-indication these checks add up to: the worst outcome, with
    /// the sub-indication of highest precedence among the worst.
    var verdict: (Indication, SubIndication?) {
        let problems = compactMap(\.subIndication)
        guard let worst = problems.map(\.indication).max() else { return (.totalPassed, nil) }
        let sub = problems.filter { $0.indication == worst }.min { $0.precedence < $1.precedence }
        return (worst, sub)
    }
}
