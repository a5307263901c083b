/// A source of RFC 3161 timestamp tokens: the built-in `TimeStampAuthority` in process, or
/// a `TimeStampClient` for an external TSA.
///
/// Providers fail closed: a token is returned only once it is known to cover `digest`
/// (and, over a network, to echo the request's nonce); anything else throws.
public protocol TimeStampProvider: Sendable {
    /// A token whose message imprint is `digest` computed with `algorithm`.
    func timestamp(digest: [UInt8], algorithm: DigestAlgorithm) async throws -> TimeStampToken

    /// An upper bound on the DER size of the tokens this provider returns, for reserving a
    /// PDF /Contents slot before signing.
    func estimatedTokenSize(algorithm: DigestAlgorithm) async throws -> Int
}
