import Foundation

/// Remembers, for one immutable certificate, CRL or OCSP response, the outcome of each
/// signature check by the key (or signer) tried, and the object's own public key.
///
/// Validators meet the same objects many times — a CA in every path, a CRL for every
/// certificate it covers, a TSA for every timestamp — and OpenSSL 3 copies keys through
/// its encoder/decoder framework, while a P-384 verification costs about a millisecond.
/// A check's outcome depends only on the immutable object and the key, so remembering it
/// is exact. Bounded, so hostile inputs cannot grow it without limit.
final class VerificationMemo: @unchecked Sendable {
    // Unchecked Sendable: all state is behind `lock`.
    private let lock = NSLock()
    private var outcomes: [ByteKey: Bool] = [:]
    private var key: PublicKey?
    private static let capacity = 64

    /// The outcome for `key` (e.g. the issuer's SubjectPublicKeyInfo), computed once.
    func outcome(for key: [UInt8], _ check: () -> Bool) -> Bool {
        let key = ByteKey(key)
        if let known = lock.withLock({ outcomes[key] }) { return known }
        let result = check()
        lock.withLock {
            if outcomes.count >= Self.capacity { outcomes.removeAll(keepingCapacity: true) }
            outcomes[key] = result
        }
        return result
    }

    /// The object's public key, copied out of OpenSSL once.
    func publicKey(_ copy: () throws -> PublicKey) rethrows -> PublicKey {
        if let known = lock.withLock({ key }) { return known }
        let copied = try copy()
        lock.withLock { if key == nil { key = copied } }
        return copied
    }
}
