import COpenSSL

/// A message digest algorithm used in signatures, certificates and timestamps.
public enum DigestAlgorithm: String, Sendable, CaseIterable, Codable, CustomStringConvertible {
    /// SHA-1 (verification of older signatures only).
    case sha1 = "SHA-1"
    /// SHA-224.
    case sha224 = "SHA-224"
    /// SHA-256.
    case sha256 = "SHA-256"
    /// SHA-384.
    case sha384 = "SHA-384"
    /// SHA-512.
    case sha512 = "SHA-512"
    /// SHA-512/256 (FIPS 180-4: SHA-512 with its own initial values, truncated to 256 bits).
    case sha512_256 = "SHA-512/256"
    /// SHA3-224.
    case sha3_224 = "SHA3-224"
    /// SHA3-256.
    case sha3_256 = "SHA3-256"
    /// SHA3-384.
    case sha3_384 = "SHA3-384"
    /// SHA3-512.
    case sha3_512 = "SHA3-512"
    /// SHAKE256 with a 512-bit output: the digest algorithm of Ed448 CMS signatures (RFC 8419).
    case shake256 = "SHAKE256"

    /// The standard name, e.g. "SHA-256" (the raw value). Explicit so that messages never
    /// fall back to reflection on the case name.
    public var description: String { rawValue }

    /// Length of a digest in bytes.
    public var outputLength: Int {
        switch self {
        case .sha1: 20
        case .sha224, .sha3_224: 28
        case .sha256, .sha512_256, .sha3_256: 32
        case .sha384, .sha3_384: 48
        case .sha512, .sha3_512, .shake256: 64
        }
    }

    /// The algorithm's dotted OID (as used in AlgorithmIdentifier). For SHAKE256 this is
    /// id-shake256-len, whose parameters give the output length (RFC 8419 §2.3).
    public var oid: String {
        switch self {
        case .sha1: "1.3.14.3.2.26"
        case .sha224: "2.16.840.1.101.3.4.2.4"
        case .sha256: "2.16.840.1.101.3.4.2.1"
        case .sha384: "2.16.840.1.101.3.4.2.2"
        case .sha512: "2.16.840.1.101.3.4.2.3"
        case .sha512_256: "2.16.840.1.101.3.4.2.6"
        case .sha3_224: "2.16.840.1.101.3.4.2.7"
        case .sha3_256: "2.16.840.1.101.3.4.2.8"
        case .sha3_384: "2.16.840.1.101.3.4.2.9"
        case .sha3_512: "2.16.840.1.101.3.4.2.10"
        case .shake256: "2.16.840.1.101.3.4.2.18"
        }
    }

    /// id-shake256 (RFC 8702: SHAKE256 with a 512-bit output, no parameters).
    static let shake256FixedLengthOID = "2.16.840.1.101.3.4.2.12"

    /// The algorithm named by a digest OID, if Signet supports it. The OID alone does not
    /// settle SHAKE256's output length; `CMSAlgorithmIdentifier.digestAlgorithm` checks it.
    public init?(oid: String) {
        if oid == Self.shake256FixedLengthOID { self = .shake256; return }
        guard let match = Self.allCases.first(where: { $0.oid == oid }) else { return nil }
        self = match
    }

    /// Whether this is an extendable-output function (finished with an explicit length).
    var isXOF: Bool { self == .shake256 }

    /// The OpenSSL digest, fetched once per process. Passing OpenSSL's legacy `EVP_sha256()`
    /// instead would make every digest and verification context fetch it again by name
    /// ("implicit fetching", which OpenSSL 3's documentation advises against for speed).
    var evpMD: OpaquePointer {
        switch self {
        case .sha1: FetchedDigests.sha1
        case .sha224: FetchedDigests.sha224
        case .sha256: FetchedDigests.sha256
        case .sha384: FetchedDigests.sha384
        case .sha512: FetchedDigests.sha512
        case .sha512_256: FetchedDigests.sha512_256
        case .sha3_224: FetchedDigests.sha3_224
        case .sha3_256: FetchedDigests.sha3_256
        case .sha3_384: FetchedDigests.sha3_384
        case .sha3_512: FetchedDigests.sha3_512
        case .shake256: FetchedDigests.shake256
        }
    }

    /// The digest of `bytes` in one call.
    public func hash<Bytes: Sequence>(_ bytes: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
        var hasher = Hasher(self)
        hasher.update(bytes)
        return hasher.finalize()
    }
}

/// Explicitly fetched EVP_MDs, kept for the life of the process. Should a provider refuse
/// one (e.g. SHA-1 under a FIPS configuration), the legacy constant stands in, so that the
/// failure surfaces where the digest is used, as before.
private enum FetchedDigests {
    // nonisolated(unsafe): set once by the lazy static initialiser (thread-safe); an EVP_MD
    // is immutable and OpenSSL allows using it from any number of threads at once.
    nonisolated(unsafe) static let sha1: OpaquePointer = EVP_MD_fetch(nil, "SHA1", nil) ?? EVP_sha1()
    nonisolated(unsafe) static let sha224: OpaquePointer = EVP_MD_fetch(nil, "SHA2-224", nil) ?? EVP_sha224()
    nonisolated(unsafe) static let sha256: OpaquePointer = EVP_MD_fetch(nil, "SHA2-256", nil) ?? EVP_sha256()
    nonisolated(unsafe) static let sha384: OpaquePointer = EVP_MD_fetch(nil, "SHA2-384", nil) ?? EVP_sha384()
    nonisolated(unsafe) static let sha512: OpaquePointer = EVP_MD_fetch(nil, "SHA2-512", nil) ?? EVP_sha512()
    nonisolated(unsafe) static let sha512_256: OpaquePointer = EVP_MD_fetch(nil, "SHA2-512/256", nil) ?? EVP_sha512_256()
    nonisolated(unsafe) static let sha3_224: OpaquePointer = EVP_MD_fetch(nil, "SHA3-224", nil) ?? EVP_sha3_224()
    nonisolated(unsafe) static let sha3_256: OpaquePointer = EVP_MD_fetch(nil, "SHA3-256", nil) ?? EVP_sha3_256()
    nonisolated(unsafe) static let sha3_384: OpaquePointer = EVP_MD_fetch(nil, "SHA3-384", nil) ?? EVP_sha3_384()
    nonisolated(unsafe) static let sha3_512: OpaquePointer = EVP_MD_fetch(nil, "SHA3-512", nil) ?? EVP_sha3_512()
    nonisolated(unsafe) static let shake256: OpaquePointer = EVP_MD_fetch(nil, "SHAKE-256", nil) ?? EVP_shake256()
}

/// Incremental hashing, e.g. over the two byte ranges of a PDF signature without copying.
///
/// Non-copyable: a context is consumed by `finalize()` and freed exactly once.
public struct Hasher: ~Copyable {
    private let context: OpaquePointer
    /// The algorithm this context computes.
    public let algorithm: DigestAlgorithm

    /// A fresh context for `algorithm`. Digest set-up of a built-in algorithm only fails
    /// when the process is out of memory, which is treated as fatal like any allocation.
    public init(_ algorithm: DigestAlgorithm) {
        self.algorithm = algorithm
        guard let ctx = EVP_MD_CTX_new(), EVP_DigestInit_ex(ctx, algorithm.evpMD, nil) == 1 else {
            fatalError("EVP_DigestInit_ex failed for \(algorithm): out of memory")
        }
        context = ctx
    }

    /// Feeds `bytes` into the digest.
    public mutating func update<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        let done: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            _ = EVP_DigestUpdate(context, buffer.baseAddress, buffer.count)
        }
        if done == nil {
            let array = Array(bytes)
            array.withUnsafeBufferPointer { _ = EVP_DigestUpdate(context, $0.baseAddress, $0.count) }
        }
    }

    /// Finishes the digest and releases the context.
    public consuming func finalize() -> [UInt8] {
        if algorithm.isXOF {
            var out = [UInt8](repeating: 0, count: algorithm.outputLength)
            EVP_DigestFinalXOF(context, &out, out.count)
            return out
        }
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        EVP_DigestFinal_ex(context, &out, &length)
        return Array(out.prefix(Int(length)))
    }

    deinit { EVP_MD_CTX_free(context) }
}

extension Sequence where Element == UInt8 {
    /// Lower-case hexadecimal, e.g. for printing digests.
    public var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
