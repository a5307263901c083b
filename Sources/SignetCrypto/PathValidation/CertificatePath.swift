public import FoundationEssentials

/// A validated certification path: leaf first, ending with the trust anchor's
/// certificate as the caller supplied it (or just the leaf, when the leaf is itself the
/// anchor).
public struct CertificatePath: Sendable, CustomStringConvertible {
    /// Leaf first; the last element is the anchor's certificate.
    public let certificates: [Certificate]
    /// The trust anchor the path ends at.
    public let anchor: TrustAnchor

    /// The end-entity certificate (the first of `certificates`).
    public var leaf: Certificate { certificates[0] }

    /// Whether the leaf is itself the trust anchor (a directly trusted self-signed signer).
    public var leafIsAnchor: Bool { certificates.count == 1 }

    /// The certificates whose revocation status matters: all but the anchor.
    public var certificatesRequiringRevocationCheck: ArraySlice<Certificate> { certificates.dropLast() }

    /// The issuer of the certificate at `index` within the path (nil for the anchor).
    public func issuer(ofCertificateAt index: Int) -> Certificate? {
        index + 1 < certificates.count ? certificates[index + 1] : nil
    }

    /// The certificates (anchor excluded unless it is the leaf or `includeAnchor`) that
    /// are not valid at `time`, each with the error that says why: for proof-of-existence
    /// logic after building with `ValidationTime.notChecked`.
    public func validityProblems(at time: Date, includeAnchor: Bool = false) -> [PathValidationError] {
        certificates.enumerated().compactMap { index, certificate in
            if index == certificates.count - 1 && index > 0 && !includeAnchor { return nil }
            return validityError(certificate, at: time)
        }
    }

    /// The subjects from the leaf to the anchor.
    public var description: String {
        certificates.map { "\"\($0.subject.displayString)\"" }.joined(separator: " ← ") + " (anchor)"
    }
}

/// The expired / not-yet-valid error for `certificate` at `time`, or nil when valid.
func validityError(_ certificate: Certificate, at time: Date) -> PathValidationError? {
    if time < certificate.notBefore {
        return .notYetValid(certificate: certificate, notBefore: certificate.notBefore, validationTime: time)
    }
    if time > certificate.notAfter {
        return .expired(certificate: certificate, notAfter: certificate.notAfter, validationTime: time)
    }
    return nil
}
