import COpenSSL

/// A public key (SubjectPublicKeyInfo) held by OpenSSL.
public final class PublicKey: @unchecked Sendable, Equatable {
    // Unchecked Sendable: the EVP_PKEY is immutable after init; verification creates its
    // own context per call.
    let pointer: OpaquePointer

    /// The DER SubjectPublicKeyInfo, also the basis of equality.
    public let spki: [UInt8]

    /// Parses a DER SubjectPublicKeyInfo.
    public init(spki: [UInt8]) throws {
        pointer = try derDecode("d2i_PUBKEY", spki, free: EVP_PKEY_free) { d2i_PUBKEY(nil, $0, $1) }
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

    /// Equal when the SubjectPublicKeyInfo encodings are.
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

    /// Checks `signature` over `message` (hashed by the scheme's digest; EdDSA signs the
    /// message itself). Returns false for a wrong signature; throws when the scheme does
    /// not fit the key or OpenSSL cannot run it.
    public func verify(signature: [UInt8], message: some Collection<UInt8>, scheme: SignatureScheme) throws -> Bool {
        try verifySignature(signature, message: message, scheme: scheme, key: pointer)
    }

    /// Checks `signature` over a precomputed digest (not possible for EdDSA).
    public func verify(signature: [UInt8], digest value: [UInt8], scheme: SignatureScheme) throws -> Bool {
        try verifySignature(signature, digest: value, scheme: scheme, key: pointer)
    }
}
