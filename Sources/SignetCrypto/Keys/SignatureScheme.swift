import COpenSSL

/// How a signature value was produced: the algorithm family, its digest and parameters.
public enum SignatureScheme: Sendable, Hashable, CustomStringConvertible {
    /// ECDSA, DER-encoded (r, s) (RFC 5480 / X9.62).
    case ecdsa(DigestAlgorithm)
    /// ECDSA in plain format (BSI TR-03111 §5.2.1): r‖s, each as long as the curve's order.
    case ecdsaPlain(DigestAlgorithm)
    /// RSASSA-PKCS1-v1_5.
    case rsaPKCS1v15(DigestAlgorithm)
    /// RSASSA-PSS with MGF1 and a salt length (trailer field 1, RFC 4055).
    case rsaPSS(DigestAlgorithm, mgf1: DigestAlgorithm, saltLength: Int)
    /// Ed25519 (pure; signs the message itself, never a digest; RFC 8419).
    case ed25519
    /// Ed448 (pure, empty context; RFC 8419).
    case ed448
    /// DSA (FIPS 186), DER-encoded (r, s); verification of existing signatures only.
    case dsa(DigestAlgorithm)

    /// The digest the scheme applies to the message, if any (none for EdDSA).
    public var digest: DigestAlgorithm? {
        switch self {
        case .ecdsa(let d), .ecdsaPlain(let d), .rsaPKCS1v15(let d), .rsaPSS(let d, _, _), .dsa(let d): d
        case .ed25519, .ed448: nil
        }
    }

    /// The scheme's name, e.g. "ECDSA with SHA-256".
    public var description: String {
        switch self {
        case .ecdsa(let d): "ECDSA with \(d)"
        case .ecdsaPlain(let d): "ECDSA (plain r‖s, BSI TR-03111) with \(d)"
        case .rsaPKCS1v15(let d): "RSA PKCS#1 v1.5 with \(d)"
        case .rsaPSS(let d, let mgf, let salt): "RSA-PSS with \(d) (MGF1 \(mgf), salt \(salt))"
        case .ed25519: "Ed25519"
        case .ed448: "Ed448"
        case .dsa(let d): "DSA with \(d)"
        }
    }
}

/// A signature algorithm that the signer's key cannot have used: an ECDSA identifier with
/// an RSA key, Ed25519 with an EC key, RSA-PSS parameters an RSASSA-PSS key forbids.
struct SignatureKeyMismatch: Error, CustomStringConvertible {
    let scheme: SignatureScheme
    let key: String
    var description: String { "\(scheme) signatures cannot be made with the signer's key (\(key))" }
}

extension SignatureScheme {
    /// Throws `SignatureKeyMismatch` unless `key` (an EVP_PKEY) can make or check
    /// signatures of this scheme.
    func requireCompatible(with key: OpaquePointer) throws {
        let id = EVP_PKEY_get_base_id(key)
        let fits: Bool
        switch self {
        case .ecdsa, .ecdsaPlain: fits = id == EVP_PKEY_EC
        case .rsaPKCS1v15: fits = id == EVP_PKEY_RSA
        case .rsaPSS: fits = id == EVP_PKEY_RSA || id == EVP_PKEY_RSA_PSS
        case .ed25519: fits = id == EVP_PKEY_ED25519
        case .ed448: fits = id == EVP_PKEY_ED448
        case .dsa: fits = id == EVP_PKEY_DSA
        }
        if !fits { throw SignatureKeyMismatch(scheme: self, key: keyAlgorithmDescription(key)) }
    }

    /// `requireCompatible(with:)` for signing: a mismatch is a `CryptoError.unsupported`.
    func requireSigningKey(_ key: OpaquePointer) throws(CryptoError) {
        do { try requireCompatible(with: key) } catch { throw .unsupported("\(error)") }
    }

    /// Sets the padding parameters of this scheme on an EVP_PKEY_CTX (RSA-PSS only).
    func configure(_ context: OpaquePointer) throws {
        guard case .rsaPSS(_, let mgf1, let salt) = self else { return }
        // Negative lengths are OpenSSL's "auto" modes, which would accept any salt.
        guard let saltLength = Int32(exactly: salt), saltLength >= 0 else {
            throw CryptoError.unsupported("RSA-PSS with a salt length of \(salt)")
        }
        try check(EVP_PKEY_CTX_set_rsa_padding(context, RSA_PKCS1_PSS_PADDING), "EVP_PKEY_CTX_set_rsa_padding")
        try check(EVP_PKEY_CTX_set_rsa_pss_saltlen(context, saltLength), "EVP_PKEY_CTX_set_rsa_pss_saltlen")
        try check(EVP_PKEY_CTX_set_rsa_mgf1_md(context, mgf1.evpMD), "EVP_PKEY_CTX_set_rsa_mgf1_md")
    }
}
