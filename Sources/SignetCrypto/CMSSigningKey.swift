import COpenSSL

/// A key that signs precomputed digests: a `PrivateKey` in memory, or an external signer
/// (an HSM, a remote signing service) behind the same interface.
public protocol CMSSigningKey: Sendable {
    /// The matching public key (checked against the certificate, and used to verify each
    /// signature before it is embedded).
    var publicKey: PublicKey { get throws }
    /// The scheme the key signs with. Its digest is also the CMS digest algorithm, so the
    /// caller hashes the content with it.
    var signatureScheme: SignatureScheme { get throws }
    /// Signs `digest`, computed with `signatureScheme.digest`; returns the signature value
    /// (DER (r, s) for ECDSA).
    func signDigest(_ digest: [UInt8]) async throws -> [UInt8]
}

extension PrivateKey: CMSSigningKey {
    /// ECDSA with the digest matching the curve (P-256: SHA-256, P-384: SHA-384,
    /// P-521: SHA-512); RSA PKCS#1 v1.5 with SHA-256.
    public var signatureScheme: SignatureScheme {
        get throws {
            switch EVP_PKEY_get_base_id(pointer) {
            case EVP_PKEY_EC:
                switch algorithmDescription {
                case "EC P-256": return .ecdsa(.sha256)
                case "EC P-384": return .ecdsa(.sha384)
                case "EC P-521": return .ecdsa(.sha512)
                default: throw CryptoError.unsupported("CMS signatures with a \(algorithmDescription) key")
                }
            case EVP_PKEY_RSA: return .rsaPKCS1v15(.sha256)
            default: throw CryptoError.unsupported("CMS signatures over a digest with a \(algorithmDescription) key")
            }
        }
    }

    /// Signs `digest` with `signatureScheme`.
    public func signDigest(_ digest: [UInt8]) async throws -> [UInt8] {
        try sign(digest: digest, scheme: try signatureScheme)
    }
}
