public import FoundationEssentials

/// Why a certificate or a CA could not be built or used to issue.
public enum CertificateAuthorityError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A name attribute was refused (empty, wrong length or characters for its type).
    case invalidNameAttribute(type: String, value: String, reason: String)
    /// notBefore is not before notAfter.
    case invalidValidity(notBefore: Date, notAfter: Date)
    /// The requested validity does not lie within the issuing certificate's validity.
    case validityOutsideIssuer(notBefore: Date, notAfter: Date, issuerNotBefore: Date, issuerNotAfter: Date)
    /// The private key does not belong to the certificate.
    case keyDoesNotMatchCertificate(subject: String)
    /// The certificate cannot issue certificates (no basicConstraints cA, or no keyCertSign).
    case notACertificateAuthority(subject: String, reason: String)
    /// A serial number must be positive and at most 20 bytes (RFC 5280 §4.1.2.2).
    case invalidSerialNumber(String)
    /// A URL for a certificate extension is not usable (empty or not ASCII).
    case invalidURL(String)
    /// A path length constraint is negative.
    case invalidPathLength(Int)

    /// A stable, machine-readable code for the case, e.g. `certificate_authority.invalid_name_attribute` (docs/error-codes.md):
    /// for programs and the API's problem details; `description` is for people.
    public var code: String {
        switch self {
        case .invalidNameAttribute: "certificate_authority.invalid_name_attribute"
        case .invalidValidity: "certificate_authority.invalid_validity"
        case .validityOutsideIssuer: "certificate_authority.validity_outside_issuer"
        case .keyDoesNotMatchCertificate: "certificate_authority.key_does_not_match_certificate"
        case .notACertificateAuthority: "certificate_authority.not_a_certificate_authority"
        case .invalidSerialNumber: "certificate_authority.invalid_serial_number"
        case .invalidURL: "certificate_authority.invalid_url"
        case .invalidPathLength: "certificate_authority.invalid_path_length"
        }
    }

    /// What is wrong, in words.
    public var description: String {
        switch self {
        case .invalidNameAttribute(let type, let value, let reason):
            "name attribute \(type)=\"\(value)\" refused: \(reason)"
        case .invalidValidity(let notBefore, let notAfter):
            "invalid validity: notBefore \(notBefore) is not before notAfter \(notAfter)"
        case .validityOutsideIssuer(let notBefore, let notAfter, let issuerNotBefore, let issuerNotAfter):
            "requested validity \(notBefore) – \(notAfter) is not within the issuer's validity \(issuerNotBefore) – \(issuerNotAfter)"
        case .keyDoesNotMatchCertificate(let subject):
            "the private key does not belong to the certificate \(subject)"
        case .notACertificateAuthority(let subject, let reason):
            "\(subject) cannot issue certificates: \(reason)"
        case .invalidSerialNumber(let reason):
            "invalid serial number: \(reason)"
        case .invalidURL(let url):
            "invalid URL for a certificate extension: \"\(url)\""
        case .invalidPathLength(let length):
            "invalid path length constraint \(length)"
        }
    }
}
