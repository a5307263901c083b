public import SignetCrypto
public import SignetPAdES

/// What seals an archive: the platform's seal signs `META-INF/ASiCManifest.xml` (CAdES
/// detached), the TSA timestamps that signature, and the revocation data of the seal's and
/// the TSA's certificates goes into the signature so it verifies offline.
public struct ArchiveSeal: Sendable {
    /// The platform seal's key, certificate and chain.
    public var signer: CMSSigner
    /// The TSA for the signature timestamp.
    public var timestamps: any TimeStampProvider
    /// CRLs/OCSP responses for the seal's and the TSA's certificates.
    public var revocation: any RevocationDataSource
    /// The platform root, written as `trust/root-ca.pem` for the manual checks.
    public var root: Certificate

    /// A seal from its parts.
    public init(signer: CMSSigner, timestamps: any TimeStampProvider, revocation: any RevocationDataSource, root: Certificate) {
        self.signer = signer
        self.timestamps = timestamps
        self.revocation = revocation
        self.root = root
    }
}
