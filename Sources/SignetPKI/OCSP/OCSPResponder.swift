public import FoundationEssentials
import COpenSSL

/// An OCSP responder (RFC 6960) for the certificates of one CA, signing with the CA key
/// or with a delegated responder certificate (extKeyUsage OCSPSigning, issued by the CA).
///
/// `respond(to:at:)` never throws: a request it cannot parse gets `malformedRequest`, a
/// status lookup that fails gets `tryLater`, and a request naming none of this CA's
/// certificates gets `unauthorized` — all as DER OCSPResponses ready to send.
public struct OCSPResponder: Sendable {
    /// The CA whose certificates this responder answers for.
    public let issuer: Certificate
    /// The certificate that signs the responses.
    public let signerCertificate: Certificate
    private let signerKey: PrivateKey
    private let statusProvider: any CertificateStatusProvider
    /// How long an answer may be relied on: nextUpdate = thisUpdate + validity.
    public var validity: TimeInterval
    /// Name the signer by key hash instead of by name in ResponderID.
    public var responderIDByKeyHash = false

    /// A responder for `issuer`'s certificates. The signer must be the CA itself or a
    /// certificate issued by it with extKeyUsage OCSPSigning, and `signerKey` its key.
    public init(
        issuer: Certificate, signerCertificate: Certificate, signerKey: PrivateKey,
        statusProvider: any CertificateStatusProvider, validity: TimeInterval = 24 * 3600
    ) throws {
        guard try signerCertificate.publicKey == signerKey.publicKey else {
            throw CertificateAuthorityError.keyDoesNotMatchCertificate(subject: signerCertificate.subject.displayString)
        }
        if !signerCertificate.hasSameSubjectAndKey(as: issuer) {
            guard signerCertificate.isIssued(by: issuer) else {
                throw OCSPError.invalidResponderCertificate("\(signerCertificate.subject.displayString) is not issued by \(issuer.subject.displayString)")
            }
            guard signerCertificate.extendedKeyUsage.contains(ExtendedKeyUsage.ocspSigning) else {
                throw OCSPError.invalidResponderCertificate("\(signerCertificate.subject.displayString) lacks the OCSPSigning extended key usage")
            }
        }
        guard validity > 0 else { throw OCSPError.invalidResponderCertificate("the answer validity must be positive") }
        self.issuer = issuer
        self.signerCertificate = signerCertificate
        self.signerKey = signerKey
        self.statusProvider = statusProvider
        self.validity = validity
    }

    /// Answers a DER OCSPRequest at `date` (thisUpdate and producedAt).
    public func respond(to requestDER: [UInt8], at date: Date = Date()) -> [UInt8] {
        do {
            return try buildResponse(requestDER, at: date)
        } catch let failure as ResponderFailure {
            return Self.errorResponse(failure.status)
        } catch {
            return Self.errorResponse(.internalError)
        }
    }

    /// A DER OCSPResponse carrying only an error status.
    public static func errorResponse(_ status: OCSPResponseStatus) -> [UInt8] {
        OpenSSLError.clearQueue()
        guard let response = OCSP_response_create(Int32(status.rawValue), nil) else { return [] }
        defer { OCSP_RESPONSE_free(response) }
        return (try? derEncode("i2d_OCSP_RESPONSE") { i2d_OCSP_RESPONSE(response, $0) }) ?? []
    }

    private struct ResponderFailure: Error { let status: OCSPResponseStatus }

    private func buildResponse(_ requestDER: [UInt8], at date: Date) throws -> [UInt8] {
        OpenSSLError.clearQueue()
        guard let request = try? derDecode("d2i_OCSP_REQUEST", requestDER, { d2i_OCSP_REQUEST(nil, $0, $1) }) else {
            throw ResponderFailure(status: .malformedRequest)
        }
        defer { OCSP_REQUEST_free(request) }
        let count = OCSP_request_onereq_count(request)
        guard count > 0 else { throw ResponderFailure(status: .malformedRequest) }

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
            guard let certID = try? OCSPCertID(cid) else { throw ResponderFailure(status: .malformedRequest) }
            // A CertID for another CA (or with a hash Signet does not support) is "unknown".
            guard certID.isIssued(by: issuer) else {
                try add(basic, cid, V_OCSP_CERTSTATUS_UNKNOWN, thisUpdate, nextUpdate)
                continue
            }
            answeredAny = true
            let status: CertificateStatus
            do {
                status = try statusProvider.status(ofSerialNumber: certID.serialNumber)
            } catch {
                throw ResponderFailure(status: .tryLater)
            }
            switch status {
            case .good:
                try add(basic, cid, V_OCSP_CERTSTATUS_GOOD, thisUpdate, nextUpdate)
            case .unknown:
                try add(basic, cid, V_OCSP_CERTSTATUS_UNKNOWN, thisUpdate, nextUpdate)
            case .revoked(let entry):
                let revokedAt = try checkNotNull(ASN1_TIME_set(nil, timeT(entry.revocationDate)), "ASN1_TIME_set")
                defer { ASN1_TIME_free(revokedAt) }
                guard OCSP_basic_add1_status(basic, cid, V_OCSP_CERTSTATUS_REVOKED, Int32(entry.reason?.rawValue ?? -1),
                                             revokedAt, thisUpdate, nextUpdate) != nil else {
                    throw OpenSSLError.drain("OCSP_basic_add1_status")
                }
            }
        }
        guard answeredAny else { throw ResponderFailure(status: .unauthorized) }

        let copied = OCSP_copy_nonce(basic, request)  // 2: the request had no nonce
        guard copied == 1 || copied == 2 else { throw OpenSSLError.drain("OCSP_copy_nonce") }
        try check(signet_pki_ocsp_set_produced_at(basic, timeT(date)), "producedAt")
        var flags = UInt(OCSP_NOTIME)
        if responderIDByKeyHash { flags |= UInt(OCSP_RESPID_KEY) }
        // The signer certificate is included so delegated responses verify on their own.
        try check(OCSP_basic_sign(basic, signerCertificate.pointer, signerKey.pointer, DigestAlgorithm.sha256.evpMD, nil, flags),
                  "OCSP_basic_sign")
        let response = try checkNotNull(OCSP_response_create(Int32(OCSPResponseStatus.successful.rawValue), basic),
                                        "OCSP_response_create")
        defer { OCSP_RESPONSE_free(response) }
        return try derEncode("i2d_OCSP_RESPONSE") { i2d_OCSP_RESPONSE(response, $0) }
    }

    private func add(_ basic: OpaquePointer, _ cid: OpaquePointer, _ status: Int32,
                     _ thisUpdate: UnsafeMutablePointer<ASN1_TIME>, _ nextUpdate: UnsafeMutablePointer<ASN1_TIME>) throws {
        guard OCSP_basic_add1_status(basic, cid, status, -1, nil, thisUpdate, nextUpdate) != nil else {
            throw OpenSSLError.drain("OCSP_basic_add1_status")
        }
    }
}
