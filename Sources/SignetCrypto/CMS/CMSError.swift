/// Why a CMS signature could not be read, made or verified.
///
/// Each case names one finding, so a validator can map it to an ETSI EN 319 102-1
/// sub-indication (suggested mapping in brackets).
public enum CMSError: Error, Sendable, Equatable, CustomStringConvertible {
    // MARK: Structure [FORMAT_FAILURE]

    /// Not BER/DER, or not the CMS structure (the reason says where).
    case malformed(String)
    /// The ContentInfo holds something other than SignedData.
    case notSignedData(contentType: String)
    /// A signed attribute Signet interprets is malformed, repeated or multi-valued.
    case invalidAttribute(oid: String, reason: String)
    /// The SignedData has no SignerInfo, or not the one asked for.
    case noSignerInfo
    /// A detached signature (a PDF signature) carries encapsulated content.
    case encapsulatedContentPresent
    /// No digest was given and the SignedData carries no content to hash.
    case encapsulatedContentMissing
    /// A required signed attribute (content-type, message-digest) is absent.
    case missingSignedAttribute(name: String)
    /// The content-type attribute differs from the encapsulated content type.
    case contentTypeMismatch(attribute: String, encapsulated: String)
    /// The encapsulated content type is not the one this kind of signature must have.
    case unexpectedContentType(expected: String, actual: String)
    /// Content other than id-data was signed without signed attributes (RFC 5652 §5.3).
    case signedAttributesRequired(contentType: String)

    // MARK: Algorithms [FORMAT_FAILURE, or CRYPTO_CONSTRAINTS_FAILURE by policy]

    /// A digest or signature algorithm Signet does not implement, or one that does not fit the key.
    case unsupportedAlgorithm(String)

    // MARK: Signer certificate [NO_SIGNING_CERTIFICATE_FOUND]

    /// No certificate matches the SignerInfo's sid.
    case signerCertificateNotFound(String)
    /// Several different certificates match the sid and nothing tells which one signed.
    case ambiguousSignerCertificate(String)

    // MARK: Integrity [HASH_FAILURE]

    /// The message-digest attribute differs from the digest of the signed content.
    case messageDigestMismatch(attribute: [UInt8], computed: [UInt8])
    /// The signature verifies only over the signed attributes as stored, which are not DER;
    /// RFC 5652 §5.4 requires the signature over the DER encoding (ETSI plugtests label this
    /// HASH_FAILURE).
    case signatureOverNonDERSignedAttributes

    // MARK: Signature [SIG_CRYPTO_FAILURE]

    /// The signature value does not verify with the signer certificate's key.
    case signatureInvalid
    /// The signature algorithm is one Signet checks, but the signer certificate's key cannot
    /// make such signatures (an ECDSA identifier with an RSA key, RSA-PSS parameters an
    /// RSASSA-PSS key forbids): the value cannot be a signature by that key.
    case signatureAlgorithmKeyMismatch(String)

    // MARK: Signing certificate reference [FORMAT_FAILURE / NO_SIGNING_CERTIFICATE_FOUND]

    /// signing-certificate(-v2) is absent but required (CAdES / PAdES).
    case signingCertificateReferenceMissing
    /// signing-certificate(-v2) names another certificate than the signer's.
    case signingCertificateReferenceMismatch(String)

    // MARK: Signing

    /// The digest handed to the signer has the wrong length for its algorithm.
    case digestLengthMismatch(expected: Int, actual: Int)
    /// The signing key failed or produced a signature that does not verify.
    case signingFailed(String)
    /// The timestamp token obtained for the signature does not cover the signature value.
    case timestampDoesNotCoverSignature

    /// A stable, machine-readable code for the case, e.g. `cms.malformed` (docs/error-codes.md):
    /// for programs and the API's problem details; `description` is for people.
    public var code: String {
        switch self {
        case .malformed: "cms.malformed"
        case .notSignedData: "cms.not_signed_data"
        case .invalidAttribute: "cms.invalid_attribute"
        case .noSignerInfo: "cms.no_signer_info"
        case .encapsulatedContentPresent: "cms.encapsulated_content_present"
        case .encapsulatedContentMissing: "cms.encapsulated_content_missing"
        case .missingSignedAttribute: "cms.missing_signed_attribute"
        case .contentTypeMismatch: "cms.content_type_mismatch"
        case .unexpectedContentType: "cms.unexpected_content_type"
        case .signedAttributesRequired: "cms.signed_attributes_required"
        case .unsupportedAlgorithm: "cms.unsupported_algorithm"
        case .signerCertificateNotFound: "cms.signer_certificate_not_found"
        case .ambiguousSignerCertificate: "cms.ambiguous_signer_certificate"
        case .messageDigestMismatch: "cms.message_digest_mismatch"
        case .signatureOverNonDERSignedAttributes: "cms.signature_over_non_der_signed_attributes"
        case .signatureInvalid: "cms.signature_invalid"
        case .signatureAlgorithmKeyMismatch: "cms.signature_algorithm_key_mismatch"
        case .signingCertificateReferenceMissing: "cms.signing_certificate_reference_missing"
        case .signingCertificateReferenceMismatch: "cms.signing_certificate_reference_mismatch"
        case .digestLengthMismatch: "cms.digest_length_mismatch"
        case .signingFailed: "cms.signing_failed"
        case .timestampDoesNotCoverSignature: "cms.timestamp_does_not_cover_signature"
        }
    }

    /// What went wrong, in words for a report.
    public var description: String {
        switch self {
        case .malformed(let reason): "malformed CMS: \(reason)"
        case .notSignedData(let type): "the CMS content type is \(type), not signed-data"
        case .invalidAttribute(let oid, let reason): "signed attribute \(CMSError.attributeName(oid)): \(reason)"
        case .noSignerInfo: "the SignedData has no such SignerInfo"
        case .encapsulatedContentPresent: "a detached signature must not encapsulate content, but eContent is present"
        case .encapsulatedContentMissing: "no content digest was given and the SignedData carries no content"
        case .missingSignedAttribute(let name): "the required signed attribute \(name) is missing"
        case .contentTypeMismatch(let attribute, let encapsulated):
            "the content-type attribute (\(attribute)) differs from the encapsulated content type (\(encapsulated))"
        case .unexpectedContentType(let expected, let actual): "the signed content type is \(actual), expected \(expected)"
        case .signedAttributesRequired(let type): "content of type \(type) must be signed with signed attributes"
        case .unsupportedAlgorithm(let what): "unsupported algorithm: \(what)"
        case .signerCertificateNotFound(let sid): "no certificate matches the signer identifier (\(sid))"
        case .ambiguousSignerCertificate(let sid): "several certificates match the signer identifier (\(sid))"
        case .messageDigestMismatch(let attribute, let computed):
            "the message-digest attribute \(attribute.hexString) differs from the content digest \(computed.hexString)"
        case .signatureOverNonDERSignedAttributes:
            "the signature verifies only over the stored non-DER signed attributes, not over their DER encoding (RFC 5652 §5.4)"
        case .signatureInvalid: "the signature value does not verify with the signer's public key"
        case .signatureAlgorithmKeyMismatch(let why): "the signature algorithm does not fit the signer's key: \(why)"
        case .signingCertificateReferenceMissing: "the signing-certificate(-v2) attribute is missing"
        case .signingCertificateReferenceMismatch(let why): "the signing-certificate reference does not match the signer: \(why)"
        case .digestLengthMismatch(let expected, let actual): "the digest has \(actual) bytes, expected \(expected)"
        case .signingFailed(let why): "signing failed: \(why)"
        case .timestampDoesNotCoverSignature: "the timestamp token does not cover the signature value"
        }
    }

    static func attributeName(_ oid: String) -> String {
        switch oid {
        case CMSObjectIdentifier.contentType: "content-type"
        case CMSObjectIdentifier.messageDigest: "message-digest"
        case CMSObjectIdentifier.signingTime: "signing-time"
        case CMSObjectIdentifier.signingCertificate: "signing-certificate"
        case CMSObjectIdentifier.signingCertificateV2: "signing-certificate-v2"
        case CMSObjectIdentifier.adobeRevocationInfoArchival: "adbe-revocationInfoArchival"
        case CMSObjectIdentifier.signatureTimeStampToken: "signature-time-stamp"
        default: oid
        }
    }

    /// Maps any error from the parsing helpers to a CMSError.
    static func wrap(_ error: any Error) -> CMSError {
        switch error {
        case let error as CMSError: error
        case let error as ASN1StructureError: .malformed(error.description)
        default: .malformed(String(describing: error))
        }
    }
}
