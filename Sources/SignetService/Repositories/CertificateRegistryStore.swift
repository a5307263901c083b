public import SignetPKI

/// The PKI's changing state in the service's database (v6-pki-state): per issuing CA, the
/// record of issued and revoked certificates and the CRL numbers. Implemented by
/// SignetStore on SQLite and PostgreSQL; every instance sharing the database shares it.
public protocol CertificateRegistryStore: Sendable {
    /// The registry of the CA whose key is `issuer` (`CertificateRegistryKey.issuer`).
    func registry(issuer: String) -> any CertificateRegistry & CertificateRegistryImport
}
