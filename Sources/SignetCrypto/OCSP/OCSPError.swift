/// Why an OCSP request or response could not be built, read or trusted.
public enum OCSPError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The response status is not "successful", so there is no signed answer.
    case unsuccessful(OCSPResponseStatus)
    /// The response type is not id-pkix-ocsp-basic.
    case unsupportedResponseType
    /// No certificate matching the ResponderID was among the embedded or supplied ones.
    case responderCertificateNotFound(responderID: String)
    /// The response's signature does not verify with the responder's key.
    case badSignature(responder: String)
    /// The signer is neither the CA nor a responder the CA delegated (RFC 6960 §4.2.2.2).
    case unauthorizedResponder(responder: String, reason: String)
    /// The responder certificate cannot sign for this CA.
    case invalidResponderCertificate(String)
    /// A request must name at least one certificate.
    case emptyRequest

    /// A stable, machine-readable code for the case, e.g. `ocsp.unsuccessful` (docs/error-codes.md):
    /// for programs and the API's problem details; `description` is for people.
    public var code: String {
        switch self {
        case .unsuccessful: "ocsp.unsuccessful"
        case .unsupportedResponseType: "ocsp.unsupported_response_type"
        case .responderCertificateNotFound: "ocsp.responder_certificate_not_found"
        case .badSignature: "ocsp.bad_signature"
        case .unauthorizedResponder: "ocsp.unauthorized_responder"
        case .invalidResponderCertificate: "ocsp.invalid_responder_certificate"
        case .emptyRequest: "ocsp.empty_request"
        }
    }

    /// What is wrong, in words.
    public var description: String {
        switch self {
        case .unsuccessful(let status): "the OCSP responder answered \(status), not a signed status"
        case .unsupportedResponseType: "the OCSP response is not a basic OCSP response"
        case .responderCertificateNotFound(let id):
            "the OCSP responder's certificate (\(id)) is neither in the response nor among the supplied certificates"
        case .badSignature(let responder): "the OCSP response signature does not verify with the key of \(responder)"
        case .unauthorizedResponder(let responder, let reason): "\(responder) is not authorized to answer for this CA: \(reason)"
        case .invalidResponderCertificate(let reason): "unusable OCSP responder certificate: \(reason)"
        case .emptyRequest: "an OCSP request must name at least one certificate"
        }
    }
}
