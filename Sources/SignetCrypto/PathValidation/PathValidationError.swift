public import FoundationEssentials

/// Why a certificate does not chain to a trust anchor under a policy, in terms a
/// verifier can report in plain words (`description`).
public enum PathValidationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No trust anchor was supplied.
    case noTrustAnchors
    /// No path to a trust anchor: `certificate` is where building stopped.
    case noChainFound(certificate: Certificate, reason: String)
    /// The chain ends at a self-signed certificate that is not a trust anchor.
    case untrustedRoot(Certificate)
    /// A certificate names an issuer whose key does not verify its signature.
    case badSignature(certificate: Certificate, issuer: Certificate)
    /// `certificate` expired (notAfter) before `validationTime`.
    case expired(certificate: Certificate, notAfter: Date, validationTime: Date)
    /// `certificate` was not yet valid (notBefore) at `validationTime`.
    case notYetValid(certificate: Certificate, notBefore: Date, validationTime: Date)
    /// An issuing certificate is not a CA (no basicConstraints cA).
    case notACertificateAuthority(Certificate)
    /// An issuing certificate's keyUsage lacks keyCertSign.
    case issuerKeyUsageMissing(Certificate)
    /// A CA's pathLenConstraint is exceeded by the certificates below it.
    case pathLengthExceeded(certificate: Certificate, constraint: Int, intermediatesBelow: Int)
    /// The leaf's keyUsage does not allow what the policy requires.
    case keyUsageNotAllowed(certificate: Certificate, required: KeyUsageRequirement, actual: KeyUsage)
    /// The leaf's extKeyUsage does not meet the policy.
    case extendedKeyUsageNotAllowed(certificate: Certificate, required: ExtendedKeyUsageRequirement, actual: [String], reason: String)
    /// A certificate carries a critical extension Signet does not process.
    case unhandledCriticalExtension(certificate: Certificate, oids: [String])
    /// A certificate violates a CA's nameConstraints.
    case nameConstraintsViolated(certificate: Certificate, constrainedBy: Certificate, reason: String)
    /// The certificate policies of the path do not satisfy its policy constraints.
    case policyConstraintsViolated(reason: String)

    /// The certificate the problem is about, when there is one.
    public var certificate: Certificate? {
        switch self {
        case .noTrustAnchors, .policyConstraintsViolated: nil
        case .noChainFound(let cert, _), .untrustedRoot(let cert), .badSignature(let cert, _), .expired(let cert, _, _),
             .notYetValid(let cert, _, _), .notACertificateAuthority(let cert), .issuerKeyUsageMissing(let cert),
             .pathLengthExceeded(let cert, _, _), .keyUsageNotAllowed(let cert, _, _),
             .extendedKeyUsageNotAllowed(let cert, _, _, _), .unhandledCriticalExtension(let cert, _),
             .nameConstraintsViolated(let cert, _, _):
            cert
        }
    }

    /// A stable, machine-readable code for the case, e.g. `path_validation.no_trust_anchors` (docs/error-codes.md):
    /// for programs and the API's problem details; `description` is for people.
    public var code: String {
        switch self {
        case .noTrustAnchors: "path_validation.no_trust_anchors"
        case .noChainFound: "path_validation.no_chain_found"
        case .untrustedRoot: "path_validation.untrusted_root"
        case .badSignature: "path_validation.bad_signature"
        case .expired: "path_validation.expired"
        case .notYetValid: "path_validation.not_yet_valid"
        case .notACertificateAuthority: "path_validation.not_a_certificate_authority"
        case .issuerKeyUsageMissing: "path_validation.issuer_key_usage_missing"
        case .pathLengthExceeded: "path_validation.path_length_exceeded"
        case .keyUsageNotAllowed: "path_validation.key_usage_not_allowed"
        case .extendedKeyUsageNotAllowed: "path_validation.extended_key_usage_not_allowed"
        case .unhandledCriticalExtension: "path_validation.unhandled_critical_extension"
        case .nameConstraintsViolated: "path_validation.name_constraints_violated"
        case .policyConstraintsViolated: "path_validation.policy_constraints_violated"
        }
    }

    /// What failed and for which certificate, in words for a report.
    public var description: String {
        switch self {
        case .noTrustAnchors:
            return "no trust anchor was given, and nothing is trusted implicitly"
        case .noChainFound(let cert, let reason):
            return "no certificate chain to a trust anchor: \(name(cert)) \(reason)"
        case .untrustedRoot(let cert):
            return "the chain ends at the self-signed certificate \(name(cert)), which is not a trust anchor"
        case .badSignature(let cert, let issuer):
            return "the signature on \(name(cert)) does not verify with the key of its issuer \(name(issuer))"
        case .expired(let cert, let notAfter, let time):
            return "\(name(cert)) expired on \(TimeText.iso8601(notAfter)), before the validation time \(TimeText.iso8601(time))"
        case .notYetValid(let cert, let notBefore, let time):
            return "\(name(cert)) is only valid from \(TimeText.iso8601(notBefore)), after the validation time \(TimeText.iso8601(time))"
        case .notACertificateAuthority(let cert):
            return "\(name(cert)) issued a certificate but is not a certification authority (no basicConstraints cA)"
        case .issuerKeyUsageMissing(let cert):
            return "\(name(cert)) issued a certificate but its key usage does not include keyCertSign"
        case .pathLengthExceeded(let cert, let constraint, let below):
            return "\(name(cert)) allows \(constraint) intermediate CA certificate(s) below it, the chain has \(below)"
        case .keyUsageNotAllowed(let cert, let required, let actual):
            return "the key usage of \(name(cert)) (\(usageNames(actual))) does not allow the required \(requirementText(required))"
        case .extendedKeyUsageNotAllowed(let cert, let required, let actual, let reason):
            let listed = actual.isEmpty ? "none" : actual.joined(separator: ", ")
            return "the extended key usage of \(name(cert)) (\(listed)) does not meet the requirement \(required.oid): \(reason)"
        case .unhandledCriticalExtension(let cert, let oids):
            return "\(name(cert)) has critical extension(s) \(oids.joined(separator: ", ")) that cannot be processed"
        case .nameConstraintsViolated(let cert, let ca, let reason):
            return "\(name(cert)) violates the name constraints of \(name(ca)): \(reason)"
        case .policyConstraintsViolated(let reason):
            return "the certificate policies of the chain do not satisfy its policy constraints: \(reason)"
        }
    }
}

private func name(_ certificate: Certificate) -> String { "\"\(certificate.subject.displayString)\"" }

/// "digitalSignature, nonRepudiation" for a key usage set.
package func usageNames(_ usage: KeyUsage) -> String {
    let names: [(KeyUsage, String)] = [
        (.digitalSignature, "digitalSignature"), (.nonRepudiation, "nonRepudiation"), (.keyEncipherment, "keyEncipherment"),
        (.dataEncipherment, "dataEncipherment"), (.keyAgreement, "keyAgreement"), (.keyCertSign, "keyCertSign"),
        (.cRLSign, "cRLSign"), (.encipherOnly, "encipherOnly"), (.decipherOnly, "decipherOnly"),
    ]
    let present = names.filter { usage.contains($0.0) }.map(\.1)
    return present.isEmpty ? "none" : present.joined(separator: ", ")
}

private func requirementText(_ requirement: KeyUsageRequirement) -> String {
    switch requirement {
    case .none: "nothing"
    case .anyOf(let usage): "any of \(usageNames(usage))"
    case .allOf(let usage): "all of \(usageNames(usage))"
    }
}
