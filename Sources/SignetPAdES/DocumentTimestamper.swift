public import SignetCrypto

/// Adds a document timestamp (`/DocTimeStamp`, `/SubFilter /ETSI.RFC3161`) covering the
/// whole file: the last step of B-LTA, and how an archive is re-protected later.
public struct DocumentTimestamper: Sendable {
    /// The time-stamping authority asked for the RFC 3161 token.
    public let provider: any TimeStampProvider
    /// The digest algorithm of the message imprint sent to the TSA.
    public let digestAlgorithm: DigestAlgorithm

    /// A timestamper asking `provider` for tokens over a `digestAlgorithm` (default SHA-256) imprint.
    public init(provider: any TimeStampProvider, digestAlgorithm: DigestAlgorithm = .sha256) {
        self.provider = provider
        self.digestAlgorithm = digestAlgorithm
    }

    /// `pdf` with a document timestamp appended. Fails closed if the TSA does not answer.
    public func timestamp(_ pdf: [UInt8], fieldName: String? = nil) async throws -> [UInt8] {
        let capacity = try await provider.estimatedTokenSize(algorithm: digestAlgorithm) + 512
        let prepared = try SignaturePreparer.prepare(
            pdf, kind: .documentTimestamp, request: SignatureRequest(fieldName: fieldName), contentsCapacity: capacity)
        let token = try await provider.timestamp(digest: prepared.digest(digestAlgorithm), algorithm: digestAlgorithm)
        return try prepared.embed(token.encoded)
    }
}
