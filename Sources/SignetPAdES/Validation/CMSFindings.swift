import SignetCrypto

/// Turns the CMS checks of SignetCrypto into report checks with ETSI sub-indications.
enum CMSFindings {
    /// The check kind and sub-indication for a CMS error met in `check`.
    static func classify(_ error: CMSError, in check: CMSCheck) -> (ValidationCheck.Kind, SubIndication) {
        switch error {
        case .messageDigestMismatch, .signatureOverNonDERSignedAttributes:
            return (.integrity, .hashFailure)
        case .signatureInvalid, .signatureAlgorithmKeyMismatch:
            return (.signatureValue, .sigCryptoFailure)
        case .unsupportedAlgorithm:
            return (.cryptographicConstraints, .cryptoConstraintsFailure)
        case .signerCertificateNotFound, .ambiguousSignerCertificate, .signingCertificateReferenceMissing,
             .signingCertificateReferenceMismatch:
            return (.signingCertificate, .noSigningCertificateFound)
        default:
            switch check {
            case .signingCertificateReference, .signerCertificate: return (.signingCertificate, .formatFailure)
            case .messageDigest: return (.integrity, .formatFailure)
            default: return (.cms, .formatFailure)
            }
        }
    }

    /// Report checks for a verified SignerInfo (`what` is "signature" or "timestamp token").
    static func checks(_ verification: CMSSignerVerification, what: String) -> [ValidationCheck] {
        var result: [ValidationCheck] = []
        for item in verification.results {
            switch item.outcome {
            case .passed:
                switch item.check {
                case .messageDigest:
                    result.append(.passed(.integrity, "The signed bytes are intact: their digest equals the \(what)'s message-digest."))
                case .signature:
                    result.append(.passed(.signatureValue, "The \(what)'s value verifies with the signer's public key over the DER-encoded signed attributes."))
                case .signerCertificate:
                    result.append(.passed(.signingCertificate, "The \(what)'s signer certificate was found (\(verification.signerInfo.signerIdentifier))."))
                case .signingCertificateReference:
                    let attribute = verification.boundBy == .v1 ? "signing-certificate (ESS v1)" : "signing-certificate-v2"
                    result.append(.passed(.signingCertificate, "The signed \(attribute) attribute names that certificate."))
                case .detachedContent, .contentType:
                    continue
                }
            case .notApplicable(let why):
                switch item.check {
                case .signature, .messageDigest:
                    if verification.signerInfo.signedAttributes == nil, item.check == .messageDigest {
                        result.append(.passed(.integrity, "The \(what) has no signed attributes: its value is checked directly over the digest of the signed bytes (allowed for PKCS#7)."))
                    }
                case .signingCertificateReference:
                    _ = why
                    result.append(.warning(.signingCertificate, "The \(what) has no signing-certificate attribute binding its certificate (allowed for PKCS#7, required by PAdES)."))
                default:
                    continue
                }
            case .notChecked(let why):
                let kind: ValidationCheck.Kind = item.check == .signature ? .signatureValue : .signingCertificate
                result.append(.notApplicable(kind, "The \(item.check) was not checked: \(why)."))
            case .failed(let error):
                let (kind, sub) = classify(error, in: item.check)
                result.append(.problem(kind, sub, sentence(error, check: item.check, what: what)))
            }
        }
        return result
    }

    private static func sentence(_ error: CMSError, check: CMSCheck, what: String) -> String {
        switch error {
        case .messageDigestMismatch:
            "The signed bytes were changed: their digest differs from the one the \(what) was made over."
        case .signatureOverNonDERSignedAttributes:
            "The \(what)'s value does not verify over the DER encoding of its signed attributes, only over a non-DER encoding (RFC 5652 §5.4 requires DER): treated as a hash failure, as DER-strict validators do."
        case .signatureInvalid:
            "The \(what)'s value does not verify with the signer's public key."
        case .signatureAlgorithmKeyMismatch(let why):
            "The \(what)'s value cannot have been made with the signer's key: \(why)."
        default:
            "The \(what) fails the \(check) check: \(error)."
        }
    }
}
