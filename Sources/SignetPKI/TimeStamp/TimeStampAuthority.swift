public import FoundationEssentials
public import SignetCrypto

/// How the built-in TSA issues tokens.
public struct TimeStampAuthorityConfiguration: Sendable {
    /// The TSA policy OID written in every token.
    public var policy: String
    /// Further policies a request may ask for (the token then carries the requested one).
    public var otherPolicies: Set<String>
    /// The claimed accuracy of genTime.
    public var accuracy: TimeStampAccuracy?
    /// Message imprint algorithms accepted in requests.
    public var acceptedDigests: Set<DigestAlgorithm>
    /// Digits of fractional seconds in genTime (0–6).
    public var fractionDigits: Int
    /// Whether tokens name the TSA (tsa field, directoryName of the certificate subject).
    public var includeTSAName: Bool
    /// Whether the chain (besides the TSA certificate) goes into tokens when certReq is set.
    public var includeChain: Bool

    /// A configuration with `policy` and the defaults Signet's TSA uses.
    public init(policy: String, otherPolicies: Set<String> = [], accuracy: TimeStampAccuracy? = TimeStampAccuracy(seconds: 1),
                acceptedDigests: Set<DigestAlgorithm> = [.sha256, .sha384, .sha512], fractionDigits: Int = 3,
                includeTSAName: Bool = true, includeChain: Bool = true) {
        self.policy = policy
        self.otherPolicies = otherPolicies
        self.accuracy = accuracy
        self.acceptedDigests = acceptedDigests
        self.fractionDigits = fractionDigits
        self.includeTSAName = includeTSAName
        self.includeChain = includeChain
    }
}

/// Signet's built-in RFC 3161 time-stamping authority.
///
/// Answers DER TimeStampReqs with DER TimeStampResps (every refusal is a proper PKIStatus
/// rejection, never a thrown error), and serves as an in-process `TimeStampProvider` for
/// signing. Tokens: SignedData over a TSTInfo with the configured policy and accuracy, a
/// serial from the persistent counter, the nonce echoed; signed attributes content-type,
/// message-digest and signing-certificate-v2 (SHA-256 ESSCertIDv2 with issuerSerial).
public final class TimeStampAuthority: TimeStampProvider, Sendable {
    /// The TSA certificate (critical EKU timeStamping).
    public let certificate: Certificate
    /// Issuing CA certificates to include in tokens.
    public let chain: [Certificate]
    /// How tokens are issued.
    public let configuration: TimeStampAuthorityConfiguration

    private let key: any CMSSigningKey
    private let serials: TimeStampSerialBlock
    private let clock: @Sendable () -> Date
    private let scheme: SignatureScheme
    private let digest: DigestAlgorithm
    private let certificateFields: CMSCertificateFields
    private let signingCertificateV2: [UInt8]

    /// Checks the certificate (critical EKU timeStamping only), that the key matches it,
    /// and the configuration. Serials come from `serials`, reserved `serialBlock` at a time
    /// (a `TimeStampSerialCounter` has its own reservation: 1 suits it).
    public init(key: any CMSSigningKey, certificate: Certificate, chain: [Certificate] = [],
                serials: any TimeStampSerialSource, serialBlock: Int = 1, configuration: TimeStampAuthorityConfiguration,
                clock: @escaping @Sendable () -> Date = { Date() }) throws(TimeStampError) {
        do {
            try TimeStampToken.checkTimeStampingCertificate(certificate)
        } catch {
            throw .configuration("\(certificate.subject): \(error)")
        }
        guard (0...6).contains(configuration.fractionDigits) else {
            throw .configuration("genTime precision must be 0 to 6 fractional digits")
        }
        guard !configuration.acceptedDigests.isEmpty else { throw .configuration("no accepted digest algorithm") }
        do {
            scheme = try key.signatureScheme
            certificateFields = try CMSCertificateFields(certificate)
            signingCertificateV2 = try ESSSigningCertificate.encodeV2(for: certificate)
            _ = try ASN1ObjectIdentifierCheck.validate(configuration.policy)
        } catch {
            throw .configuration("\(error)")
        }
        guard let digest = scheme.digest else { throw .configuration("\(scheme) cannot sign a digest") }
        guard certificate.matches(key) else {
            throw .configuration("the TSA key does not match the certificate \(certificate.subject)")
        }
        self.digest = digest
        self.key = key
        self.certificate = certificate
        self.chain = chain.filter { $0 != certificate }
        self.serials = TimeStampSerialBlock(source: serials, blockSize: serialBlock)
        self.configuration = configuration
        self.clock = clock
    }

    /// Answers a DER TimeStampReq with a DER TimeStampResp.
    public func respond(to request: [UInt8]) async -> [UInt8] {
        let parsed: TimeStampRequest
        do {
            parsed = try TimeStampRequest(berEncoded: request)
        } catch {
            return TimeStampResponse.encode(status: .rejection, text: "malformed request", failureInfo: .badDataFormat)
        }
        if let refusal = check(parsed) {
            return TimeStampResponse.encode(status: .rejection, text: refusal.text, failureInfo: refusal.info)
        }
        do {
            let token = try await issueToken(parsed)
            return TimeStampResponse.encode(status: .granted, token: token)
        } catch {
            return TimeStampResponse.encode(status: .rejection, text: "the TSA could not issue a token", failureInfo: .systemFailure)
        }
    }

    /// Why a request is refused, or nil when it can be served.
    private func check(_ request: TimeStampRequest) -> (text: String, info: PKIFailureInfo)? {
        guard request.version == 1 else { return ("unsupported request version \(request.version)", .badRequest) }
        guard let algorithm = request.messageImprint.algorithm.digestAlgorithm,
              configuration.acceptedDigests.contains(algorithm), request.messageImprint.algorithm.hasNoParameters else {
            return ("unsupported hash algorithm \(request.messageImprint.algorithm.oid)", .badAlg)
        }
        guard request.messageImprint.digest.count == algorithm.outputLength else {
            return ("the message imprint has the wrong length for \(algorithm)", .badDataFormat)
        }
        if let policy = request.policy, policy != configuration.policy, !configuration.otherPolicies.contains(policy) {
            return ("unaccepted policy \(policy)", .unacceptedPolicy)
        }
        if request.hasExtensions { return ("extensions are not supported", .unacceptedExtension) }
        return nil
    }

    /// A token for `digest` (in process: certificate included, no nonce).
    public func timestamp(digest value: [UInt8], algorithm: DigestAlgorithm) async throws -> TimeStampToken {
        let request = TimeStampRequest(digest: value, algorithm: algorithm, nonce: nil, certificateRequested: true)
        if let refusal = check(request) {
            throw TimeStampError.rejected(status: PKIStatus.rejection.rawValue, text: [refusal.text], failureInfo: refusal.info.names)
        }
        return try TimeStampToken(berEncoded: try await issueToken(request))
    }

    /// Exact upper bound: a token with the largest serial, the longest genTime and the
    /// largest signature, with certificates, without a nonce.
    public func estimatedTokenSize(algorithm: DigestAlgorithm) async throws -> Int {
        let request = TimeStampRequest(digest: [UInt8](repeating: 0, count: algorithm.outputLength), algorithm: algorithm,
                                       nonce: nil, certificateRequested: true)
        let genTime = "20991231235959." + String(repeating: "9", count: configuration.fractionDigits) + "Z"
        let (info, attributes) = try prepare(request, serial: ASN1Integers.from(UInt64.max), genTime: genTime)
        let signature = [UInt8](repeating: 0xFF, count: certificate.maximumSignatureSize)
        return try assemble(request, info: info, attributes: attributes, signature: signature).count
    }

    /// Signs a token for an accepted request: serial, genTime, TSTInfo, SignedData.
    private func issueToken(_ request: TimeStampRequest) async throws -> [UInt8] {
        let serial = try await serials.next()
        let genTime = ASN1Time.generalizedTimeString(clock(), fractionDigits: configuration.fractionDigits)
        let (info, attributes) = try prepare(request, serial: ASN1Integers.from(serial), genTime: genTime)
        let signature = try await key.signDigest(digest.hash(attributes))
        guard (try? certificate.verifySignature(signature, message: attributes, scheme: scheme)) == true else {
            throw TimeStampError.configuration("the TSA key returned a signature that does not verify")
        }
        return try assemble(request, info: info, attributes: attributes, signature: signature)
    }

    /// The TSTInfo and the DER signed attributes over it.
    private func prepare(_ request: TimeStampRequest, serial: [UInt8], genTime: String) throws -> (info: [UInt8], attributes: [UInt8]) {
        let info = try TimeStampInfo.encode(
            policy: request.policy ?? configuration.policy, imprint: request.messageImprint, serialNumber: serial,
            genTime: genTime, accuracy: configuration.accuracy, nonce: request.nonce,
            tsaName: configuration.includeTSAName ? certificate.subject : nil)
        let attributes = try CMSBuilder.signedAttributes(contentType: CMSObjectIdentifier.tstInfo,
                                                         messageDigest: digest.hash(info), signingCertificateV2: signingCertificateV2)
        return (info, attributes)
    }

    /// The token: SignedData over `info` with the TSA's SignerInfo.
    private func assemble(_ request: TimeStampRequest, info: [UInt8], attributes: [UInt8], signature: [UInt8]) throws -> [UInt8] {
        let signerInfo = try CMSBuilder.signerInfo(
            signer: certificateFields, digest: digest, signedAttributes: attributes,
            signatureAlgorithm: try CMSAlgorithmIdentifier(signature: scheme), signature: signature, unsignedAttributes: [])
        let certificates = request.certificateRequested ? [certificate] + (configuration.includeChain ? chain : []) : []
        return try CMSBuilder.contentInfo(digest: digest, contentType: CMSObjectIdentifier.tstInfo, content: info,
                                          certificates: certificates, signerInfo: signerInfo)
    }
}

/// Validates dotted OIDs given in configuration.
enum ASN1ObjectIdentifierCheck {
    static func validate(_ oid: String) throws -> String {
        let parts = oid.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }) else {
            throw TimeStampError.configuration("\"\(oid)\" is not a dotted object identifier")
        }
        return oid
    }
}
