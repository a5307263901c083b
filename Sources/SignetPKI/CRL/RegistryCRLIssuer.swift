public import FoundationEssentials
public import SignetCrypto

/// A CA's current full CRL, issued from its registry's revocations with the registry's CRL
/// numbers and kept in memory only: the cached CRL is served while it is at most
/// `maximumAge` old, still current and lists exactly the revocations the registry holds
/// now (read on every call, so a revocation made by another process sharing the registry
/// shows at once); otherwise a new one is issued with the next CRL number.
public actor RegistryCRLIssuer {
    /// The CA that signs the CRLs.
    public nonisolated let authority: CertificateAuthority
    /// Where the revocations and CRL numbers come from.
    public nonisolated let registry: any CertificateRegistry
    /// How long a CRL may be relied on: nextUpdate = thisUpdate + validity.
    public nonisolated let validity: TimeInterval
    /// How old a cached CRL may get before a fresh one replaces it.
    public nonisolated let maximumAge: TimeInterval
    private var cached: CertificateRevocationList?

    /// An issuer of `authority`'s CRLs from `registry`.
    public init(authority: CertificateAuthority, registry: any CertificateRegistry,
                validity: TimeInterval = 7 * 86_400, maximumAge: TimeInterval = 3600) {
        self.authority = authority
        self.registry = registry
        self.validity = validity
        self.maximumAge = maximumAge
    }

    /// The CRL for use at `date`: the cached one when it still fits, otherwise a new one.
    public func current(at date: Date = Date()) async throws -> CertificateRevocationList {
        let revoked = try await registry.revokedCertificates()
        let serials = Set(revoked.map(\.serialNumber))
        if let cached, cached.thisUpdate <= date, date.timeIntervalSince(cached.thisUpdate) <= maximumAge,
           cached.nextUpdate.map({ date < $0 }) ?? false, Set(cached.entries.map(\.serialNumber)) == serials {
            return cached
        }
        let number = try await registry.nextCRLNumber()
        let crl = try authority.issueCRL(revoked: revoked, number: number, thisUpdate: date,
                                         nextUpdate: date.addingTimeInterval(validity))
        // A CRL issued for an earlier date by a concurrent call does not replace a later one.
        if cached.map({ $0.thisUpdate <= crl.thisUpdate }) ?? true { cached = crl }
        return crl
    }
}
