import COpenSSL

// Signature checks and key matching against a certificate's own key, without copying it
// into a `PublicKey` (OpenSSL 3 copies keys through its encoder/decoder framework, which
// costs more than an ECDSA verification).

extension Certificate {
    /// Checks `signature` over `message` with this certificate's public key.
    /// Returns false for a wrong signature; throws when the scheme does not fit the key.
    package func verifySignature(_ signature: [UInt8], message: [UInt8], scheme: SignatureScheme) throws -> Bool {
        try SignetCrypto.verifySignature(signature, message: message, scheme: scheme,
                                         key: try checkNotNull(X509_get0_pubkey(pointer), "X509_get0_pubkey"))
    }

    /// Checks `signature` over a precomputed `digest` with this certificate's public key.
    func verifySignature(_ signature: [UInt8], digest value: [UInt8], scheme: SignatureScheme) throws -> Bool {
        try SignetCrypto.verifySignature(signature, digest: value, scheme: scheme,
                                         key: try checkNotNull(X509_get0_pubkey(pointer), "X509_get0_pubkey"))
    }

    /// "EC P-256", "RSA 2048", ... of the certificate's key.
    var keyAlgorithmDescription: String {
        X509_get0_pubkey(pointer).map { SignetCrypto.keyAlgorithmDescription($0) } ?? "unreadable key"
    }

    /// The largest signature the certificate's key can produce.
    package var maximumSignatureSize: Int {
        X509_get0_pubkey(pointer).map { Int(EVP_PKEY_get_size($0)) } ?? 0
    }

    /// Whether `key` is the private half of this certificate's public key.
    package func matches(_ key: any CMSSigningKey) -> Bool {
        if let local = key as? PrivateKey {
            let result = X509_check_private_key(pointer, local.pointer)
            OpenSSLError.clearQueue()
            return result == 1
        }
        guard let spki = try? key.publicKey.spki else { return false }
        return spki == subjectPublicKeyInfo
    }
}
