import Foundation
import SignetCrypto

/// Parses a document's validation data (DSS certificates, CRLs and OCSP responses) on a
/// second thread, into the process-wide parse caches (`parsedOnce(der:)`), while the
/// validation reads the signatures, parses their CMS and digests the byte ranges.
///
/// OpenSSL 3.0 takes ≈ 0.1 ms for each certificate and more for a CRL; a DSS with twenty
/// certificates and a few CRLs is 2–4 ms of a verification, which this takes off the
/// critical path on a machine with a second core (docs/benchmarks.md, "Verification").
/// Whatever the thread has not parsed yet when it is needed is waited for, never parsed
/// twice by choice; nothing it parses is trusted for it (the caches only save parsing).
final class ValidationDataPrefetch: Sendable {
    private let finished = DispatchSemaphore(value: 0)

    /// Starts parsing on a new thread.
    init(certificates: [[UInt8]], crls: [[UInt8]], ocspResponses: [[UInt8]]) {
        let finished = finished
        let thread = Thread {
            // Failures are not reported here: the validation parses the same DER again
            // (a cache miss) and reports what cannot be read.
            for der in certificates { _ = try? Certificate.parsedOnce(der: der) }
            for der in crls { _ = try? CertificateRevocationList.parsedOnce(der: der) }
            for der in ocspResponses { _ = try? OCSPResponse.parsedOnce(der: der) }
            finished.signal()
        }
        thread.name = "signet-prefetch"
        thread.start()
    }

    /// Returns when the thread has parsed everything (at once after the first return).
    func wait() {
        finished.wait()
        finished.signal()
    }

    /// The thread never outlives its prefetch: a process must not exit while it is inside
    /// OpenSSL.
    deinit { finished.wait() }
}
