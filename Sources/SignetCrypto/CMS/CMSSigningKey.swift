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
    /// (DER (r, s) for ECDSA, r‖s for plain ECDSA).
    func signDigest(_ digest: [UInt8]) async throws -> [UInt8]
}

extension PrivateKey: CMSSigningKey {
    /// ECDSA with the digest matching the curve's size (P-256 and brainpoolP256r1: SHA-256,
    /// P-384 and brainpoolP384r1: SHA-384, P-521 and brainpoolP512r1: SHA-512); RSA PKCS#1
    /// v1.5 with SHA-256; RSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt for an
    /// RSASSA-PSS key.
    public var signatureScheme: SignatureScheme {
        get throws {
            switch EVP_PKEY_get_base_id(pointer) {
            case EVP_PKEY_EC:
                switch algorithmDescription {
                case "EC P-256", "EC brainpoolP256r1": return .ecdsa(.sha256)
                case "EC P-384", "EC brainpoolP384r1": return .ecdsa(.sha384)
                case "EC P-521", "EC brainpoolP512r1": return .ecdsa(.sha512)
                default: throw CryptoError.unsupported("CMS signatures with a \(algorithmDescription) key")
                }
            case EVP_PKEY_RSA: return .rsaPKCS1v15(.sha256)
            case EVP_PKEY_RSA_PSS: return .rsaPSS(.sha256, mgf1: .sha256, saltLength: 32)
            default: throw CryptoError.unsupported("CMS signatures over a digest with a \(algorithmDescription) key")
            }
        }
    }

    /// Signs `digest` with `signatureScheme`.
    public func signDigest(_ digest: [UInt8]) async throws -> [UInt8] {
        try sign(digest: digest, scheme: try signatureScheme)
    }
}

extension PrivateKey {
    /// This key signing with `scheme` instead of its default (RSA-PSS, a SHA-3 digest, plain
    /// ECDSA, ...). Throws when the key cannot make such signatures or the scheme signs
    /// messages rather than digests (EdDSA).
    public func signing(with scheme: SignatureScheme) throws -> some CMSSigningKey {
        try scheme.requireSigningKey(pointer)
        guard scheme.digest != nil else { throw CryptoError.unsupported("\(scheme) cannot sign a precomputed digest") }
        return SchemeSigningKey(key: self, signatureScheme: scheme)
    }
}

/// A `PrivateKey` with a chosen signature scheme (`PrivateKey.signing(with:)`).
struct SchemeSigningKey: CMSSigningKey {
    let key: PrivateKey
    let signatureScheme: SignatureScheme

    var publicKey: PublicKey { get throws { try key.publicKey } }

    func signDigest(_ digest: [UInt8]) async throws -> [UInt8] {
        try key.sign(digest: digest, scheme: signatureScheme)
    }
}
