import COpenSSL
import Foundation

// Signature checks and key matching against a certificate's own key, without copying it
// into a `PublicKey` (OpenSSL 3 copies keys through its encoder/decoder framework, which
// costs more than an ECDSA verification).

extension Certificate {
    /// Checks `signature` over `message` with this certificate's public key.
    /// Returns false for a wrong signature; throws when the scheme does not fit the key.
    func verifySignature(_ signature: [UInt8], message: [UInt8], scheme: SignatureScheme) throws -> Bool {
        let key = try checkNotNull(X509_get0_pubkey(pointer), "X509_get0_pubkey")
        try scheme.requireCompatible(with: key)
        let context = try checkNotNull(EVP_MD_CTX_new(), "EVP_MD_CTX_new")
        defer { EVP_MD_CTX_free(context) }
        var keyContext: OpaquePointer?
        try check(EVP_DigestVerifyInit(context, &keyContext, scheme.digest?.evpMD, nil, key), "EVP_DigestVerifyInit")
        if let keyContext { try scheme.configure(keyContext) }
        let result = EVP_DigestVerify(context, signature, signature.count, message, message.count)
        OpenSSLError.clearQueue()
        return result == 1
    }

    /// Checks `signature` over a precomputed `digest` with this certificate's public key.
    func verifySignature(_ signature: [UInt8], digest value: [UInt8], scheme: SignatureScheme) throws -> Bool {
        let key = try checkNotNull(X509_get0_pubkey(pointer), "X509_get0_pubkey")
        try scheme.requireCompatible(with: key)
        guard let digest = scheme.digest else {
            throw CryptoError.unsupported("\(scheme) signatures cannot be checked against a precomputed digest")
        }
        guard value.count == digest.outputLength else { return false }
        let context = try checkNotNull(EVP_PKEY_CTX_new(key, nil), "EVP_PKEY_CTX_new")
        defer { EVP_PKEY_CTX_free(context) }
        try check(EVP_PKEY_verify_init(context), "EVP_PKEY_verify_init")
        try check(EVP_PKEY_CTX_set_signature_md(context, digest.evpMD), "EVP_PKEY_CTX_set_signature_md")
        try scheme.configure(context)
        let result = EVP_PKEY_verify(context, signature, signature.count, value, value.count)
        OpenSSLError.clearQueue()
        return result == 1
    }

    /// "EC P-256", "RSA 2048", ... of the certificate's key.
    var keyAlgorithmDescription: String {
        X509_get0_pubkey(pointer).map { SignetCrypto.keyAlgorithmDescription($0) } ?? "unreadable key"
    }

    /// The largest signature the certificate's key can produce.
    var maximumSignatureSize: Int {
        X509_get0_pubkey(pointer).map { Int(EVP_PKEY_get_size($0)) } ?? 0
    }

    /// Whether `key` is the private half of this certificate's public key.
    func matches(_ key: any CMSSigningKey) -> Bool {
        if let local = key as? PrivateKey {
            let result = X509_check_private_key(pointer, local.pointer)
            OpenSSLError.clearQueue()
            return result == 1
        }
        guard let spki = try? key.publicKey.spki else { return false }
        return spki == subjectPublicKeyInfo
    }
}

/// Parsed objects by DER, shared for the life of the process (`Certificate.parsedOnce(der:)`,
/// `CertificateRevocationList.parsedOnce(der:)`, `OCSPResponse.parsedOnce(der:)`): a verifier
/// meets the same chain in every signature, timestamp and validation-data store, and parsing
/// with OpenSSL 3 is slow (≈ 0.1 ms a certificate, more for a CRL). The objects are immutable,
/// so sharing them is safe, also between threads (the validation-data prefetch fills these
/// caches while a validation runs). Bounded; cleared when full.
final class ParsedDERCache<Object: AnyObject & Sendable>: @unchecked Sendable {
    // Unchecked Sendable: `entries` is only touched under `lock`.
    private let lock = NSLock()
    private var entries: [ByteKey: Object] = [:]
    private let limit: Int

    init(limit: Int) { self.limit = limit }

    /// The object with this DER encoding, parsed once. Parsing happens outside the lock: two
    /// threads asking for the same new object may both parse it; one result is kept.
    func object(der: [UInt8], parse: ([UInt8]) throws -> Object) throws -> Object {
        let key = ByteKey(der)
        if let cached = lock.withLock({ entries[key] }) { return cached }
        let object = try parse(der)
        lock.withLock {
            if entries.count >= limit { entries.removeAll(keepingCapacity: true) }
            entries[key] = object
        }
        return object
    }
}

/// The process-wide caches.
enum ParsedDERCaches {
    static let certificates = ParsedDERCache<Certificate>(limit: 512)
    static let crls = ParsedDERCache<CertificateRevocationList>(limit: 64)
    static let ocspResponses = ParsedDERCache<OCSPResponse>(limit: 256)
}

extension Certificate {
    /// The certificate with this DER encoding, parsed once per process and shared (a
    /// `Certificate` is immutable). For verifiers, which meet the same certificates in
    /// many places of one file.
    public static func parsedOnce(der: [UInt8]) throws -> Certificate {
        try ParsedDERCaches.certificates.object(der: der, parse: Certificate.init(der:))
    }
}

extension CertificateRevocationList {
    /// The CRL with this DER encoding, parsed once per process and shared (immutable).
    public static func parsedOnce(der: [UInt8]) throws -> CertificateRevocationList {
        try ParsedDERCaches.crls.object(der: der, parse: CertificateRevocationList.init(der:))
    }
}

extension OCSPResponse {
    /// The OCSP response with this DER encoding, parsed once per process and shared (immutable).
    public static func parsedOnce(der: [UInt8]) throws -> OCSPResponse {
        try ParsedDERCaches.ocspResponses.object(der: der, parse: OCSPResponse.init(der:))
    }
}
