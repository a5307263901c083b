public import SignetCrypto

/// Certificates and revocation data for long-term validation, as DER.
public struct ValidationMaterial: Sendable, Hashable {
    /// Certificates (DER) that complete chains: issuing CAs, roots, TSA and OCSP responder certificates.
    public var certificates: [[UInt8]]
    /// Certificate revocation lists (DER).
    public var crls: [[UInt8]]
    /// OCSP responses (DER `OCSPResponse`).
    public var ocspResponses: [[UInt8]]

    /// Material from the given DER items (all empty by default).
    public init(certificates: [[UInt8]] = [], crls: [[UInt8]] = [], ocspResponses: [[UInt8]] = []) {
        self.certificates = certificates
        self.crls = crls
        self.ocspResponses = ocspResponses
    }

    /// Adds what `other` holds that this does not (order kept, duplicates dropped).
    public mutating func merge(_ other: ValidationMaterial) {
        func add(_ items: [[UInt8]], to list: inout [[UInt8]]) {
            for item in items where !list.contains(item) { list.append(item) }
        }
        add(other.certificates, to: &certificates)
        add(other.crls, to: &crls)
        add(other.ocspResponses, to: &ocspResponses)
    }

    /// Whether there are no certificates, no CRLs and no OCSP responses.
    public var isEmpty: Bool { certificates.isEmpty && crls.isEmpty && ocspResponses.isEmpty }
}

/// Where long-term validation data comes from when a signature is extended to B-LT:
/// issuer certificates to complete chains, and CRLs / OCSP responses proving each
/// certificate's status.
public protocol RevocationDataSource: Sendable {
    /// CA certificates that may complete a chain (issuing and root CAs).
    var knownCertificates: [Certificate] { get }

    /// Revocation data (CRLs and/or OCSP responses, DER) for `certificate`, issued by
    /// `issuer`. Throws when none can be obtained: LTV extension fails closed.
    func revocationData(for certificate: Certificate, issuer: Certificate) async throws -> ValidationMaterial
}
