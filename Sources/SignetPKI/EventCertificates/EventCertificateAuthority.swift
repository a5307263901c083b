public import FoundationEssentials
public import SignetCrypto

/// Where issued certificates are recorded, so the OCSP responder and CRLs know them
/// (`CertificateRegistry`: the index file, or the service's database).
public protocol IssuedCertificateRecorder: Sendable {
    /// Records `certificate` as issued and valid, before its key is used.
    func recordIssued(_ certificate: Certificate) async throws
}

/// What a signing act gets: the one-time key, its event certificate and the issuing chain.
///
/// Valid only inside `EventCertificateAuthority.withEventCredential`: do not store the
/// key or this value anywhere that outlives the closure (the scope checks and refuses the
/// act when the key survives it).
public struct EventCredential: Sendable {
    /// The fresh EC P-256 key. Never written anywhere; freed when the scope ends.
    public let privateKey: PrivateKey
    /// The event certificate.
    public let certificate: Certificate
    /// The issuing chain: issuing CA first, the root last.
    public let chain: [Certificate]
}

/// Issues one-time *event certificates*: per merchant signing, a fresh P-256 key and a
/// short-lived certificate bound to the merchant (company, credit code, signer) and the
/// act (contract number, signing event id, optionally the document digest).
///
/// Certificate profile: subject from `EventSubject.distinguishedName()`; keyUsage
/// digitalSignature + nonRepudiation (critical); cA FALSE; no EKU; SKI/AKI; the CRL
/// distribution point, OCSP and caIssuers URLs given here; the `SigningEventBinding`
/// (subject description, and an RFC 6920 `ni:` URI of the document digest in
/// subjectAltName); validity from `backdating` before the act to
/// `validity` after it (the signature timestamp proves the time later on).
public struct EventCertificateAuthority: Sendable {
    /// The issuing CA that signs event certificates.
    public let issuer: CertificateAuthority
    /// The issuer's chain: the issuing CA certificate first, the root last.
    public let chain: [Certificate]
    /// cRLDistributionPoints URIs of every event certificate.
    public var crlDistributionPoints: [String]
    /// authorityInfoAccess OCSP URIs of every event certificate.
    public var ocspURLs: [String]
    /// authorityInfoAccess caIssuers URIs of every event certificate.
    public var caIssuersURLs: [String]
    /// How long after the act the certificate stays valid (default one hour).
    public var validity: TimeInterval = 3600
    /// How long before the act the certificate becomes valid, to absorb clock skew
    /// between this host and a timestamping authority (default five minutes).
    public var backdating: TimeInterval = 300
    /// Records every event certificate before its key is used (nil: not recorded).
    public var recorder: (any IssuedCertificateRecorder)?

    /// `chain` is the issuing chain with `issuer.certificate` first.
    public init(
        issuer: CertificateAuthority, chain: [Certificate], crlDistributionPoints: [String] = [], ocspURLs: [String] = [],
        caIssuersURLs: [String] = [], recorder: (any IssuedCertificateRecorder)? = nil
    ) throws {
        guard chain.first == issuer.certificate else {
            throw EventCertificateError.invalidChain("the chain must start with the issuing CA's certificate")
        }
        for (child, parent) in zip(chain, chain.dropFirst()) where !child.isIssued(by: parent) {
            throw EventCertificateError.invalidChain("\(child.subject.displayString) is not issued by \(parent.subject.displayString)")
        }
        self.issuer = issuer
        self.chain = chain
        self.crlDistributionPoints = crlDistributionPoints
        self.ocspURLs = ocspURLs
        self.caIssuersURLs = caIssuersURLs
        self.recorder = recorder
    }

    /// Runs `body` with a fresh key and an event certificate for `subject` issued at `date`.
    ///
    /// The key exists only in memory, is never serialized, and is released when `body`
    /// returns or throws. If anything still holds the key after `body` (it was stored
    /// somewhere), the act is refused with `EventCertificateError.keyOutlivedSigningAct`
    /// and `body`'s result is discarded.
    public func withEventCredential<T>(
        for subject: EventSubject, at date: Date = Date(), _ body: (EventCredential) async throws -> T
    ) async throws -> T {
        let watch = KeyWatch()
        let result = try await runScope(subject, date, watch, body)
        if watch.isAlive { throw EventCertificateError.keyOutlivedSigningAct }
        return result
    }

    /// Everything that holds the key strongly lives in this function's frame, which is
    /// gone when it returns.
    private func runScope<T>(
        _ subject: EventSubject, _ date: Date, _ watch: KeyWatch, _ body: (EventCredential) async throws -> T
    ) async throws -> T {
        let key = try PrivateKey.generate(.p256)
        watch.watch(key)
        let certificate = try issueCertificate(for: subject, publicKey: try key.publicKey, at: date)
        try await recorder?.recordIssued(certificate)
        return try await body(EventCredential(privateKey: key, certificate: certificate, chain: chain))
    }

    /// The event certificate for `subject` and `publicKey` (also for keys held elsewhere,
    /// e.g. a remote signing device; prefer `withEventCredential`).
    public func issueCertificate(for subject: EventSubject, publicKey: PublicKey, at date: Date = Date()) throws -> Certificate {
        let binding = SigningEventBinding(contractNumber: subject.contractNumber, signingEventID: subject.signingEventID,
                                          documentSHA256: subject.documentSHA256)
        var builder = CertificateBuilder.signer(
            subject: try subject.distinguishedName(), publicKey: publicKey,
            notBefore: date.addingTimeInterval(-backdating), notAfter: date.addingTimeInterval(validity))
        builder.crlDistributionPoints = crlDistributionPoints
        builder.ocspURLs = ocspURLs
        builder.caIssuersURLs = caIssuersURLs
        builder.subjectAlternativeURIs = binding.documentURI.map { [$0] } ?? []
        return try issuer.issue(builder)
    }
}

/// Observes whether a key is still alive, without keeping it alive.
private final class KeyWatch {
    // Not Sendable: created, written and read within one call of withEventCredential.
    private weak var key: PrivateKey?
    func watch(_ key: PrivateKey) { self.key = key }
    var isAlive: Bool { key != nil }
}

/// Errors of event certificate issuing.
public enum EventCertificateError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A subject field is missing or malformed (`reason` says how).
    case invalidSubject(field: String, reason: String)
    /// The chain does not start with the issuing CA, or a certificate in it is not issued by the next.
    case invalidChain(String)
    /// The one-time key was still referenced after the signing act: it was stored
    /// somewhere, so the act is refused.
    case keyOutlivedSigningAct

    /// A stable, machine-readable code for the case, e.g. `event_certificate.invalid_subject` (docs/error-codes.md):
    /// for programs and the API's problem details; `description` is for people.
    public var code: String {
        switch self {
        case .invalidSubject: "event_certificate.invalid_subject"
        case .invalidChain: "event_certificate.invalid_chain"
        case .keyOutlivedSigningAct: "event_certificate.key_outlived_signing_act"
        }
    }

    /// What is wrong, in words.
    public var description: String {
        switch self {
        case .invalidSubject(let field, let reason): "event certificate subject: \(field) \(reason)"
        case .invalidChain(let reason): "event certificate chain: \(reason)"
        case .keyOutlivedSigningAct: "the one-time signing key was kept beyond the signing act; the act is refused"
        }
    }
}
