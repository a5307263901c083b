public import FoundationEssentials
public import SignetCrypto

/// The key directory's PKI with its changing state kept elsewhere: the issuing CA's record
/// of issued and revoked certificates and CRL numbers in `registry`, the TSA's serials in
/// a `TimeStampSerialSource`. The service keeps both in its database, so several
/// instances reading the same key directory (the private keys stay files) agree about
/// every certificate and never hand out a TSA serial twice; nothing is written to the
/// key directory.
///
/// `fileBacked(keys:serialReservation:)` is the same PKI over the key directory's own
/// index and counter files (one host: the CLI, the tests).
public struct SharedPKIState: Sendable {
    /// The certificates and keys.
    public let keys: KeyDirectory
    /// The issuing CA's issued and revoked certificates and CRL numbers.
    public let registry: any CertificateRegistry
    /// The built-in TSA, taking serials from the shared source.
    public let timeStampAuthority: TimeStampAuthority
    /// The delegated OCSP responder, answering from `registry`.
    public let ocspResponder: OCSPResponder
    private let crls: RegistryCRLIssuer

    /// The PKI of `keys` with its records in `registry` and TSA serials from `serials`,
    /// reserved `serialBlock` at a time.
    public init(keys: KeyDirectory, registry: any CertificateRegistry, serials: any TimeStampSerialSource, serialBlock: Int) throws {
        self.keys = keys
        self.registry = registry
        self.timeStampAuthority = try keys.makeTimeStampAuthority(serials: serials, serialBlock: serialBlock)
        self.ocspResponder = try keys.makeOCSPResponder(statusProvider: registry)
        self.crls = RegistryCRLIssuer(authority: keys.issuingAuthority, registry: registry,
                                      validity: KeyDirectory.Validity.issuingCRL)
    }

    /// The PKI over the key directory's own files: `issuing-ca.index.txt` and `tsa.serial`
    /// (blocks of `serialReservation` per counter write).
    public static func fileBacked(keys: KeyDirectory, serialReservation: Int = 1) throws -> SharedPKIState {
        try SharedPKIState(
            keys: keys, registry: try keys.issuingDatabase,
            serials: try TimeStampSerialCounter(path: keys.path(KeyDirectory.timeStampSerialFile), reservation: serialReservation),
            serialBlock: 1)
    }

    /// Issues one-time event certificates from the issuing CA, recording each in `registry`.
    public var eventAuthority: EventCertificateAuthority {
        get throws { try keys.eventAuthority(recordingIn: registry) }
    }

    /// The issuing CA's current CRL (`RegistryCRLIssuer`): cached in memory while it lists
    /// exactly the registry's revocations and is at most an hour old.
    public func currentIssuingCRL(at date: Date = Date()) async throws -> CertificateRevocationList {
        try await crls.current(at: date)
    }

    /// Revokes a certificate of the issuing CA: every OCSP answer and CRL from the registry
    /// (in this process or another) reports it from now on.
    @discardableResult
    public func revoke(serialNumber: [UInt8], reason: RevocationReason?, invalidityDate: Date? = nil,
                       at date: Date = Date()) async throws -> RevokedCertificate {
        try await registry.revoke(serialNumber: serialNumber, at: date, reason: reason, invalidityDate: invalidityDate)
    }

    /// `KeyDirectory.revocationMaterial(for:at:)` answered from the registry: OCSP responses
    /// of the delegated responder and the current issuing CA CRL.
    public func revocationMaterial(for certificates: [Certificate], at date: Date = Date()) async throws -> RevocationMaterial {
        let crls = crls
        return try await keys.revocationMaterial(for: certificates, at: date, responder: ocspResponder) { date in
            try await crls.current(at: date)
        }
    }

}

/// A registry that can take over the key directory's index file.
public protocol CertificateRegistryImport: Sendable {
    /// Records every entry the registry does not know (as issued, or revoked when the entry
    /// is) and carries the revocation of a known entry over when the registry still has it
    /// valid; changes nothing else (idempotent). CRL numbers continue at `nextCRLNumber` or
    /// above (the file's next number), so they never go back. Returns how many certificate
    /// records changed.
    func importEntries(_ entries: [CertificateAuthorityDatabase.Entry], nextCRLNumber: UInt64) async throws -> Int
}

extension KeyDirectory {
    /// Imports the issuing CA's index file (certificates `keys init`, `keys seal` and the
    /// CLI recorded) and its CRL number into `registry`; nothing when there is no index file.
    /// Returns how many certificate records changed.
    @discardableResult
    public func importIssuingIndex(into registry: any CertificateRegistryImport) async throws -> Int {
        guard FileManager.default.fileExists(atPath: path(File.issuingIndex)) else { return 0 }
        let database = try issuingDatabase
        return try await registry.importEntries(try database.entries(), nextCRLNumber: try database.pendingCRLNumber())
    }
}
