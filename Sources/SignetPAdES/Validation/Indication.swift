/// The main status indication of a signature validation (ETSI EN 319 102-1 §5.1.3).
///
/// Ordered from best to worst, so the verdict of a file is the `max` of its signatures'.
public enum Indication: String, Sendable, Hashable, Codable, Comparable, CaseIterable, CustomStringConvertible {
    /// Every check passed.
    case totalPassed = "TOTAL_PASSED"
    /// The available information does not allow a decision (e.g. no trust anchor, missing
    /// revocation data, an expired certificate without proof of existence).
    case indeterminate = "INDETERMINATE"
    /// The signature is broken or the document was changed in a way it does not allow.
    case totalFailed = "TOTAL_FAILED"

    /// The ETSI name, e.g. `TOTAL_PASSED`.
    public var description: String { rawValue }

    private var rank: Int {
        switch self {
        case .totalPassed: 0
        case .indeterminate: 1
        case .totalFailed: 2
        }
    }

    /// Orders indications from best (TOTAL_PASSED) to worst (TOTAL_FAILED).
    public static func < (lhs: Indication, rhs: Indication) -> Bool { lhs.rank < rhs.rank }
}

/// The sub-indications of ETSI EN 319 102-1 §5.1.3 (Table 5) that Signet reports.
///
/// Each belongs to one main indication (`indication`). The declaration order is the
/// precedence used when several apply to one signature: the first one found in this
/// order is the signature's sub-indication (structure before integrity before trust
/// before time), and all of them are listed in the signature's checks.
public enum SubIndication: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    // TOTAL_FAILED
    /// The signature is not conformant to the PDF/CMS formats to the extent that it cannot
    /// be processed, or the signed document was changed in a way it does not allow.
    case formatFailure = "FORMAT_FAILURE"
    /// A hash of the signed data does not match the one in the signature.
    case hashFailure = "HASH_FAILURE"
    /// The signature value does not verify with the signer's public key.
    case sigCryptoFailure = "SIG_CRYPTO_FAILURE"
    /// The signer's certificate was revoked, and there is proof the signature was made after.
    case revoked = "REVOKED"
    /// There is proof that the signature was made after the signer's certificate expired.
    case expired = "EXPIRED"
    /// There is proof that the signature existed before the signer's certificate was valid.
    case notYetValid = "NOT_YET_VALID"

    // INDETERMINATE, in the order of the ETSI building blocks: identification of the
    // signing certificate, X.509 validation (chain, revocation, validity), then the
    // signature acceptance constraints.
    /// The signer's certificate cannot be identified (not in the file, ambiguous, or not
    /// the one the signing-certificate attribute names).
    case noSigningCertificateFound = "NO_SIGNING_CERTIFICATE_FOUND"
    /// No chain from the signer's certificate to a trust anchor.
    case noCertificateChainFound = "NO_CERTIFICATE_CHAIN_FOUND"
    /// The chain violates a constraint (CA flags, key usage, path length, name or policy
    /// constraints, unknown critical extensions).
    case chainConstraintsFailure = "CHAIN_CONSTRAINTS_FAILURE"
    /// The signer's certificate is revoked and nothing proves the signature existed before.
    case revokedNoPOE = "REVOKED_NO_POE"
    /// A CA certificate of the chain is revoked and nothing proves the signature existed before.
    case revokedCANoPOE = "REVOKED_CA_NO_POE"
    /// A certificate is expired or not yet valid at the validation time and nothing proves
    /// the signature existed inside its validity period.
    case outOfBoundsNoPOE = "OUT_OF_BOUNDS_NO_POE"
    /// As `outOfBoundsNoPOE`, but the certificate is known not to be revoked.
    case outOfBoundsNotRevoked = "OUT_OF_BOUNDS_NOT_REVOKED"
    /// Revocation status information is missing; validation may succeed later with it.
    case tryLater = "TRY_LATER"
    /// An algorithm is unknown or not acceptable under the validation constraints.
    case cryptoConstraintsFailure = "CRYPTO_CONSTRAINTS_FAILURE"
    /// An algorithm is no longer acceptable and nothing proves the signature existed before.
    case cryptoConstraintsFailureNoPOE = "CRYPTO_CONSTRAINTS_FAILURE_NO_POE"
    /// A property of the signature does not meet the validation constraints.
    case sigConstraintsFailure = "SIG_CONSTRAINTS_FAILURE"

    /// The ETSI name, e.g. `OUT_OF_BOUNDS_NO_POE`.
    public var description: String { rawValue }

    /// The main indication this sub-indication belongs to.
    public var indication: Indication {
        switch self {
        case .formatFailure, .hashFailure, .sigCryptoFailure, .revoked, .expired, .notYetValid: .totalFailed
        default: .indeterminate
        }
    }

    /// Precedence (lower is reported first).
    var precedence: Int { Self.allCases.firstIndex(of: self)! }
}
