import Synchronization

/// Parsed certificates by DER encoding, for one validation run: a verifier meets the same
/// chain in every signature, timestamp and validation-data store of a file, and parsing a
/// certificate with OpenSSL 3.0 is slow (≈ 0.1 ms). Sharing the parsed object also shares
/// its memo of signature checks (`VerificationMemo`).
///
/// The run that owns a cache (a document validation, a service request) creates it and
/// lets it go when done; there is no process-wide cache, so a long-lived server's memory
/// does not grow with every file it has seen. Bounded: cleared when `limit` is reached.
/// Certificates are immutable, so sharing them between threads is safe.
public final class CertificateCache: Sendable {
    private let entries = Mutex<[ByteKey: Certificate]>([:])
    private let limit: Int

    /// An empty cache holding at most `limit` certificates.
    public init(limit: Int = 512) { self.limit = max(1, limit) }

    /// The certificate with this DER encoding, parsed on first request.
    public func certificate(der: [UInt8]) throws -> Certificate {
        let key = ByteKey(der)
        if let cached = entries.withLock({ $0[key] }) { return cached }
        let certificate = try Certificate(der: der)
        entries.withLock { entries in
            if entries.count >= limit { entries.removeAll(keepingCapacity: true) }
            entries[key] = certificate
        }
        return certificate
    }

    /// How many certificates the cache holds now.
    public var count: Int { entries.withLock { $0.count } }
}
