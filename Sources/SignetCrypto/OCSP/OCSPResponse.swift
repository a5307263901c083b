public import FoundationEssentials
import COpenSSL

/// OCSPResponseStatus (RFC 6960 §4.2.1).
public enum OCSPResponseStatus: Int, Sendable, Hashable, CustomStringConvertible {
    /// The response carries an answer.
    case successful = 0
    /// The request did not parse.
    case malformedRequest = 1
    /// The responder failed.
    case internalError = 2
    /// Ask again later (e.g. the status store was unavailable).
    case tryLater = 3
    /// The responder wants signed requests.
    case sigRequired = 5
    /// The responder does not answer for these certificates.
    case unauthorized = 6

    /// The RFC 6960 name of the status.
    public var description: String {
        switch self {
        case .successful: "successful"
        case .malformedRequest: "malformedRequest"
        case .internalError: "internalError"
        case .tryLater: "tryLater"
        case .sigRequired: "sigRequired"
        case .unauthorized: "unauthorized"
        }
    }
}

/// The status of one certificate in a response.
public enum OCSPCertificateStatus: Sendable, Hashable, CustomStringConvertible {
    /// Not revoked.
    case good
    /// Revoked at `time`, with the reason when given.
    case revoked(time: Date, reason: RevocationReason?)
    /// The responder does not know the certificate.
    case unknown

    /// "good", "revoked at …" or "unknown".
    public var description: String {
        switch self {
        case .good: "good"
        case .revoked(let time, let reason): "revoked at \(time)\(reason.map { " (\($0))" } ?? "")"
        case .unknown: "unknown"
        }
    }
}

/// One SingleResponse: a CertID, its status and the validity interval of that information.
public struct OCSPSingleResponse: Sendable, Hashable {
    /// The certificate the answer is about.
    public let certID: OCSPCertID
    /// Its status.
    public let status: OCSPCertificateStatus
    /// When the status was known to be correct.
    public let thisUpdate: Date
    /// When newer information will be available, if the responder says.
    public let nextUpdate: Date?
}

/// How a response names its signer.
public enum OCSPResponderID: Sendable, Hashable, CustomStringConvertible {
    /// The responder's subject name.
    case byName(DistinguishedName)
    /// SHA-1 of the responder's subjectPublicKey BIT STRING.
    case byKeyHash([UInt8])

    /// The responder's name or key hash.
    public var description: String {
        switch self {
        case .byName(let name): "responder \(name)"
        case .byKeyHash(let hash): "responder with key hash \(hash.hexString)"
        }
    }

    /// Whether `certificate` is the one this ID names.
    public func matches(_ certificate: Certificate) -> Bool {
        switch self {
        case .byName(let name): return name.matches(certificate.subject)
        case .byKeyHash(let hash): return (try? certificate.publicKeySHA1()) == hash
        }
    }
}

/// Who signed a response, once its signature and authorization are verified.
public enum OCSPSignerAuthorization: Sendable, Hashable {
    /// The CA itself signed (same name and key as the certificate's issuer).
    case issuer(Certificate)
    /// A responder the CA delegated: issued by the CA, with extKeyUsage OCSPSigning.
    case delegated(responder: Certificate)

    /// The signing certificate.
    public var certificate: Certificate {
        switch self {
        case .issuer(let cert), .delegated(let cert): cert
        }
    }
}

/// An OCSP response (RFC 6960 §4.2): its status and, when successful, the basic response.
/// The raw DER is kept so PAdES can embed it in a DSS.
public final class OCSPResponse: @unchecked Sendable, Hashable, CustomStringConvertible {
    // Unchecked Sendable: the OCSP_BASICRESP is never mutated after parsing; signature
    // verification only reads it.
    private let basic: OpaquePointer?
    /// Signature-check outcomes by signer certificate (see `VerificationMemo`).
    private let verificationMemo = VerificationMemo()

    /// The DER OCSPResponse.
    public let der: [UInt8]
    /// The responseStatus.
    public let status: OCSPResponseStatus
    /// The remaining fields are set for successful basic responses only.
    public let responderID: OCSPResponderID?
    /// When the responder signed the response.
    public let producedAt: Date?
    /// Certificates the responder included (usually its own certificate).
    public let certificates: [Certificate]
    /// The single responses, in order.
    public let responses: [OCSPSingleResponse]
    /// The nonce extension value, if any.
    public let nonce: [UInt8]?

    /// Parses a DER OCSPResponse.
    public init(der: [UInt8]) throws {
        let response = try derDecode("d2i_OCSP_RESPONSE", der, free: OCSP_RESPONSE_free) { d2i_OCSP_RESPONSE(nil, $0, $1) }
        defer { OCSP_RESPONSE_free(response) }
        self.der = der
        let rawStatus = Int(OCSP_response_status(response))
        guard let status = OCSPResponseStatus(rawValue: rawStatus) else {
            throw CryptoError.malformed("OCSP response status \(rawStatus)")
        }
        self.status = status
        guard status == .successful else {
            basic = nil
            responderID = nil
            producedAt = nil
            certificates = []
            responses = []
            nonce = nil
            return
        }
        OpenSSLError.clearQueue()
        guard let basic = OCSP_response_get1_basic(response) else {
            OpenSSLError.clearQueue()
            throw OCSPError.unsupportedResponseType
        }
        self.basic = basic
        // A class whose initializer throws never runs its deinit: free the basic response here.
        do {
            var keyHash: UnsafePointer<ASN1_OCTET_STRING>?
            var name: OpaquePointer?
            try check(OCSP_resp_get0_id(basic, &keyHash, &name), "OCSP_resp_get0_id")
            if let name {
                responderID = .byName(try DistinguishedName(name))
            } else if let keyHash {
                responderID = .byKeyHash(asn1StringBytes(keyHash))
            } else {
                throw CryptoError.malformed("OCSP ResponderID")
            }
            producedAt = try asn1TimeToDate(try checkNotNull(OCSP_resp_get0_produced_at(basic), "OCSP_resp_get0_produced_at"))
            var certificates: [Certificate] = []
            if let stack = signet_pki_ocsp_certs(basic) {
                for index in 0..<signet_sk_X509_num(stack) {
                    guard let x509 = signet_sk_X509_value(stack, index) else { continue }
                    X509_up_ref(x509)
                    certificates.append(try Certificate(taking: x509))
                }
            }
            self.certificates = certificates
            responses = try (0..<OCSP_resp_count(basic)).map { index in
                try parseSingleResponse(try checkNotNull(OCSP_resp_get0(basic, index), "OCSP_resp_get0"))
            }
            nonce = readNonce { signet_pki_ocsp_response_nonce(basic, $0) }
        } catch {
            OCSP_BASICRESP_free(basic)
            throw error
        }
    }

    deinit { if let basic { OCSP_BASICRESP_free(basic) } }

    /// The single response about `certificate` issued by `issuer`, if the response has one.
    public func singleResponse(for certificate: Certificate, issuer: Certificate) -> OCSPSingleResponse? {
        responses.first { $0.certID.matches(certificate: certificate, issuer: issuer) }
    }

    /// Whether the signature verifies with `signer`'s key (and `signer` matches the
    /// ResponderID). Says nothing about whether `signer` may answer for a CA.
    public func isSignatureValid(signer: Certificate) -> Bool {
        guard let basic else { return false }
        return verificationMemo.outcome(for: signer.der) {
            let result = signet_pki_ocsp_verify_signature(basic, signer.pointer)
            OpenSSLError.clearQueue()
            return result == 1
        }
    }

    /// Finds the signer among the embedded certificates, `issuer` and
    /// `additionalCertificates`, verifies the signature, and checks that the signer is
    /// the CA itself or a responder it delegated (issued by `issuer`, extKeyUsage
    /// OCSPSigning; RFC 6960 §4.2.2.2). Validity of a delegated responder at
    /// `producedAt` and its own revocation are for the caller to judge.
    public func verifySigner(issuer: Certificate, additionalCertificates: [Certificate] = []) throws -> OCSPSignerAuthorization {
        try verifySigner(issuer: issuer, pool: CertificatePool(additionalCertificates))
    }

    /// `verifySigner(issuer:additionalCertificates:)` with the additional certificates in a
    /// pool, consulted only when neither `issuer` nor an embedded certificate signed.
    public func verifySigner(issuer: Certificate, pool: CertificatePool) throws -> OCSPSignerAuthorization {
        guard status == .successful, let responderID else { throw OCSPError.unsuccessful(status) }
        let signer = try signingCertificate(responderID, issuer: issuer, pool: pool)
        if signer.hasSameSubjectAndKey(as: issuer) { return .issuer(signer) }
        guard signer.isIssued(by: issuer) else {
            throw OCSPError.unauthorizedResponder(responder: signer.subject.displayString,
                                                  reason: "its certificate is not issued by \(issuer.subject.displayString)")
        }
        guard signer.extendedKeyUsage.contains(ExtendedKeyUsage.ocspSigning) else {
            throw OCSPError.unauthorizedResponder(responder: signer.subject.displayString,
                                                  reason: "its certificate lacks the OCSPSigning extended key usage")
        }
        return .delegated(responder: signer)
    }

    /// The first candidate whose key verifies the signature: `issuer` and the embedded
    /// certificates first, the pool's only when none of those did (as if all were one list).
    private func signingCertificate(_ responderID: OCSPResponderID, issuer: Certificate, pool: CertificatePool) throws -> Certificate {
        let own = ([issuer] + certificates).filter { responderID.matches($0) }
        if let signer = own.first(where: { isSignatureValid(signer: $0) }) { return signer }
        let supplied: [Certificate]
        switch responderID {
        case .byName(let name): supplied = pool.certificates(withSubject: name)
        case .byKeyHash: supplied = pool.all
        }
        let candidates = own + supplied.filter { responderID.matches($0) }
        guard let first = candidates.first else { throw OCSPError.responderCertificateNotFound(responderID: responderID.description) }
        guard let signer = candidates[own.count...].first(where: { isSignatureValid(signer: $0) }) else {
            throw OCSPError.badSignature(responder: first.subject.displayString)
        }
        return signer
    }

    /// Status, responder, production time and number of answers.
    public var description: String {
        guard status == .successful else { return "OCSPResponse(\(status))" }
        return "OCSPResponse(\(responderID.map { "\($0)" } ?? "?"), producedAt \(producedAt.map { "\($0)" } ?? "?"), \(responses.count) responses)"
    }

    /// Equal when the DER encodings are.
    public static func == (lhs: OCSPResponse, rhs: OCSPResponse) -> Bool { lhs.der == rhs.der }
    /// Hashes the DER encoding.
    public func hash(into hasher: inout Swift.Hasher) { hasher.combine(der) }
}

private func parseSingleResponse(_ single: OpaquePointer) throws -> OCSPSingleResponse {
    let certID = try OCSPCertID(try checkNotNull(OCSP_SINGLERESP_get0_id(single), "OCSP_SINGLERESP_get0_id"))
    var reason: Int32 = -1
    var revocationTime: UnsafeMutablePointer<ASN1_GENERALIZEDTIME>?
    var thisUpdate: UnsafeMutablePointer<ASN1_GENERALIZEDTIME>?
    var nextUpdate: UnsafeMutablePointer<ASN1_GENERALIZEDTIME>?
    let code = OCSP_single_get0_status(single, &reason, &revocationTime, &thisUpdate, &nextUpdate)
    let status: OCSPCertificateStatus
    switch code {
    case V_OCSP_CERTSTATUS_GOOD: status = .good
    case V_OCSP_CERTSTATUS_REVOKED:
        guard let revocationTime else { throw CryptoError.malformed("OCSP revoked status without a revocation time") }
        status = .revoked(time: try asn1TimeToDate(revocationTime), reason: reason >= 0 ? RevocationReason(rawValue: Int(reason)) : nil)
    case V_OCSP_CERTSTATUS_UNKNOWN: status = .unknown
    default: throw OpenSSLError.drain("OCSP_single_get0_status")
    }
    guard let thisUpdate else { throw CryptoError.malformed("OCSP single response without thisUpdate") }
    return OCSPSingleResponse(certID: certID, status: status, thisUpdate: try asn1TimeToDate(thisUpdate),
                              nextUpdate: try nextUpdate.map { try asn1TimeToDate($0) })
}
