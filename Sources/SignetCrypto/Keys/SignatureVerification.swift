import COpenSSL

// Signature checks with an EVP_PKEY, shared by `PublicKey` and `Certificate` (which checks
// with its own key without copying it).

/// Checks `signature` over `message` with `key` under `scheme` (the scheme's digest is
/// applied to the message; EdDSA signs it as it is).
///
/// Returns false for a wrong signature, including a plain ECDSA value of the wrong length.
/// Throws `SignatureKeyMismatch` when the key cannot make signatures of this scheme, and
/// other errors when OpenSSL cannot run the scheme at all (a digest it does not offer for it).
func verifySignature(_ signature: [UInt8], message: some Collection<UInt8>, scheme: SignatureScheme,
                     key: OpaquePointer) throws -> Bool {
    try scheme.requireCompatible(with: key)
    guard let value = scheme.openSSLEncoding(of: signature, key: key) else { return false }
    let context = try checkNotNull(EVP_MD_CTX_new(), "EVP_MD_CTX_new")
    defer { EVP_MD_CTX_free(context) }
    try scheme.settingUp(key) {
        var keyContext: OpaquePointer?
        try check(EVP_DigestVerifyInit(context, &keyContext, scheme.digest?.evpMD, nil, key), "EVP_DigestVerifyInit")
        if let keyContext { try scheme.configure(keyContext) }
    }
    let bytes = Array(message)
    let result = EVP_DigestVerify(context, value, value.count, bytes, bytes.count)
    OpenSSLError.clearQueue()
    return result == 1
}

/// Checks `signature` over a precomputed `digest` (computed with the scheme's digest) with
/// `key`; not possible for EdDSA, which signs messages, not digests. Errors as above.
func verifySignature(_ signature: [UInt8], digest value: [UInt8], scheme: SignatureScheme,
                     key: OpaquePointer) throws -> Bool {
    try scheme.requireCompatible(with: key)
    guard let digest = scheme.digest else {
        throw CryptoError.unsupported("\(scheme) signatures cannot be checked against a precomputed digest")
    }
    guard value.count == digest.outputLength, let encoded = scheme.openSSLEncoding(of: signature, key: key) else { return false }
    let context = try checkNotNull(EVP_PKEY_CTX_new(key, nil), "EVP_PKEY_CTX_new")
    defer { EVP_PKEY_CTX_free(context) }
    try scheme.settingUp(key) {
        try check(EVP_PKEY_verify_init(context), "EVP_PKEY_verify_init")
        try check(EVP_PKEY_CTX_set_signature_md(context, digest.evpMD), "EVP_PKEY_CTX_set_signature_md")
        try scheme.configure(context)
    }
    let result = EVP_PKEY_verify(context, encoded, encoded.count, value, value.count)
    OpenSSLError.clearQueue()
    return result == 1
}

extension SignatureScheme {
    /// The signature value as OpenSSL takes it: DER (r, s) for plain ECDSA (nil when the
    /// value is not twice the length of the curve's order), the value itself otherwise.
    func openSSLEncoding(of signature: [UInt8], key: OpaquePointer) -> [UInt8]? {
        guard case .ecdsaPlain = self else { return signature }
        return ECDSASignatureEncoding.der(fromPlain: signature, orderLength: Self.orderLength(of: key))
    }

    /// The byte length of an EC key's group order (OpenSSL's "bits" of an EC key are the order's).
    static func orderLength(of key: OpaquePointer) -> Int { (Int(EVP_PKEY_get_bits(key)) + 7) / 8 }

    /// Runs the OpenSSL set-up of a signing or verification context. An RSASSA-PSS key
    /// restricts the parameters it may be used with; OpenSSL refusing the scheme's
    /// parameters there means the key cannot have made such a signature.
    func settingUp(_ key: OpaquePointer, _ body: () throws -> Void) throws {
        do {
            try body()
        } catch {
            guard EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA_PSS else { throw error }
            throw SignatureKeyMismatch(scheme: self, key: "\(keyAlgorithmDescription(key)) (restricted by its parameters)")
        }
    }
}
