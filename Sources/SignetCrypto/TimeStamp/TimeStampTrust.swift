public import FoundationEssentials
import COpenSSL

/// Trust for TSA certificates: explicit anchors only (never the system store), optional
/// intermediates, and the time at which the chain must be valid.
public struct TimeStampTrust: Sendable {
    /// Trust anchors. An anchor need not be self-signed (partial chains are accepted);
    /// OpenSSL matches it by subject name and verifies with its key.
    public var anchors: [Certificate]
    /// Untrusted certificates that may complete the chain (besides those in the token).
    public var intermediates: [Certificate]
    /// When every certificate of the chain must be valid: usually now, or a time proven by
    /// a later timestamp.
    public var validationTime: Date

    /// Trust in `anchors`, with `intermediates`, for chains valid at `validationTime`.
    public init(anchors: [Certificate], intermediates: [Certificate] = [], validationTime: Date = Date()) {
        self.anchors = anchors
        self.intermediates = intermediates
        self.validationTime = validationTime
    }

    /// Builds and checks the chain from `certificate` to an anchor for the timestamping
    /// purpose (leaf: critical EKU timeStamping only; CAs: basicConstraints), with
    /// signatures and validity at `validationTime`. Revocation is not checked here.
    ///
    /// - Returns: the chain, leaf first, anchor last.
    public func validateChain(for certificate: Certificate, untrusted: [Certificate] = []) throws(TimeStampError) -> [Certificate] {
        guard !anchors.isEmpty else { throw .untrusted("no trust anchor was supplied") }
        guard let store = X509_STORE_new() else { throw .untrusted("X509_STORE_new failed") }
        defer { X509_STORE_free(store) }
        for anchor in anchors where X509_STORE_add_cert(store, anchor.pointer) != 1 {
            OpenSSLError.clearQueue()  // a duplicate anchor is not an error
        }
        guard let stack = signet_sk_X509_new_null() else { throw .untrusted("sk_X509_new_null failed") }
        defer { signet_sk_X509_free(stack) }
        let pool = untrusted + intermediates
        for extra in pool { _ = signet_sk_X509_push(stack, extra.pointer) }
        guard let context = X509_STORE_CTX_new() else { throw .untrusted("X509_STORE_CTX_new failed") }
        defer { X509_STORE_CTX_free(context) }
        guard X509_STORE_CTX_init(context, store, certificate.pointer, stack) == 1 else {
            throw .untrusted(OpenSSLError.drain("X509_STORE_CTX_init").description)
        }
        _ = X509_STORE_CTX_set_purpose(context, X509_PURPOSE_TIMESTAMP_SIGN)
        let parameters = X509_STORE_CTX_get0_param(context)
        X509_VERIFY_PARAM_set_time(parameters, time_t(validationTime.timeIntervalSince1970.rounded(.down)))
        _ = X509_VERIFY_PARAM_set_flags(parameters, UInt(X509_V_FLAG_PARTIAL_CHAIN))
        OpenSSLError.clearQueue()
        let verified = X509_verify_cert(context)
        OpenSSLError.clearQueue()
        guard verified == 1 else {
            let code = X509_STORE_CTX_get_error(context)
            let depth = X509_STORE_CTX_get_error_depth(context)
            let reason = String(cString: X509_verify_cert_error_string(Int(code)))
            throw .untrusted("\(reason) (at depth \(depth))")
        }
        guard let chain = X509_STORE_CTX_get1_chain(context) else { throw .untrusted("no chain was built") }
        defer { signet_sk_X509_pop_free(chain) }
        let known = [certificate] + pool + anchors
        var result: [Certificate] = []
        for index in 0..<signet_sk_X509_num(chain) {
            guard let x509 = signet_sk_X509_value(chain, index),
                  let der = try? derEncode("i2d_X509", { i2d_X509(x509, $0) }) else {
                throw .untrusted("unreadable certificate in the built chain")
            }
            if let match = known.first(where: { $0.der == der }) {
                result.append(match)
            } else {
                do { result.append(try Certificate(der: der)) } catch { throw .untrusted("unreadable certificate in the built chain") }
            }
        }
        return result
    }
}
