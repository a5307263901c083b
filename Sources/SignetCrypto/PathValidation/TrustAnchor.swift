/// A certificate the caller trusts explicitly. Nothing else is ever trusted: there is no
/// system store.
///
/// Matched by subject name and public key, not by certificate bytes: a re-issued copy of
/// the anchor (same name and key, other validity or extensions) counts as the anchor,
/// and a certificate the anchor's key signed under the anchor's name chains to it.
public struct TrustAnchor: Sendable, Hashable, CustomStringConvertible {
    /// The anchor as supplied.
    public let certificate: Certificate

    /// Trusts `certificate` (self-signed or not).
    public init(_ certificate: Certificate) { self.certificate = certificate }

    /// The anchor's subject name.
    public var subject: DistinguishedName { certificate.subject }

    /// Whether `candidate` is this anchor (same subject and public key).
    public func matches(_ candidate: Certificate) -> Bool { candidate.hasSameSubjectAndKey(as: certificate) }

    /// Whether the anchor issued `child`: the child's issuer name is the anchor's subject
    /// and its signature verifies with the anchor's key.
    public func isIssuer(of child: Certificate) -> Bool {
        child.issuer.matches(certificate.subject) && child.isSignatureValid(issuerKey: try? certificate.publicKey)
    }

    /// "trust anchor" and the subject.
    public var description: String { "trust anchor \(certificate.subject.displayString)" }
}
