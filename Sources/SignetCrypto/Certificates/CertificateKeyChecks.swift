import COpenSSL
import Synchronization
import FoundationEssentials

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

/// Parsed certificates by DER, shared across CMS structures, DSS entries and built chains
/// (`Certificate.parsedOnce(der:)`): a verifier meets the same chain in every signature,
/// timestamp and validation-data store, and parsing a certificate with OpenSSL 3 is slow
/// (≈ 0.1 ms). Certificates are immutable, so sharing them is safe. Bounded; cleared when full.
final class CMSCertificateCache: Sendable {
    static let shared = CMSCertificateCache(limit: 512)

    private let entries = Mutex<[ByteKey: Certificate]>([:])
    private let limit: Int

    init(limit: Int) { self.limit = limit }

    /// The certificate with this DER encoding, parsed once.
    func certificate(der: [UInt8]) throws -> Certificate {
        let key = ByteKey(der)
        if let cached = entries.withLock({ $0[key] }) { return cached }
        let certificate = try Certificate(der: der)
        entries.withLock { entries in
            if entries.count >= limit { entries.removeAll(keepingCapacity: true) }
            entries[key] = certificate
        }
        return certificate
    }
}

extension Certificate {
    /// The certificate with this DER encoding, parsed once per process and shared (a
    /// `Certificate` is immutable). For verifiers, which meet the same certificates in
    /// many places of one file.
    public static func parsedOnce(der: [UInt8]) throws -> Certificate {
        try CMSCertificateCache.shared.certificate(der: der)
    }
}
