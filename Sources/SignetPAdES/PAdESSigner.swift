public import SignetCrypto

/// Signs PDFs with PAdES baseline signatures, from B-B up to B-LTA.
///
/// ```swift
/// let signer = PAdESSigner(cms: try CMSSigner(key: key, certificate: cert, chain: [issuing]),
///                          timestampProvider: tsa, revocationSource: pki)
/// let signed = try await signer.sign(pdf, level: .bLTA, request: SignatureRequest(...))
/// ```
public struct PAdESSigner: Sendable {
    /// Produces the CAdES-detached CMS signature (key, certificate, chain, digest).
    public let cms: CMSSigner
    /// The TSA for signature and document timestamps; required from B-T up.
    public let timestampProvider: (any TimeStampProvider)?
    /// Where B-LT and B-LTA revocation data comes from; required from B-LT up.
    public let revocationSource: (any RevocationDataSource)?

    /// A signer with the CMS signer and, for higher levels, a TSA and a revocation data source.
    public init(cms: CMSSigner, timestampProvider: (any TimeStampProvider)? = nil, revocationSource: (any RevocationDataSource)? = nil) {
        self.cms = cms
        self.timestampProvider = timestampProvider
        self.revocationSource = revocationSource
    }

    /// Adds one signature at `level`. From B-T on, timestamping fails closed: without a
    /// token there is no signature. B-LT adds validation data for every signature in the
    /// document that has no VRI entry yet (`LTVExtender`; earlier DSS entries are kept as
    /// they were); B-LTA then adds a document timestamp.
    public func sign(_ pdf: [UInt8], level: PAdESLevel, request: SignatureRequest) async throws -> [UInt8] {
        if level >= .bT && timestampProvider == nil { throw PAdESError.timestampRequired(level: level.rawValue) }
        if level >= .bLT && revocationSource == nil { throw PAdESError.validationDataRequired(level: level.rawValue) }
        let stamp = level >= .bT ? timestampProvider : nil
        _ = try openForSigning(pdf)  // refuse unreadable or encrypted input before any TSA call
        let capacity = try await cms.estimatedSize(timestampProvider: stamp) + 1024
        let prepared = try SignaturePreparer.prepare(pdf, kind: .approval, request: request, contentsCapacity: capacity)
        let signature = try await cms.sign(messageDigest: prepared.digest(cms.digestAlgorithm), timestampProvider: stamp)
        var signed = try prepared.embed(signature)
        if level >= .bLT, let revocationSource {
            signed = try await LTVExtender(source: revocationSource).addValidationData(to: signed)
        }
        if level == .bLTA, let timestampProvider {
            signed = try await DocumentTimestamper(provider: timestampProvider).timestamp(signed)
        }
        return signed
    }
}
