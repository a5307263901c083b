import COpenSSL

/// An OCSP request (RFC 6960 §4.1): the CertIDs asked about and an optional nonce.
public struct OCSPRequest: Sendable, Hashable {
    /// The DER encoding (what is POSTed as application/ocsp-request).
    public let der: [UInt8]
    /// The certificates asked about.
    public let certIDs: [OCSPCertID]
    /// The nonce extension value, if any.
    public let nonce: [UInt8]?

    /// Parses a DER OCSPRequest.
    public init(der: [UInt8]) throws {
        let request = try derDecode("d2i_OCSP_REQUEST", der, free: OCSP_REQUEST_free) { d2i_OCSP_REQUEST(nil, $0, $1) }
        defer { OCSP_REQUEST_free(request) }
        self.der = der
        certIDs = try (0..<OCSP_request_onereq_count(request)).map { index in
            let one = try checkNotNull(OCSP_request_onereq_get0(request, index), "OCSP_request_onereq_get0")
            return try OCSPCertID(try checkNotNull(OCSP_onereq_get0_id(one), "OCSP_onereq_get0_id"))
        }
        nonce = readNonce { signet_pki_ocsp_request_nonce(request, $0) }
    }

    /// Builds a request for each (certificate, issuer) pair, with CertIDs hashed by
    /// `hashAlgorithm` (SHA-1 is what most responders expect) and a nonce.
    public init(
        certificates: [(certificate: Certificate, issuer: Certificate)],
        hashAlgorithm: DigestAlgorithm = .sha1,
        nonce: [UInt8]? = OCSPRequest.randomNonce()
    ) throws {
        guard !certificates.isEmpty else { throw OCSPError.emptyRequest }
        let request = try checkNotNull(OCSP_REQUEST_new(), "OCSP_REQUEST_new")
        defer { OCSP_REQUEST_free(request) }
        for (certificate, issuer) in certificates {
            let cid = try checkNotNull(OCSP_cert_to_id(hashAlgorithm.evpMD, certificate.pointer, issuer.pointer), "OCSP_cert_to_id")
            guard OCSP_request_add0_id(request, cid) != nil else {
                OCSP_CERTID_free(cid)
                throw OpenSSLError.drain("OCSP_request_add0_id")
            }
        }
        if var nonce {
            try check(OCSP_request_add1_nonce(request, &nonce, Int32(nonce.count)), "OCSP_request_add1_nonce")
        }
        try self.init(der: try derEncode("i2d_OCSP_REQUEST") { i2d_OCSP_REQUEST(request, $0) })
    }

    /// 16 random bytes (RFC 8954 allows 1 to 32).
    public static func randomNonce() -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 16)
        if RAND_bytes(&bytes, Int32(bytes.count)) != 1 {
            // The DRBG failing is not recoverable; never send a predictable nonce.
            OpenSSLError.clearQueue()
            for index in bytes.indices { bytes[index] = UInt8.random(in: 0...255) }
        }
        return bytes
    }
}

/// Reads a nonce through a shim that returns its length and an OPENSSL_malloc'd buffer.
func readNonce(_ read: (UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>) -> Int32) -> [UInt8]? {
    var buffer: UnsafeMutablePointer<UInt8>?
    let length = read(&buffer)
    defer { signet_OPENSSL_free(buffer) }
    OpenSSLError.clearQueue()
    guard length >= 0, let buffer else { return nil }
    return Array(UnsafeBufferPointer(start: buffer, count: Int(length)))
}
