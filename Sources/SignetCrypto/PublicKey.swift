import COpenSSL

/// How a signature value was produced: the algorithm family and its digest.
public enum SignatureScheme: Sendable, Hashable, CustomStringConvertible {
    /// ECDSA, DER-encoded (r, s).
    case ecdsa(DigestAlgorithm)
    /// RSASSA-PKCS1-v1_5.
    case rsaPKCS1v15(DigestAlgorithm)
    /// RSASSA-PSS with MGF1 and a salt length.
    case rsaPSS(DigestAlgorithm, mgf1: DigestAlgorithm, saltLength: Int)
    /// Ed25519 (pure; signs the message itself, never a digest).
    case ed25519

    /// The digest the scheme applies to the message, if any.
    public var digest: DigestAlgorithm? {
        switch self {
        case .ecdsa(let d), .rsaPKCS1v15(let d), .rsaPSS(let d, _, _): d
        case .ed25519: nil
        }
    }

    public var description: String {
        switch self {
        case .ecdsa(let d): "ECDSA with \(d)"
        case .rsaPKCS1v15(let d): "RSA PKCS#1 v1.5 with \(d)"
        case .rsaPSS(let d, let mgf, let salt): "RSA-PSS with \(d) (MGF1 \(mgf), salt \(salt))"
        case .ed25519: "Ed25519"
        }
    }
}

/// A public key (SubjectPublicKeyInfo) held by OpenSSL.
public final class PublicKey: @unchecked Sendable, Equatable {
    // Unchecked Sendable: the EVP_PKEY is immutable after init; verification creates its
    // own context per call.
    let pointer: OpaquePointer

    /// The DER SubjectPublicKeyInfo, also the basis of equality.
    public let spki: [UInt8]

    /// Parses a DER SubjectPublicKeyInfo.
    public init(spki: [UInt8]) throws {
        pointer = try derDecode("d2i_PUBKEY", spki) { d2i_PUBKEY(nil, $0, $1) }
        self.spki = spki
    }

    /// Shares `key` (another reference, not a copy) with its SubjectPublicKeyInfo `spki`.
    ///
    /// OpenSSL 3 copies keys through its encoder/decoder framework, which costs more than
    /// an ECDSA verification; an EVP_PKEY is reference-counted and safe to use from several
    /// threads for verification, so sharing the certificate's own key is exact and cheap.
    init(sharing key: OpaquePointer, spki: [UInt8]) throws {
        try check(EVP_PKEY_up_ref(key), "EVP_PKEY_up_ref")
        pointer = key
        self.spki = spki
    }

    deinit { EVP_PKEY_free(pointer) }

    public static func == (lhs: PublicKey, rhs: PublicKey) -> Bool { lhs.spki == rhs.spki }

    /// "EC P-256", "RSA 2048", ...
    public var algorithmDescription: String { keyAlgorithmDescription(pointer) }

    /// True for EC keys, false for RSA and others.
    public var isEC: Bool { EVP_PKEY_get_base_id(pointer) == EVP_PKEY_EC }

    /// True for RSA keys (including RSA-PSS-restricted ones).
    public var isRSA: Bool {
        let id = EVP_PKEY_get_base_id(pointer)
        return id == EVP_PKEY_RSA || id == EVP_PKEY_RSA_PSS
    }

    /// Checks `signature` over `message` (hashed by the scheme's digest).
    /// Returns false for a wrong signature; throws when the scheme does not fit the key.
    public func verify(signature: [UInt8], message: some Collection<UInt8>, scheme: SignatureScheme) throws -> Bool {
        try scheme.requireCompatible(with: pointer)
        let ctx = try checkNotNull(EVP_MD_CTX_new(), "EVP_MD_CTX_new")
        defer { EVP_MD_CTX_free(ctx) }
        var pctx: OpaquePointer?
        try check(EVP_DigestVerifyInit(ctx, &pctx, scheme.digest?.evpMD, nil, pointer), "EVP_DigestVerifyInit")
        if let pctx { try scheme.configure(pctx) }
        let bytes = Array(message)
        let result = EVP_DigestVerify(ctx, signature, signature.count, bytes, bytes.count)
        OpenSSLError.clearQueue()
        return result == 1
    }

    /// Checks `signature` over a precomputed digest (not possible for Ed25519).
    public func verify(signature: [UInt8], digest value: [UInt8], scheme: SignatureScheme) throws -> Bool {
        try scheme.requireCompatible(with: pointer)
        guard let digest = scheme.digest else {
            throw CryptoError.unsupported("\(scheme) signatures cannot be checked against a precomputed digest")
        }
        guard value.count == digest.outputLength else { return false }
        let ctx = try checkNotNull(EVP_PKEY_CTX_new(pointer, nil), "EVP_PKEY_CTX_new")
        defer { EVP_PKEY_CTX_free(ctx) }
        try check(EVP_PKEY_verify_init(ctx), "EVP_PKEY_verify_init")
        try check(EVP_PKEY_CTX_set_signature_md(ctx, digest.evpMD), "EVP_PKEY_CTX_set_signature_md")
        try scheme.configure(ctx)
        let result = EVP_PKEY_verify(ctx, signature, signature.count, value, value.count)
        OpenSSLError.clearQueue()
        return result == 1
    }
}

extension SignatureScheme {
    /// Throws unless `key` (an EVP_PKEY) can make or check signatures of this scheme.
    func requireCompatible(with key: OpaquePointer) throws {
        let id = EVP_PKEY_get_base_id(key)
        let fits: Bool
        switch self {
        case .ecdsa: fits = id == EVP_PKEY_EC
        case .rsaPKCS1v15: fits = id == EVP_PKEY_RSA
        case .rsaPSS: fits = id == EVP_PKEY_RSA || id == EVP_PKEY_RSA_PSS
        case .ed25519: fits = id == EVP_PKEY_ED25519
        }
        if !fits { throw CryptoError.unsupported("\(self) with a \(keyAlgorithmDescription(key)) key") }
    }

    /// Sets the padding parameters of this scheme on an EVP_PKEY_CTX (RSA-PSS only).
    func configure(_ context: OpaquePointer) throws {
        guard case .rsaPSS(_, let mgf1, let salt) = self else { return }
        try check(EVP_PKEY_CTX_set_rsa_padding(context, RSA_PKCS1_PSS_PADDING), "EVP_PKEY_CTX_set_rsa_padding")
        try check(EVP_PKEY_CTX_set_rsa_pss_saltlen(context, Int32(salt)), "EVP_PKEY_CTX_set_rsa_pss_saltlen")
        try check(EVP_PKEY_CTX_set_rsa_mgf1_md(context, mgf1.evpMD), "EVP_PKEY_CTX_set_rsa_mgf1_md")
    }
}
