public import FoundationEssentials
import SignetCrypto

extension KeyDirectory {
    /// The key algorithm of a development PKI.
    public enum KeyAlgorithm: String, Sendable, CaseIterable {
        /// EC P-256 (with SHA-256) for every key: CAs, TSA, OCSP responder and seal, the
        /// same strength as the one-time event keys the issuing CA certifies. A chain is only
        /// as strong as its weakest key, and OpenSSL 3.0 verifies a P-256 signature about
        /// ten times faster than a P-384 one (generic P-384 code), which every validator of
        /// every contract pays for each CA signature, CRL and OCSP response.
        case ec
        /// Root and issuing CA on P-384, TSA, OCSP responder and seal on P-256 (for operators
        /// whose policy asks for 192-bit CA keys).
        case ecP384CAs = "ec-p384-ca"
        /// RSA 3072 everywhere (for validators without ECDSA support).
        case rsa
    }

    /// What `create` makes.
    public struct CreationOptions: Sendable {
        /// The platform company: organization of every certificate, name of the seal.
        public var organization = "Signet Development"
        /// The platform's unified social credit code, for the seal's subject.
        public var creditCode: String?
        /// Where the service publishes CRLs, OCSP and CA certificates.
        public var baseURL = "http://localhost:8080"
        /// The key algorithm of the CAs and end entities.
        public var keyAlgorithm = KeyAlgorithm.ec
        /// Two-letter country of every certificate's subject.
        public var country = "CN"
        /// The creation time (certificates start an hour before it).
        public var now = Date()

        /// The defaults: a development PKI at http://localhost:8080, EC keys.
        public init() {}
    }

    /// Validity periods of a development PKI.
    public enum Validity {
        /// The root CA certificate: 20 years.
        public static let root: TimeInterval = 20 * 365 * 86_400
        /// The issuing CA certificate: 10 years.
        public static let issuing: TimeInterval = 10 * 365 * 86_400
        /// The TSA certificate: 5 years.
        public static let timeStamping: TimeInterval = 5 * 365 * 86_400
        /// The seal certificate: 3 years.
        public static let seal: TimeInterval = 3 * 365 * 86_400
        /// The OCSP responder certificate: 2 years.
        public static let ocspResponder: TimeInterval = 2 * 365 * 86_400
        /// The root CRL (the root key is rarely used) and the issuing CA's CRL.
        public static let rootCRL: TimeInterval = 365 * 86_400
        /// The issuing CA's CRL: 7 days.
        public static let issuingCRL: TimeInterval = 7 * 86_400
    }

    /// Every file `create` writes (besides lock files).
    public static var managedFiles: [String] {
        Role.allCases.flatMap { [$0.certificateFile, $0.keyFile] }
            + [File.manifest, File.chain, File.rootCRL, File.issuingCRL, File.rootIndex, File.issuingIndex,
               File.rootIndex + ".crlnumber", File.issuingIndex + ".crlnumber"]
    }

    /// Creates a development PKI in `directory`: root CA, issuing CA, TSA (critical EKU
    /// timeStamping), delegated OCSP responder (OCSPSigning, nocheck), platform seal,
    /// the CA databases and initial CRLs. Private keys are PKCS#8 files with mode 0600,
    /// encrypted with AES-256 when `passphrase` is given. Refuses to replace an existing
    /// PKI unless `force`; everything is generated before anything is written.
    @discardableResult
    public static func create(at directory: String, options: CreationOptions = CreationOptions(), passphrase: String? = nil,
                              force: Bool = false) throws -> KeyDirectory {
        try validate(options, passphrase: passphrase)
        let fileManager = FileManager.default
        func file(_ name: String) -> String { joinedPath(directory, name) }
        let existing = managedFiles.filter { fileManager.fileExists(atPath: file($0)) }
        if !existing.isEmpty && !force { throw KeyDirectoryError.alreadyInitialized(directory: directory, files: existing) }

        let material = try Material(options: options)

        try fileManager.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for name in existing + [File.rootIndex + ".lock", File.issuingIndex + ".lock"] where fileManager.fileExists(atPath: file(name)) {
            try fileManager.removeItem(atPath: file(name))
        }
        for (role, credential) in material.all {
            try credential.privateKey.write(toFile: file(role.keyFile), passphrase: passphrase)
            try SecureFile.write(Array(credential.certificate.pem.utf8), to: file(role.certificateFile), mode: 0o644)
        }
        try SecureFile.write(Array((material.issuing.certificate.pem + material.root.certificate.pem).utf8), to: file(File.chain), mode: 0o644)
        let manifest = KeyDirectoryManifest(
            organization: options.organization, creditCode: options.creditCode?.uppercased(),
            urls: KeyDirectoryManifest.URLs(base: options.baseURL), createdAt: Date(timeIntervalSince1970: options.now.timeIntervalSince1970.rounded(.down)),
            keyAlgorithm: options.keyAlgorithm.rawValue, encrypted: passphrase != nil)
        try SecureFile.write(try manifest.encoded(), to: file(File.manifest), mode: 0o644)

        let rootDatabase = try CertificateAuthorityDatabase(indexPath: file(File.rootIndex))
        try rootDatabase.recordIssued(material.issuing.certificate)
        let rootCRL = try rootDatabase.issueCRL(with: material.root, thisUpdate: options.now, validity: Validity.rootCRL)
        try SecureFile.write(rootCRL.der, to: file(File.rootCRL), mode: 0o644)
        let issuingDatabase = try CertificateAuthorityDatabase(indexPath: file(File.issuingIndex))
        for role in [Role.timeStamping, .ocspResponder, .seal] {
            try issuingDatabase.recordIssued(material.credential(role).certificate)
        }
        let issuingCRL = try issuingDatabase.issueCRL(with: material.issuing, thisUpdate: options.now, validity: Validity.issuingCRL)
        try SecureFile.write(issuingCRL.der, to: file(File.issuingCRL), mode: 0o644)

        return try load(from: directory, passphrase: passphrase)
    }

    private static func validate(_ options: CreationOptions, passphrase: String?) throws {
        let organization = options.organization.trimmingWhitespace()
        guard !organization.isEmpty, organization == options.organization else {
            throw KeyDirectoryError.invalidOption("the organization name must be non-empty without surrounding spaces")
        }
        if let code = options.creditCode, let problem = UnifiedSocialCreditCode.invalidityReason(code) {
            throw KeyDirectoryError.invalidOption("the credit code \(code) \(problem)")
        }
        guard let url = URL(string: options.baseURL), ["http", "https"].contains(url.scheme ?? ""), url.host != nil,
              options.baseURL.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw KeyDirectoryError.invalidOption("the base URL must be an absolute http(s) URL, got \"\(options.baseURL)\"")
        }
        if let passphrase, passphrase.isEmpty {
            throw KeyDirectoryError.invalidOption("an empty passphrase is not a passphrase; leave \(passphraseEnvironmentVariable) unset for unencrypted keys")
        }
    }

    /// Every key and certificate of a new PKI, generated in memory.
    private struct Material {
        let root: CertificateAuthority
        let issuing: CertificateAuthority
        let timeStamping: SigningCredential
        let ocspResponder: SigningCredential
        let seal: SigningCredential

        var all: [(Role, SigningCredential)] {
            [(.rootCA, SigningCredential(privateKey: root.privateKey, certificate: root.certificate, chain: [])),
             (.issuingCA, SigningCredential(privateKey: issuing.privateKey, certificate: issuing.certificate, chain: [root.certificate])),
             (.timeStamping, timeStamping), (.ocspResponder, ocspResponder), (.seal, seal)]
        }

        func credential(_ role: Role) -> SigningCredential { all.first { $0.0 == role }!.1 }

        init(options: CreationOptions) throws {
            let urls = KeyDirectoryManifest.URLs(base: options.baseURL)
            let start = options.now.addingTimeInterval(-3600)
            let org = options.organization
            func name(_ commonName: String) throws -> DistinguishedName {
                try DistinguishedName([(.country, options.country), (.organization, org), (.commonName, commonName)])
            }
            func key(ca: Bool) throws -> PrivateKey {
                switch options.keyAlgorithm {
                case .ec: try PrivateKey.generate(.p256)
                case .ecP384CAs: try PrivateKey.generate(ca ? .p384 : .p256)
                case .rsa: try PrivateKey.generate(.rsa(bits: 3072))
                }
            }

            let root = try CertificateAuthority.makeRoot(subject: try name("\(org) Root CA"), key: try key(ca: true),
                                                     notBefore: start, notAfter: start.addingTimeInterval(Validity.root), pathLength: 1)
            let issuingKey = try key(ca: true)
            let issuingCert = try root.issueSubordinate(
                subject: try name("\(org) Issuing CA"), key: try issuingKey.publicKey,
                notBefore: start, notAfter: start.addingTimeInterval(Validity.issuing), pathLength: 0,
                crlDistributionPoints: [urls.rootCRL], caIssuersURLs: [urls.rootCACertificate])
            let issuing = try CertificateAuthority(certificate: issuingCert, privateKey: issuingKey)
            let chain = [issuingCert, root.certificate]

            func endEntity(_ builder: (PublicKey) throws -> CertificateBuilder, pointers: Bool) throws -> SigningCredential {
                let privateKey = try key(ca: false)
                var profile = try builder(try privateKey.publicKey)
                if pointers {
                    profile.crlDistributionPoints = [urls.issuingCRL]
                    profile.ocspURLs = [urls.ocsp]
                    profile.caIssuersURLs = [urls.issuingCACertificate]
                }
                return SigningCredential(privateKey: privateKey, certificate: try issuing.issue(profile), chain: chain)
            }
            let timeStamping = try endEntity({
                .timeStamping(subject: try name("\(org) Time Stamping Authority"), publicKey: $0,
                              notBefore: start, notAfter: start.addingTimeInterval(Validity.timeStamping))
            }, pointers: true)
            let ocspResponder = try endEntity({
                .ocspResponder(subject: try name("\(org) OCSP Responder"), publicKey: $0,
                               notBefore: start, notAfter: start.addingTimeInterval(Validity.ocspResponder))
            }, pointers: false)
            var sealName: [(NameAttributeType, String)] = [(.country, options.country), (.organization, org)]
            if let code = options.creditCode?.uppercased() {
                sealName += [(.organizationIdentifier, "NTR\(options.country)-\(code)"), (.serialNumber, code)]
            }
            sealName.append((.commonName, org))
            let sealSubject = try DistinguishedName(sealName)
            let seal = try endEntity({
                .signer(subject: sealSubject, publicKey: $0, notBefore: start, notAfter: start.addingTimeInterval(Validity.seal))
            }, pointers: true)
            (self.root, self.issuing, self.timeStamping, self.ocspResponder, self.seal) = (root, issuing, timeStamping, ocspResponder, seal)
        }
    }
}
