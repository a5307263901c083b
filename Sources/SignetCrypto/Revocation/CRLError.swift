/// Why a CRL could not be built or read.
public enum CRLError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The input holds no CRL.
    case noCRL(String)
    /// nextUpdate is not after thisUpdate.
    case invalidUpdateTimes
    /// The issuing certificate may not sign CRLs (keyUsage without cRLSign).
    case notACRLIssuer(subject: String)

    /// A stable, machine-readable code for the case, e.g. `crl.no_crl` (docs/error-codes.md):
    /// for programs and the API's problem details; `description` is for people.
    public var code: String {
        switch self {
        case .noCRL: "crl.no_crl"
        case .invalidUpdateTimes: "crl.invalid_update_times"
        case .notACRLIssuer: "crl.not_a_crl_issuer"
        }
    }

    /// What is wrong, in words.
    public var description: String {
        switch self {
        case .noCRL(let what): "no CRL found in \(what)"
        case .invalidUpdateTimes: "a CRL's nextUpdate must be after its thisUpdate"
        case .notACRLIssuer(let subject): "\(subject) may not sign CRLs: its keyUsage lacks cRLSign"
        }
    }
}
