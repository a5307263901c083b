public import FoundationEssentials
public import SignetCrypto

/// A private key with its certificate and issuing chain (issuer first, root last): what a
/// TSA, an OCSP responder or the platform seal signs with.
public struct SigningCredential: Sendable {
    /// The signing key.
    public let privateKey: PrivateKey
    /// The key's certificate.
    public let certificate: Certificate
    /// Issuing CA first, the root last.
    public let chain: [Certificate]

    /// A credential: `privateKey` with its `certificate` and issuing `chain`.
    public init(privateKey: PrivateKey, certificate: Certificate, chain: [Certificate]) {
        self.privateKey = privateKey
        self.certificate = certificate
        self.chain = chain
    }
}

/// Signet's PKI material on disk (`keys/`): root CA, issuing CA, TSA, OCSP responder and
/// platform seal, each as `<role>.cert.pem` + `<role>.key.pem` (PKCS#8, 0600, optionally
/// passphrase-encrypted), the issuing CA's database and its CRLs.
///
/// `create(at:options:passphrase:force:)` makes a development PKI (`signet keys init`);
/// `load(from:passphrase:)` gives the signing, TSA and OCSP code what it needs. The same
/// layout holds production certificates (see keys/README.md).
public struct KeyDirectory: Sendable {
    /// Environment variable the CLI and service read the key passphrase from.
    public static let passphraseEnvironmentVariable = "SIGNET_KEY_PASSPHRASE"

    /// The roles and their file names.
    public enum Role: String, Sendable, CaseIterable {
        /// The root CA.
        case rootCA = "root-ca"
        /// The issuing CA under the root.
        case issuingCA = "issuing-ca"
        /// The RFC 3161 time-stamping unit.
        case timeStamping = "tsa"
        /// The delegated OCSP responder.
        case ocspResponder = "ocsp"
        /// The platform seal.
        case seal = "seal"

        /// The role's certificate file name.
        public var certificateFile: String { "\(rawValue).cert.pem" }
        /// The role's private key file name.
        public var keyFile: String { "\(rawValue).key.pem" }

        /// What the role is for, in words.
        public var title: String {
            switch self {
            case .rootCA: "root CA"
            case .issuingCA: "issuing CA (event certificates, TSA, OCSP responder, seal)"
            case .timeStamping: "time-stamping authority (RFC 3161)"
            case .ocspResponder: "OCSP responder (delegated by the issuing CA)"
            case .seal: "platform seal (countersignatures)"
            }
        }
    }

    /// Other files of the layout.
    public enum File {
        /// The manifest (`KeyDirectoryManifest`).
        public static let manifest = "pki.json"
        /// The issuing CA and root certificates, PEM.
        public static let chain = "chain.pem"
        /// The root CA's CRL.
        public static let rootCRL = "root-ca.crl"
        /// The issuing CA's CRL.
        public static let issuingCRL = "issuing-ca.crl"
        /// The root CA's database (OpenSSL index.txt format).
        public static let rootIndex = "root-ca.index.txt"
        /// The issuing CA's database (OpenSSL index.txt format).
        public static let issuingIndex = "issuing-ca.index.txt"
    }

    /// The directory.
    public let directory: String
    /// What `keys init` was asked for (`pki.json`).
    public let manifest: KeyDirectoryManifest
    /// The root CA certificate (the trust anchor to give verifiers).
    public let root: Certificate
    /// The root CA with its key, when the key is present (it may be kept offline).
    public let rootAuthority: CertificateAuthority?
    /// The issuing CA with its key: issues event certificates and CRLs.
    public let issuingAuthority: CertificateAuthority
    /// The TSA's key, certificate and chain.
    public let timeStamping: SigningCredential
    /// The OCSP responder's key, certificate and chain.
    public let ocspResponder: SigningCredential
    /// The platform seal's key, certificate and chain.
    public let seal: SigningCredential

    /// Issuing CA first, root last: the chain every end-entity certificate here needs.
    public var chain: [Certificate] { [issuingAuthority.certificate, root] }

    /// The issuing CA's database (issued and revoked certificates, CRL numbers).
    public var issuingDatabase: CertificateAuthorityDatabase {
        get throws { try CertificateAuthorityDatabase(indexPath: path(File.issuingIndex)) }
    }

    /// Issues one-time event certificates from the issuing CA, recording each in its
    /// database, with this directory's CRL and OCSP URLs.
    public var eventAuthority: EventCertificateAuthority {
        get throws { try eventAuthority(recordingIn: try issuingDatabase) }
    }

    /// Issues one-time event certificates from the issuing CA, recording each with
    /// `recorder` (e.g. the service's registry), with this directory's CRL and OCSP URLs.
    public func eventAuthority(recordingIn recorder: any IssuedCertificateRecorder) throws -> EventCertificateAuthority {
        try EventCertificateAuthority(
            issuer: issuingAuthority, chain: chain,
            crlDistributionPoints: manifest.urls.map { [$0.issuingCRL] } ?? [],
            ocspURLs: manifest.urls.map { [$0.ocsp] } ?? [],
            caIssuersURLs: manifest.urls.map { [$0.issuingCACertificate] } ?? [],
            recorder: recorder)
    }

    /// An OCSP responder for the issuing CA's certificates, signing with the delegated
    /// responder certificate and answering from the issuing CA's database.
    public func makeOCSPResponder(validity: TimeInterval = 24 * 3600) throws -> OCSPResponder {
        try makeOCSPResponder(statusProvider: try issuingDatabase, validity: validity)
    }

    /// An OCSP responder for the issuing CA's certificates, signing with the delegated
    /// responder certificate and answering from `statusProvider` (e.g. the service's registry).
    public func makeOCSPResponder(statusProvider: any CertificateStatusProvider, validity: TimeInterval = 24 * 3600) throws -> OCSPResponder {
        try OCSPResponder(issuer: issuingAuthority.certificate, signerCertificate: ocspResponder.certificate,
                          signerKey: ocspResponder.privateKey, statusProvider: statusProvider, validity: validity)
    }

    /// Issues a fresh CRL of the issuing CA from its database, stores it as
    /// `issuing-ca.crl` (DER) and returns it.
    @discardableResult
    public func refreshIssuingCRL(at date: Date = Date(), validity: TimeInterval = 7 * 86_400) throws -> CertificateRevocationList {
        let crl = try issuingDatabase.issueCRL(with: issuingAuthority, thisUpdate: date, validity: validity)
        try SecureFile.write(crl.der, to: path(File.issuingCRL), mode: 0o644, overwrite: true)
        return crl
    }

    /// The issuing CA's CRL for use at `date`: the stored one while it is at most
    /// `maximumAge` old, still current and lists exactly the revocations in the database;
    /// otherwise a freshly issued one (which then replaces the stored file).
    public func currentIssuingCRL(at date: Date = Date(), maximumAge: TimeInterval = 3600) throws -> CertificateRevocationList {
        if let stored = try? issuingCRL(), stored.thisUpdate <= date, date.timeIntervalSince(stored.thisUpdate) <= maximumAge,
           stored.nextUpdate.map({ date < $0 }) ?? false, stored.isIssued(by: issuingAuthority.certificate),
           Set(stored.entries.map(\.serialNumber)) == Set(try issuingDatabase.revokedCertificates().map(\.serialNumber)) {
            return stored
        }
        return try refreshIssuingCRL(at: date)
    }

    /// The stored CRL of the issuing CA.
    public func issuingCRL() throws -> CertificateRevocationList {
        try CertificateRevocationList(contentsOfFile: path(File.issuingCRL))
    }

    /// The stored CRL of the root CA (covering the issuing CA certificate).
    public func rootCRL() throws -> CertificateRevocationList {
        try CertificateRevocationList(contentsOfFile: path(File.rootCRL))
    }

    /// Revokes a certificate issued by the issuing CA and refreshes its CRL.
    @discardableResult
    public func revoke(serialNumber: [UInt8], reason: RevocationReason?, at date: Date = Date()) throws -> CertificateRevocationList {
        try issuingDatabase.revoke(serialNumber: serialNumber, at: date, reason: reason)
        return try refreshIssuingCRL(at: date)
    }

    /// The path of `name` inside the directory.
    public func path(_ name: String) -> String { joinedPath(directory, name) }

    // MARK: - Loading

    /// Loads the directory: every certificate and key, checking that keys match their
    /// certificates, that the chain links, and that each certificate fits its role.
    /// Encrypted keys need `passphrase`; the root key is optional.
    public static func load(from directory: String, passphrase: String? = nil) throws -> KeyDirectory {
        let manifest = try KeyDirectoryManifest.load(from: directory)
        func file(_ name: String) -> String { joinedPath(directory, name) }
        func certificate(_ role: Role) throws -> Certificate {
            let path = file(role.certificateFile)
            guard FileManager.default.fileExists(atPath: path) else { throw KeyDirectoryError.missingFile(path) }
            return try Certificate(contentsOfFile: path)
        }
        func key(_ role: Role, for cert: Certificate, required: Bool = true) throws -> PrivateKey? {
            let path = file(role.keyFile)
            guard FileManager.default.fileExists(atPath: path) else {
                if required { throw KeyDirectoryError.missingFile(path) }
                return nil
            }
            let key: PrivateKey
            do {
                key = try PrivateKey(contentsOfFile: path, passphrase: passphrase)
            } catch CryptoError.wrongPassphrase {
                throw KeyDirectoryError.passphraseRequired(directory: directory, environmentVariable: passphraseEnvironmentVariable)
            }
            guard try key.publicKey == cert.publicKey else {
                throw KeyDirectoryError.inconsistent(file: path, reason: "the key does not belong to \(role.certificateFile)")
            }
            return key
        }

        let root = try certificate(.rootCA)
        guard root.isSelfSigned else {
            throw KeyDirectoryError.inconsistent(file: file(Role.rootCA.certificateFile), reason: "the root CA certificate is not self-signed")
        }
        let rootAuthority = try key(.rootCA, for: root, required: false).map { try CertificateAuthority(certificate: root, privateKey: $0) }
        let issuingCert = try certificate(.issuingCA)
        guard issuingCert.isIssued(by: root) else {
            throw KeyDirectoryError.inconsistent(file: file(Role.issuingCA.certificateFile), reason: "not issued by the root CA")
        }
        let issuing = try CertificateAuthority(certificate: issuingCert, privateKey: try key(.issuingCA, for: issuingCert)!)
        let chain = [issuingCert, root]
        func credential(_ role: Role, policy: PathValidationPolicy) throws -> SigningCredential {
            let cert = try certificate(role)
            do {
                _ = try PathValidator(anchors: [root], intermediates: [issuingCert]).validate(cert, policy: policy)
            } catch {
                throw KeyDirectoryError.inconsistent(file: file(role.certificateFile), reason: "\(error)")
            }
            guard cert.issuer.matches(issuingCert.subject) else {
                throw KeyDirectoryError.inconsistent(file: file(role.certificateFile), reason: "not issued by the issuing CA")
            }
            return SigningCredential(privateKey: try key(role, for: cert)!, certificate: cert, chain: chain)
        }
        // Roles are checked for what they must be able to do, not for dates: an expired
        // directory still loads (so `keys show` and renewal work), signing code checks time.
        return KeyDirectory(
            directory: directory, manifest: manifest, root: root, rootAuthority: rootAuthority, issuingAuthority: issuing,
            timeStamping: try credential(.timeStamping, policy: .timeStamping(at: .notChecked)),
            ocspResponder: try credential(.ocspResponder, policy: .ocspSigning(at: .notChecked)),
            seal: try credential(.seal, policy: .signing(at: .notChecked)))
    }
}

/// `pki.json`: what `keys init` was asked for, and the URLs certificates point at.
public struct KeyDirectoryManifest: Codable, Sendable, Hashable {
    /// The URLs the service publishes PKI material at.
    public struct URLs: Codable, Sendable, Hashable {
        /// Base URL of the service, e.g. http://localhost:8080.
        public var base: String
        /// Where the root CA's CRL is published.
        public var rootCRL: String { "\(base)/pki/crl/root-ca.crl" }
        /// Where the issuing CA's CRL is published.
        public var issuingCRL: String { "\(base)/pki/crl/issuing-ca.crl" }
        /// The OCSP responder.
        public var ocsp: String { "\(base)/pki/ocsp" }
        /// Where the root CA certificate is published.
        public var rootCACertificate: String { "\(base)/pki/cert/root-ca.cer" }
        /// Where the issuing CA certificate is published (caIssuers).
        public var issuingCACertificate: String { "\(base)/pki/cert/issuing-ca.cer" }

        /// The URLs under `base` (a trailing slash is dropped).
        public init(base: String) { self.base = base.hasSuffix("/") ? String(base.dropLast()) : base }
    }

    /// The manifest format (1).
    public var formatVersion = 1
    /// The platform company.
    public var organization: String
    /// The platform's unified social credit code, if given.
    public var creditCode: String?
    /// nil when the directory holds externally issued certificates with their own URLs.
    public var urls: URLs?
    /// When the directory was created.
    public var createdAt: Date
    /// "ec" or "rsa".
    public var keyAlgorithm: String
    /// Whether the private keys are passphrase-encrypted.
    public var encrypted: Bool

    /// A manifest with these values (format version 1).
    public init(organization: String, creditCode: String?, urls: URLs?, createdAt: Date, keyAlgorithm: String, encrypted: Bool) {
        self.organization = organization
        self.creditCode = creditCode
        self.urls = urls
        self.createdAt = createdAt
        self.keyAlgorithm = keyAlgorithm
        self.encrypted = encrypted
    }

    /// Reads `pki.json`; a directory without one (production material) gets a manifest
    /// without URLs.
    static func load(from directory: String) throws -> KeyDirectoryManifest {
        let path = joinedPath(directory, KeyDirectory.File.manifest)
        guard let data = FileManager.default.contents(atPath: path) else {
            return KeyDirectoryManifest(organization: "", creditCode: nil, urls: nil, createdAt: Date(timeIntervalSince1970: 0),
                                        keyAlgorithm: "", encrypted: false)
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            return try decoder.decode(KeyDirectoryManifest.self, from: data)
        } catch {
            throw KeyDirectoryError.inconsistent(file: path, reason: "unreadable manifest: \(error)")
        }
    }

    func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self)) + [0x0A]
    }
}

/// `name` inside `directory`, as `NSString.appendingPathComponent` joins them (one slash
/// between; `name` alone for an empty directory), without linking Foundation.
func joinedPath(_ directory: String, _ name: String) -> String {
    if directory.isEmpty { return name }
    return directory.hasSuffix("/") ? directory + name : directory + "/" + name
}
