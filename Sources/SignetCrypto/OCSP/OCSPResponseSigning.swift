package import FoundationEssentials
import COpenSSL

/// Building and signing OCSP responses (RFC 6960 §4.2) with OpenSSL, for SignetPKI's
/// `OCSPResponder`, which decides what to answer: the issuing side reaches OpenSSL only
/// through helpers like this one.
package enum OCSPResponseSigning {
    /// How the responder answers one CertID of a request.
    package enum Answer {
        /// A status for a certificate the responder answers for.
        case status(OCSPCertificateStatus)
        /// A CertID for another CA (or hashed with an unsupported algorithm): answered
        /// "unknown", and not counted as answered.
        case notIssuedHere
    }

    /// A refusal with an OCSP error status (malformedRequest, tryLater, unauthorized, ...).
    package struct Refusal: Error {
        package let status: OCSPResponseStatus
        package init(_ status: OCSPResponseStatus) { self.status = status }
    }

    /// The DER OCSPResponse answering `requestDER` at `date` (thisUpdate and producedAt;
    /// nextUpdate = `date` + `validity`), signed by `signer` with `key` (SHA-256), the
    /// signer certificate included and the request's nonce echoed. Never throws: a request
    /// that does not parse gets malformedRequest, one naming none of the responder's
    /// certificates unauthorized, a `Refusal` from `answer` its status, any other failure
    /// internalError.
    package static func respond(
        to requestDER: [UInt8], at date: Date, validity: TimeInterval, signer: Certificate, key: PrivateKey,
        responderIDByKeyHash: Bool, answer: (OCSPCertID) throws(Refusal) -> Answer
    ) -> [UInt8] {
        do {
            return try build(requestDER, at: date, validity: validity, signer: signer, key: key,
                             responderIDByKeyHash: responderIDByKeyHash, answer: answer)
        } catch let refusal as Refusal {
            return errorResponse(refusal.status)
        } catch {
            return errorResponse(.internalError)
        }
    }

    /// A DER OCSPResponse carrying only an error status.
    package static func errorResponse(_ status: OCSPResponseStatus) -> [UInt8] {
        OpenSSLError.clearQueue()
        guard let response = OCSP_response_create(Int32(status.rawValue), nil) else { return [] }
        defer { OCSP_RESPONSE_free(response) }
        return (try? derEncode("i2d_OCSP_RESPONSE") { i2d_OCSP_RESPONSE(response, $0) }) ?? []
    }

    private static func build(
        _ requestDER: [UInt8], at date: Date, validity: TimeInterval, signer: Certificate, key: PrivateKey,
        responderIDByKeyHash: Bool, answer: (OCSPCertID) throws(Refusal) -> Answer
    ) throws -> [UInt8] {
        OpenSSLError.clearQueue()
        guard let request = try? derDecode("d2i_OCSP_REQUEST", requestDER, free: OCSP_REQUEST_free, { d2i_OCSP_REQUEST(nil, $0, $1) }) else {
            throw Refusal(.malformedRequest)
        }
        defer { OCSP_REQUEST_free(request) }
        let count = OCSP_request_onereq_count(request)
        guard count > 0 else { throw Refusal(.malformedRequest) }

        let basic = try checkNotNull(OCSP_BASICRESP_new(), "OCSP_BASICRESP_new")
        defer { OCSP_BASICRESP_free(basic) }
        let thisUpdate = try checkNotNull(ASN1_TIME_set(nil, timeT(date)), "ASN1_TIME_set")
        defer { ASN1_TIME_free(thisUpdate) }
        let nextUpdate = try checkNotNull(ASN1_TIME_set(nil, timeT(date.addingTimeInterval(validity))), "ASN1_TIME_set")
        defer { ASN1_TIME_free(nextUpdate) }

        var answeredAny = false
        for index in 0..<count {
            let one = try checkNotNull(OCSP_request_onereq_get0(request, index), "OCSP_request_onereq_get0")
            let cid = try checkNotNull(OCSP_onereq_get0_id(one), "OCSP_onereq_get0_id")
            guard let certID = try? OCSPCertID(cid) else { throw Refusal(.malformedRequest) }
            switch try answer(certID) {
            case .notIssuedHere:
                try add(basic, cid, V_OCSP_CERTSTATUS_UNKNOWN, thisUpdate, nextUpdate)
            case .status(.good):
                answeredAny = true
                try add(basic, cid, V_OCSP_CERTSTATUS_GOOD, thisUpdate, nextUpdate)
            case .status(.unknown):
                answeredAny = true
                try add(basic, cid, V_OCSP_CERTSTATUS_UNKNOWN, thisUpdate, nextUpdate)
            case .status(.revoked(let time, let reason)):
                answeredAny = true
                let revokedAt = try checkNotNull(ASN1_TIME_set(nil, timeT(time)), "ASN1_TIME_set")
                defer { ASN1_TIME_free(revokedAt) }
                guard OCSP_basic_add1_status(basic, cid, V_OCSP_CERTSTATUS_REVOKED, Int32(reason?.rawValue ?? -1),
                                             revokedAt, thisUpdate, nextUpdate) != nil else {
                    throw OpenSSLError.drain("OCSP_basic_add1_status")
                }
            }
        }
        guard answeredAny else { throw Refusal(.unauthorized) }

        let copied = OCSP_copy_nonce(basic, request)  // 2: the request had no nonce
        guard copied == 1 || copied == 2 else { throw OpenSSLError.drain("OCSP_copy_nonce") }
        try check(signet_pki_ocsp_set_produced_at(basic, timeT(date)), "producedAt")
        var flags = UInt(OCSP_NOTIME)
        if responderIDByKeyHash { flags |= UInt(OCSP_RESPID_KEY) }
        // The signer certificate is included so delegated responses verify on their own.
        try check(OCSP_basic_sign(basic, signer.pointer, key.pointer, DigestAlgorithm.sha256.evpMD, nil, flags),
                  "OCSP_basic_sign")
        let response = try checkNotNull(OCSP_response_create(Int32(OCSPResponseStatus.successful.rawValue), basic),
                                        "OCSP_response_create")
        defer { OCSP_RESPONSE_free(response) }
        return try derEncode("i2d_OCSP_RESPONSE") { i2d_OCSP_RESPONSE(response, $0) }
    }

    private static func add(_ basic: OpaquePointer, _ cid: OpaquePointer, _ status: Int32,
                            _ thisUpdate: UnsafeMutablePointer<ASN1_TIME>, _ nextUpdate: UnsafeMutablePointer<ASN1_TIME>) throws {
        guard OCSP_basic_add1_status(basic, cid, status, -1, nil, thisUpdate, nextUpdate) != nil else {
            throw OpenSSLError.drain("OCSP_basic_add1_status")
        }
    }
}
