/// Why an RFC 3161 timestamp could not be obtained, issued or verified.
public enum TimeStampError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A request, response or token is not valid BER/DER or not the RFC 3161 structure.
    case malformed(String)
    /// The CMS content is not a TSTInfo, or the token carries more than the TSA's signature.
    case notATimeStampToken(String)
    /// The token's CMS signature failed a check (see the wrapped error).
    case signature(CMSError)
    /// The TSA certificate is not fit for timestamping (EKU, key usage).
    case notATimeStampingCertificate(String)
    /// The token's message imprint does not cover the data it should.
    case imprintMismatch(String)
    /// The token's nonce differs from the request's.
    case nonceMismatch(expected: [UInt8], actual: [UInt8]?)
    /// The token's policy differs from the requested one.
    case policyMismatch(expected: String, actual: String)
    /// The token names a TSA that is not its signer.
    case tsaNameMismatch(String)
    /// The token carries no TSA certificate although one was requested.
    case certificateMissing
    /// The TSA certificate does not chain to a supplied trust anchor at the validation time.
    case untrusted(String)
    /// The TSA answered with a PKIStatus other than granted.
    case rejected(status: Int, text: [String], failureInfo: [String])
    /// The TSA's HTTP endpoint answered with an error status.
    case httpStatus(Int)
    /// The TSA's reply has the wrong media type.
    case unexpectedContentType(String?)
    /// The TSA did not answer in time.
    case timeout
    /// The TSA could not be reached.
    case transport(String)
    /// The built-in TSA is misconfigured (certificate, key, policy).
    case configuration(String)
    /// The serial number counter could not be read or advanced.
    case serialNumber(String)

    /// A stable, machine-readable code for the case, e.g. `timestamp.malformed` (docs/error-codes.md):
    /// for programs and the API's problem details; `description` is for people.
    public var code: String {
        switch self {
        case .malformed: "timestamp.malformed"
        case .notATimeStampToken: "timestamp.not_a_timestamp_token"
        case .signature: "timestamp.signature"
        case .notATimeStampingCertificate: "timestamp.not_a_timestamping_certificate"
        case .imprintMismatch: "timestamp.imprint_mismatch"
        case .nonceMismatch: "timestamp.nonce_mismatch"
        case .policyMismatch: "timestamp.policy_mismatch"
        case .tsaNameMismatch: "timestamp.tsa_name_mismatch"
        case .certificateMissing: "timestamp.certificate_missing"
        case .untrusted: "timestamp.untrusted"
        case .rejected: "timestamp.rejected"
        case .httpStatus: "timestamp.http_status"
        case .unexpectedContentType: "timestamp.unexpected_content_type"
        case .timeout: "timestamp.timeout"
        case .transport: "timestamp.transport"
        case .configuration: "timestamp.configuration"
        case .serialNumber: "timestamp.serial_number"
        }
    }

    /// What went wrong, in words.
    public var description: String {
        switch self {
        case .malformed(let why): "malformed timestamp data: \(why)"
        case .notATimeStampToken(let why): "not an RFC 3161 timestamp token: \(why)"
        case .signature(let error): "timestamp token signature: \(error)"
        case .notATimeStampingCertificate(let why): "the TSA certificate is not for timestamping: \(why)"
        case .imprintMismatch(let why): "the timestamp does not cover the data: \(why)"
        case .nonceMismatch(let expected, let actual):
            "the timestamp nonce \(actual?.hexString ?? "(absent)") differs from the request's \(expected.hexString)"
        case .policyMismatch(let expected, let actual): "the timestamp policy \(actual) differs from the requested \(expected)"
        case .tsaNameMismatch(let why): "the TSA name does not match the signer: \(why)"
        case .certificateMissing: "the token does not carry the TSA certificate that was requested"
        case .untrusted(let why): "the TSA certificate is not trusted: \(why)"
        case .rejected(let status, let text, let info):
            "the TSA refused (PKIStatus \(status)\(info.isEmpty ? "" : ", " + info.joined(separator: ", "))\(text.isEmpty ? "" : ": " + text.joined(separator: "; ")))"
        case .httpStatus(let status): "the TSA answered HTTP \(status)"
        case .unexpectedContentType(let type): "the TSA answered with media type \(type ?? "(none)"), expected application/timestamp-reply"
        case .timeout: "the TSA did not answer in time"
        case .transport(let why): "the TSA could not be reached: \(why)"
        case .configuration(let why): "TSA configuration: \(why)"
        case .serialNumber(let why): "TSA serial number counter: \(why)"
        }
    }

    static func wrap(_ error: any Error) -> TimeStampError {
        switch error {
        case let error as TimeStampError: error
        case let error as ASN1StructureError: .malformed(error.description)
        case let error as CMSError: .malformed(error.description)
        default: .malformed(String(describing: error))
        }
    }
}
