import FoundationEssentials
import COpenSSL

/// The kind of key to generate.
public enum KeySpec: Sendable, Hashable, CustomStringConvertible {
    /// ECDSA on NIST P-256 (the event-certificate default).
    case p256
    /// ECDSA on NIST P-384.
    case p384
    /// ECDSA on NIST P-521.
    case p521
    /// ECDSA on a Brainpool curve (RFC 5639; used by European qualified signature devices).
    case brainpoolP256r1, brainpoolP384r1, brainpoolP512r1
    /// RSA with a modulus of `bits` (2048 to 4096).
    case rsa(bits: Int)
    /// An RSASSA-PSS key (id-RSASSA-PSS, RFC 4055), usable only for PSS signatures.
    case rsaPSS(bits: Int)
    /// Ed25519 / Ed448 (RFC 8410); these sign messages, not precomputed digests.
    case ed25519, ed448

    /// "EC P-256", "RSA 3072", ...
    public var description: String {
        switch self {
        case .rsa(let bits): "RSA \(bits)"
        case .rsaPSS(let bits): "RSA-PSS \(bits)"
        case .ed25519: "Ed25519"
        case .ed448: "Ed448"
        default: "EC \(curve ?? "")"
        }
    }

    /// The OpenSSL group name of an EC key.
    var curve: String? {
        switch self {
        case .p256: "P-256"
        case .p384: "P-384"
        case .p521: "P-521"
        case .brainpoolP256r1: "brainpoolP256r1"
        case .brainpoolP384r1: "brainpoolP384r1"
        case .brainpoolP512r1: "brainpoolP512r1"
        case .rsa, .rsaPSS, .ed25519, .ed448: nil
        }
    }

    /// The OpenSSL key type name.
    var keyType: String {
        switch self {
        case .rsa: "RSA"
        case .rsaPSS: "RSA-PSS"
        case .ed25519: "ED25519"
        case .ed448: "ED448"
        default: "EC"
        }
    }
}

/// A private key (EC, RSA or EdDSA) held by OpenSSL.
///
/// Never logged: `description` shows only the algorithm. The key material is freed — and
/// cleared by OpenSSL — when the last reference goes away.
public final class PrivateKey: @unchecked Sendable, CustomStringConvertible {
    // Unchecked Sendable: the EVP_PKEY is never mutated after init; OpenSSL allows
    // concurrent signing with one key (each operation gets its own EVP_PKEY_CTX).
    let pointer: OpaquePointer

    init(taking pointer: OpaquePointer) { self.pointer = pointer }

    deinit { EVP_PKEY_free(pointer) }

    /// Generates a fresh key.
    public static func generate(_ spec: KeySpec) throws -> PrivateKey {
        switch spec {
        case .rsa(let bits), .rsaPSS(let bits):
            guard (2048...4096).contains(bits) else {
                throw CryptoError.unsupported("RSA keys of \(bits) bits (2048 to 4096 are supported)")
            }
        default: break
        }
        let ctx = try checkNotNull(EVP_PKEY_CTX_new_from_name(nil, spec.keyType, nil), "EVP_PKEY_CTX_new_from_name")
        defer { EVP_PKEY_CTX_free(ctx) }
        try check(EVP_PKEY_keygen_init(ctx), "EVP_PKEY_keygen_init")
        switch spec {
        case .rsa(let bits), .rsaPSS(let bits):
            try check(EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, Int32(bits)), "EVP_PKEY_CTX_set_rsa_keygen_bits")
        default:
            if let curve = spec.curve { try check(EVP_PKEY_CTX_set_group_name(ctx, curve), "EVP_PKEY_CTX_set_group_name") }
        }
        var key: OpaquePointer?
        try check(EVP_PKEY_generate(ctx, &key), "EVP_PKEY_generate")
        return PrivateKey(taking: try checkNotNull(key, "EVP_PKEY_generate"))
    }

    /// Reads a PEM private key (PKCS#8, encrypted PKCS#8, or traditional EC/RSA form).
    /// An encrypted key needs `passphrase`; OpenSSL is never allowed to prompt.
    public convenience init(pem: String, passphrase: String? = nil) throws {
        let bio = try MemoryBIO(Array(pem.utf8))
        OpenSSLError.clearQueue()
        let key = passphrase.withOptionalCString { pass in
            PEM_read_bio_PrivateKey(bio.pointer, nil, signet_pem_password_cb, UnsafeMutableRawPointer(mutating: pass))
        }
        guard let key else {
            if isPassphraseProtectedKey(pem: pem[...]) { OpenSSLError.clearQueue(); throw CryptoError.wrongPassphrase }
            throw OpenSSLError.drain("PEM_read_bio_PrivateKey")
        }
        self.init(taking: key)
    }

    /// Reads a DER private key: PKCS#8 PrivateKeyInfo, or EncryptedPrivateKeyInfo with `passphrase`.
    public convenience init(der: [UInt8], passphrase: String? = nil) throws {
        let bio = try MemoryBIO(der)
        OpenSSLError.clearQueue()
        var key: OpaquePointer?
        if let passphrase {
            key = passphrase.withCString { pass in
                d2i_PKCS8PrivateKey_bio(bio.pointer, nil, signet_pem_password_cb, UnsafeMutableRawPointer(mutating: pass))
            }
            if key == nil { OpenSSLError.clearQueue(); throw CryptoError.wrongPassphrase }
        } else {
            key = d2i_PrivateKey_bio(bio.pointer, nil)
        }
        self.init(taking: try checkNotNull(key, "d2i_PrivateKey_bio"))
    }

    /// Reads a PEM private key file.
    public convenience init(contentsOfFile path: String, passphrase: String? = nil) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CryptoError.io(path: path, reason: "cannot read the private key file")
        }
        try self.init(pem: String(decoding: data, as: UTF8.self), passphrase: passphrase)
    }

    /// PKCS#8 PEM; encrypted with AES-256-CBC (PBKDF2) when a passphrase is given.
    public func pemPKCS8(passphrase: String? = nil) throws -> String {
        let bio = try MemoryBIO()
        try withPKCS8Cipher(passphrase) { cipher, pass, length in
            try check(PEM_write_bio_PKCS8PrivateKey(bio.pointer, pointer, cipher, pass, length, nil, nil),
                      "PEM_write_bio_PKCS8PrivateKey")
        }
        return bio.string
    }

    /// PKCS#8 DER (PrivateKeyInfo, or EncryptedPrivateKeyInfo when a passphrase is given).
    public func derPKCS8(passphrase: String? = nil) throws -> [UInt8] {
        let bio = try MemoryBIO()
        try withPKCS8Cipher(passphrase) { cipher, pass, length in
            try check(i2d_PKCS8PrivateKey_bio(bio.pointer, pointer, cipher, pass, length, nil, nil),
                      "i2d_PKCS8PrivateKey_bio")
        }
        return bio.contents
    }

    private func withPKCS8Cipher(
        _ passphrase: String?,
        _ body: (OpaquePointer?, UnsafeMutablePointer<CChar>?, Int32) throws -> Void
    ) throws {
        guard let passphrase else { return try body(nil, nil, 0) }
        var chars = Array(passphrase.utf8CString)
        defer { for i in chars.indices { chars[i] = 0 } }
        try chars.withUnsafeMutableBufferPointer { buffer in
            try body(EVP_aes_256_cbc(), buffer.baseAddress, Int32(buffer.count - 1))
        }
    }

    /// Writes the key as PKCS#8 PEM to `path` with mode 0600, atomically, never replacing
    /// an existing file unless `overwrite` is set.
    public func write(toFile path: String, passphrase: String? = nil, overwrite: Bool = false) throws {
        try SecureFile.write(Array(try pemPKCS8(passphrase: passphrase).utf8), to: path, mode: 0o600, overwrite: overwrite)
    }

    /// The matching public key.
    public var publicKey: PublicKey {
        get throws {
            let der = try derEncode("i2d_PUBKEY") { i2d_PUBKEY(pointer, $0) }
            return try PublicKey(spki: der)
        }
    }

    /// What kind of key this is.
    public var algorithmDescription: String { keyAlgorithmDescription(pointer) }

    /// The algorithm only, never key material.
    public var description: String { "PrivateKey(\(algorithmDescription))" }

    /// Signs `message`, hashing it with `digest` (ECDSA signatures are DER-encoded;
    /// RSA uses PKCS#1 v1.5).
    public func sign(_ message: some Collection<UInt8>, digest: DigestAlgorithm) throws -> [UInt8] {
        let ctx = try checkNotNull(EVP_MD_CTX_new(), "EVP_MD_CTX_new")
        defer { EVP_MD_CTX_free(ctx) }
        try check(EVP_DigestSignInit(ctx, nil, digest.evpMD, nil, pointer), "EVP_DigestSignInit")
        let bytes = Array(message)
        var length = 0
        try check(EVP_DigestSign(ctx, nil, &length, bytes, bytes.count), "EVP_DigestSign")
        var signature = [UInt8](repeating: 0, count: length)
        try check(EVP_DigestSign(ctx, &signature, &length, bytes, bytes.count), "EVP_DigestSign")
        return Array(signature.prefix(length))
    }

    /// Signs an already computed digest (e.g. of CMS signed attributes or a TSA request)
    /// with OpenSSL's default for the key: DER ECDSA, or RSA PKCS#1 v1.5.
    public func sign(digest value: [UInt8], algorithm: DigestAlgorithm) throws -> [UInt8] {
        try signDigest(value, algorithm: algorithm, scheme: nil)
    }

    /// Signs an already computed digest with `scheme` (ECDSA in DER or plain form, RSA
    /// PKCS#1 v1.5 or PSS); `value` is computed with the scheme's digest. EdDSA signs
    /// messages, never digests.
    public func sign(digest value: [UInt8], scheme: SignatureScheme) throws -> [UInt8] {
        try scheme.requireSigningKey(pointer)
        guard let algorithm = scheme.digest else {
            throw CryptoError.unsupported("\(scheme) cannot sign a precomputed digest")
        }
        let signature = try signDigest(value, algorithm: algorithm, scheme: scheme)
        guard case .ecdsaPlain = scheme else { return signature }
        guard let plain = ECDSASignatureEncoding.plain(fromDER: signature, orderLength: SignatureScheme.orderLength(of: pointer)) else {
            throw CryptoError.malformed("OpenSSL returned an ECDSA signature that does not fit the curve")
        }
        return plain
    }

    private func signDigest(_ value: [UInt8], algorithm: DigestAlgorithm, scheme: SignatureScheme?) throws -> [UInt8] {
        guard value.count == algorithm.outputLength else {
            throw CryptoError.malformed("a \(algorithm) digest is \(algorithm.outputLength) bytes, got \(value.count)")
        }
        let ctx = try checkNotNull(EVP_PKEY_CTX_new(pointer, nil), "EVP_PKEY_CTX_new")
        defer { EVP_PKEY_CTX_free(ctx) }
        try check(EVP_PKEY_sign_init(ctx), "EVP_PKEY_sign_init")
        try check(EVP_PKEY_CTX_set_signature_md(ctx, algorithm.evpMD), "EVP_PKEY_CTX_set_signature_md")
        try scheme?.configure(ctx)
        var length = 0
        try check(EVP_PKEY_sign(ctx, nil, &length, value, value.count), "EVP_PKEY_sign")
        var signature = [UInt8](repeating: 0, count: length)
        try check(EVP_PKEY_sign(ctx, &signature, &length, value, value.count), "EVP_PKEY_sign")
        return Array(signature.prefix(length))
    }
}

extension Optional where Wrapped == String {
    /// Calls `body` with a C string, or with nil when there is no string.
    func withOptionalCString<R>(_ body: (UnsafePointer<CChar>?) throws -> R) rethrows -> R {
        switch self {
        case .some(let string): try string.withCString { try body($0) }
        case .none: try body(nil)
        }
    }
}

/// "EC P-256", "RSA 3072", ... for any EVP_PKEY.
func keyAlgorithmDescription(_ key: OpaquePointer) -> String {
    let bits = EVP_PKEY_get_bits(key)
    switch EVP_PKEY_get_base_id(key) {
    case EVP_PKEY_EC:
        var name = [CChar](repeating: 0, count: 64)
        var length = 0
        if EVP_PKEY_get_utf8_string_param(key, "group", &name, name.count, &length) == 1 {
            let group = String(decoding: name.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            switch group {
            case "prime256v1", "P-256": return "EC P-256"
            case "secp384r1", "P-384": return "EC P-384"
            case "secp521r1", "P-521": return "EC P-521"
            default: return "EC \(group)"
            }
        }
        return "EC \(bits)"
    case EVP_PKEY_RSA: return "RSA \(bits)"
    case EVP_PKEY_RSA_PSS: return "RSA-PSS \(bits)"
    case EVP_PKEY_ED25519: return "Ed25519"
    case EVP_PKEY_ED448: return "Ed448"
    case EVP_PKEY_DSA: return "DSA \(bits)"
    default: return "key type \(EVP_PKEY_get_base_id(key)) (\(bits) bits)"
    }
}
