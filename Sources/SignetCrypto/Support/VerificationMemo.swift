import FoundationEssentials
import Synchronization

/// Remembers, for one immutable certificate, CRL or OCSP response, the outcome of each
/// signature check by the key (or signer) tried, and the object's own public key.
///
/// Validators meet the same objects many times — a CA in every path, a CRL for every
/// certificate it covers, a TSA for every timestamp — and OpenSSL 3 copies keys through
/// its encoder/decoder framework, while a P-384 verification costs about a millisecond.
/// A check's outcome depends only on the immutable object and the key, so remembering it
/// is exact. Bounded, so hostile inputs cannot grow it without limit.
final class VerificationMemo: Sendable {
    private struct State {
        var outcomes: [ByteKey: Bool] = [:]
        var key: PublicKey?
    }
    private let state = Mutex(State())
    private static let capacity = 64

    /// The outcome for `key` (e.g. the issuer's SubjectPublicKeyInfo), computed once.
    func outcome(for key: [UInt8], _ check: () -> Bool) -> Bool {
        let key = ByteKey(key)
        if let known = state.withLock({ $0.outcomes[key] }) { return known }
        let result = check()
        state.withLock { state in
            if state.outcomes.count >= Self.capacity { state.outcomes.removeAll(keepingCapacity: true) }
            state.outcomes[key] = result
        }
        return result
    }

    /// The object's public key, copied out of OpenSSL once.
    func publicKey(_ copy: () throws -> PublicKey) rethrows -> PublicKey {
        if let known = state.withLock({ $0.key }) { return known }
        let copied = try copy()
        state.withLock { if $0.key == nil { $0.key = copied } }
        return copied
    }
}
