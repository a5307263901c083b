public import FoundationEssentials
public import SignetCrypto
import SignetPAdES
public import SignetPKI
public import SignetTemplates

/// Signs a rendered contract the way Signet's product does: the merchant with a one-time
/// event certificate (fresh P-256 key, certificate bound to the merchant and this signing
/// act, key gone when the act ends), then the platform with its seal certificate; each
/// signature visible as a red round seal in its template signature box; the platform's
/// signature closes the document at PAdES B-LTA (validation data for both signatures and a
/// document timestamp).
public struct ContractSigningFlow: Sendable {
    /// The PKI: CAs, seal certificate, OCSP responder and TSA keys used to sign and extend.
    public let keys: KeyDirectory
    /// The TSA for the signature and document timestamps.
    public let timestamps: any TimeStampProvider
    /// The PKI's changing state kept outside the key directory (the service's database), or
    /// nil when the key directory's own index and counter files keep it.
    public let pki: SharedPKIState?
    /// The passphrase of the key directory's private keys, if they are encrypted.
    private let passphrase: String?

    /// A flow over the PKI in `keys`, timestamping with `timestamps` (default: its
    /// built-in TSA); event certificates are recorded in the key directory's index file.
    public init(keys: KeyDirectory, timestamps: (any TimeStampProvider)? = nil, passphrase: String? = nil) throws {
        self.keys = keys
        self.timestamps = try timestamps ?? keys.makeTimeStampAuthority()
        self.pki = nil
        self.passphrase = passphrase
    }

    /// A flow over `pki`: event certificates recorded in its registry, revocation data
    /// answered from it, timestamps from `timestamps` (default: its TSA).
    public init(pki: SharedPKIState, timestamps: (any TimeStampProvider)? = nil, passphrase: String? = nil) {
        self.keys = pki.keys
        self.timestamps = timestamps ?? pki.timeStampAuthority
        self.pki = pki
        self.passphrase = passphrase
    }

    /// Where the signatures' validation data comes from: the shared state's registry, or the
    /// key directory's files.
    public var revocationSource: KeyDirectoryRevocationSource {
        pki.map { KeyDirectoryRevocationSource(pki: $0) } ?? KeyDirectoryRevocationSource(keys: keys)
    }

    /// Issues the event certificates, recording them in the registry (or the index file).
    private var eventAuthority: EventCertificateAuthority {
        get throws { try pki?.eventAuthority ?? keys.eventAuthority }
    }

    /// The merchant's signature (B-T) in the `merchant` box, with an event certificate for
    /// this act. Returns the signed PDF and the event certificate used.
    public func signAsMerchant(
        _ contract: RenderedContract,
        signingEventID: String,
        at date: Date = Date()
    ) async throws -> (pdf: [UInt8], certificate: Certificate) {
        let merchant = try ContractParty(role: .merchant, in: contract)
        guard let registration = merchant.registration else { throw ContractSigningError.missingRegistration(role: .merchant) }
        let subject = EventSubject(
            organizationName: merchant.organizationName, registrationNumber: registration.number,
            countryCode: registration.countryCode, signerName: merchant.signerName, contractNumber: contract.metadata.number,
            signingEventID: signingEventID, documentSHA256: DigestAlgorithm.sha256.hash(contract.pdf))
        let request = try signatureRequest(role: .merchant, party: merchant, contract: contract, at: date)
        return try await eventAuthority.withEventCredential(for: subject) { credential in
            let signer = PAdESSigner(
                cms: try CMSSigner(key: credential.privateKey, certificate: credential.certificate, chain: credential.chain),
                timestampProvider: timestamps)
            return (try await signer.sign(contract.pdf, level: .bT, request: request), credential.certificate)
        }
    }

    /// The platform's countersignature in the `platform` box, extending the document to
    /// B-LTA, with the seal certificate of the legal entity the contract names (the platform
    /// seal, or an entity seal from `KeyDirectory.issueSeal`); never another entity's.
    public func countersignAsPlatform(_ pdf: [UInt8], contract: RenderedContract, at date: Date = Date()) async throws -> [UInt8] {
        let platform = try ContractParty(role: .platform, in: contract)
        guard let seal = try keys.seal(for: platform.organizationName, passphrase: passphrase) else {
            throw ContractSigningError.sealDoesNotMatchParty(
                certificateOrganization: keys.seal.certificate.subject.organization ?? "", contractParty: platform.organizationName)
        }
        let signer = PAdESSigner(
            cms: try CMSSigner(key: seal.privateKey, certificate: seal.certificate, chain: seal.chain),
            timestampProvider: timestamps,
            revocationSource: revocationSource)
        return try await signer.sign(pdf, level: .bLTA, request: try signatureRequest(role: .platform, party: platform, contract: contract, at: date))
    }

    /// Seals a document Signet issues itself (an evidence report) with the platform seal in its
    /// `platform` box, at PAdES B-LTA (validation data and a document timestamp).
    public func sealAsPlatform(_ document: RenderedContract, reason: String, at date: Date = Date()) async throws -> [UInt8] {
        guard let box = document.signatureBoxes.first(where: { $0.role == .platform }) else {
            throw ContractSigningError.noSignatureBox(role: .platform)
        }
        let seal = keys.seal
        let company = seal.certificate.subject.organization ?? seal.certificate.subject.displayString
        let request = try Self.sealRequest(role: .platform, companyName: company, centerLine: Self.isChinese(company) ? "电子签章" : nil,
                                           signerName: Self.isChinese(company) ? "电子出证" : "Evidence issuer", reason: reason, box: box,
                                           utcOffsetSeconds: document.metadata.utcOffsetSeconds, at: date)
        let signer = PAdESSigner(
            cms: try CMSSigner(key: seal.privateKey, certificate: seal.certificate, chain: seal.chain),
            timestampProvider: timestamps, revocationSource: revocationSource)
        return try await signer.sign(document.pdf, level: .bLTA, request: request)
    }

    /// Both signatures in order: the merchant's, then the platform's (B-LTA).
    public func signAndCountersign(_ contract: RenderedContract, signingEventID: String, at date: Date = Date()) async throws -> [UInt8] {
        let merchantSigned = try await signAsMerchant(contract, signingEventID: signingEventID, at: date)
        return try await countersignAsPlatform(merchantSigned.pdf, contract: contract, at: date)
    }

    private func signatureRequest(role: PartyRole, party: ContractParty, contract: RenderedContract, at date: Date) throws -> SignatureRequest {
        guard let box = contract.signatureBoxes.first(where: { $0.role == role }) else {
            throw ContractSigningError.noSignatureBox(role: role)
        }
        let chinese = Self.isChinese(party.organizationName)
        let reason = chinese ? "\(party.organizationName)签署合同 \(contract.metadata.number)"
                             : "\(party.organizationName) signs contract \(contract.metadata.number)"
        return try Self.sealRequest(role: role, companyName: party.organizationName, centerLine: chinese ? "合同专用章" : nil,
                                    signerName: party.signerName, reason: reason, box: box,
                                    utcOffsetSeconds: contract.metadata.utcOffsetSeconds, at: date)
    }

    /// Whether a company name is Chinese: its seal then reads 合同专用章 with Chinese captions.
    static func isChinese(_ organizationName: String) -> Bool {
        organizationName.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }
    }

    /// A visible signature in `box` showing a red round seal of `companyName`.
    static func sealRequest(role: PartyRole, companyName: String, centerLine: String?, signerName: String, reason: String,
                            box: SignatureBox, utcOffsetSeconds: Int, at date: Date) throws -> SignatureRequest {
        let seal = SealAppearance(
            companyName: companyName, centerLine: centerLine, signerName: signerName, signedAt: date,
            utcOffsetSeconds: utcOffsetSeconds, captionLanguage: isChinese(companyName) ? .chinese : .english, box: box)
        let visible = VisibleSignature(page: box.page, x: box.rect.x, y: box.rect.y, width: box.rect.width, height: box.rect.height,
                                       appearancePDF: try seal.render())
        return SignatureRequest(fieldName: role.rawValue, visible: visible, metadata: SignatureMetadata(
            signingTime: date, signerName: signerName, reason: reason, location: nil))
    }

}

extension ContractSigningFlow {
    /// How many TSA serial numbers a long-running service reserves per database round trip.
    public static let serviceSerialReservation = 64

    /// The flow `signet serve` signs with: the PKI's changing state in the service's
    /// database (`storage`), shared by every instance: event certificates recorded in the
    /// issuing CA's registry, the built-in TSA reserving serials in blocks of
    /// `serviceSerialReservation` (one database round trip per block; docs/benchmarks.md,
    /// "The service journey"). Nothing is written to the key directory.
    ///
    /// At start, the key directory's index file (certificates `keys init`, `keys seal` and
    /// the CLI issued) is imported into the registry (idempotent, revocations carried over),
    /// and the TSA's serials continue above the `tsa.serial` file's value, so a switch from
    /// the files never reuses a serial.
    public static func forService(keys: KeyDirectory, storage: ServiceStorage, passphrase: String? = nil) async throws -> ContractSigningFlow {
        ContractSigningFlow(pki: try await servicePKI(keys: keys, storage: storage), passphrase: passphrase)
    }

    /// The shared PKI state of `forService(keys:storage:passphrase:)`, after the import.
    public static func servicePKI(keys: KeyDirectory, storage: ServiceStorage) async throws -> SharedPKIState {
        let registry = storage.certificateRegistries.registry(issuer: CertificateRegistryKey.issuer(keys.issuingAuthority.certificate))
        try await keys.importIssuingIndex(into: registry)
        try await storage.timeStampSerials.advance(past: try keys.timeStampSerialFileValue())
        return try SharedPKIState(keys: keys, registry: registry, serials: storage.timeStampSerials,
                                  serialBlock: serviceSerialReservation)
    }
}
