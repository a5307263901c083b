/// One check a CMS signature goes through; validators report them separately.
public enum CMSCheck: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// eContent must be absent in a detached signature (a PDF signature) [FORMAT_FAILURE].
    case detachedContent
    /// A certificate matching the sid is found [NO_SIGNING_CERTIFICATE_FOUND].
    case signerCertificate
    /// eContentType is the required one; content-type is present and equals eContentType;
    /// content other than id-data has signed attributes [FORMAT_FAILURE].
    case contentType
    /// message-digest equals the content digest [HASH_FAILURE].
    case messageDigest
    /// The signature verifies over the DER signed attributes, or over the content digest
    /// when there are none [SIG_CRYPTO_FAILURE; HASH_FAILURE for non-DER signed attributes].
    case signature
    /// signing-certificate(-v2) names the signer certificate
    /// [FORMAT_FAILURE / NO_SIGNING_CERTIFICATE_FOUND].
    case signingCertificateReference

    /// The check's name in reports.
    public var description: String {
        switch self {
        case .detachedContent: "detached content"
        case .signerCertificate: "signer certificate"
        case .contentType: "content type"
        case .messageDigest: "message digest"
        case .signature: "signature value"
        case .signingCertificateReference: "signing-certificate reference"
        }
    }
}

/// The outcome of one `CMSCheck`.
public enum CMSCheckOutcome: Sendable, Equatable, CustomStringConvertible {
    /// The check succeeded.
    case passed
    /// The check failed with this error.
    case failed(CMSError)
    /// The check does not apply to this signature (e.g. no signed attributes); the reason says why.
    case notApplicable(String)
    /// The check could not run because an earlier one failed; not a pass.
    case notChecked(String)

    /// "passed", "not applicable: …" or the failure.
    public var description: String {
        switch self {
        case .passed: "passed"
        case .failed(let error): "failed: \(error)"
        case .notApplicable(let why): "not applicable: \(why)"
        case .notChecked(let why): "not checked: \(why)"
        }
    }
}

/// What a verifier asks of a CMS signature besides the cryptography.
public struct CMSVerificationOptions: Sendable {
    /// Fail when eContent is present (PDF signatures are detached).
    public var requireDetached: Bool
    /// Fail when neither signing-certificate nor signing-certificate-v2 is present
    /// (CAdES/PAdES require one; adbe.pkcs7.detached does not).
    public var requireSigningCertificateReference: Bool
    /// Certificates from outside the CMS (e.g. a PDF's DSS) to look for the signer in,
    /// parsed when a lookup reaches them.
    public var extraCertificatePool: CertificatePool
    /// The same certificates, parsed.
    public var extraCertificates: [Certificate] {
        get { extraCertificatePool.all }
        set { extraCertificatePool = CertificatePool(newValue) }
    }
    /// The eContentType the signature must have (id-data for PDF signatures), if any.
    public var requiredContentType: String?

    /// Options; the defaults require nothing beyond a valid signature.
    public init(requireDetached: Bool = false, requireSigningCertificateReference: Bool = false,
                extraCertificates: [Certificate] = [], requiredContentType: String? = nil) {
        self.requireDetached = requireDetached
        self.requireSigningCertificateReference = requireSigningCertificateReference
        self.extraCertificatePool = CertificatePool(extraCertificates)
        self.requiredContentType = requiredContentType
    }

    /// What a PDF signature (ETSI.CAdES.detached, adbe.pkcs7.detached) must satisfy:
    /// detached, id-data, plus a signing-certificate reference when `cades` is set.
    public static func pdfSignature(cades: Bool, extraCertificates: [Certificate] = []) -> CMSVerificationOptions {
        CMSVerificationOptions(requireDetached: true, requireSigningCertificateReference: cades,
                               extraCertificates: extraCertificates, requiredContentType: CMSObjectIdentifier.data)
    }
}

/// The result of verifying one SignerInfo: each check's outcome, in order.
public struct CMSSignerVerification: Sendable {
    /// One check and its outcome.
    public struct CheckResult: Sendable, Equatable {
        /// Which check.
        public let check: CMSCheck
        /// What it found.
        public let outcome: CMSCheckOutcome
    }

    /// The SignerInfo that was checked.
    public let signerInfo: CMSSignerInfo
    /// The signer certificate, when it was found.
    public let signerCertificate: Certificate?
    /// Every check, in the order they ran.
    public let results: [CheckResult]
    /// Which signing-certificate attribute bound the signer certificate (v2 preferred).
    public let boundBy: ESSSigningCertificate.Version?

    /// The outcome of `check`.
    public func outcome(_ check: CMSCheck) -> CMSCheckOutcome {
        results.first { $0.check == check }?.outcome ?? .notChecked("not run")
    }

    /// Every failure, in check order.
    public var failures: [CMSError] {
        results.compactMap { if case .failed(let error) = $0.outcome { error } else { nil } }
    }

    /// True when no check failed or was skipped: the signature is intact and made by
    /// `signerCertificate` (trust in that certificate is a separate question).
    public var isValid: Bool {
        results.allSatisfy { result in
            switch result.outcome {
            case .passed, .notApplicable: true
            case .failed, .notChecked: false
            }
        }
    }
}

extension CMSSignedData {
    /// Fails when eContent is present (a PDF signature must be detached).
    public func checkDetached() throws(CMSError) {
        if encapsulatedContent != nil { throw .encapsulatedContentPresent }
    }

    /// The signer's certificate among the embedded ones and `extraCertificates`.
    ///
    /// Several different certificates may match the sid (re-issued certificates); the
    /// signing-certificate(-v2) hash then decides, else the result is ambiguous.
    public func signerCertificate(for signer: CMSSignerInfo, extraCertificates: [Certificate] = []) throws(CMSError) -> Certificate {
        try signerCertificate(for: signer, pool: CertificatePool(extraCertificates))
    }

    /// The signer's certificate among the embedded ones and those of `pool` (only the pool's
    /// certificates with the signer's serial number are parsed).
    public func signerCertificate(for signer: CMSSignerInfo, pool: CertificatePool) throws(CMSError) -> Certificate {
        var candidates: [Certificate] = []
        for certificate in certificates + pool.candidates(for: signer.signerIdentifier)
        where signer.signerIdentifier.matches(certificate) && !candidates.contains(certificate) {
            candidates.append(certificate)
        }
        if candidates.count == 1 { return candidates[0] }
        guard !candidates.isEmpty else { throw .signerCertificateNotFound(signer.signerIdentifier.description) }
        let attributes = signer.signedAttributes
        for reference in [attributes?.signingCertificateV2, attributes?.signingCertificate].compactMap({ $0 }) {
            let bound = candidates.filter { reference.hashMatches($0) }
            if bound.count == 1 { return bound[0] }
        }
        throw .ambiguousSignerCertificate(signer.signerIdentifier.description)
    }

    /// Runs every check on the SignerInfo at `index`.
    ///
    /// - Parameters:
    ///   - contentDigest: the digest of the signed content computed with the signer's
    ///     `digestAlgorithm` (for a PDF: over the byte ranges). When nil, eContent is hashed.
    /// - Throws: `CMSError.noSignerInfo` when there is no SignerInfo at `index`; every
    ///   finding about the signature itself is in the result.
    public func verifySigner(at index: Int = 0, contentDigest: [UInt8]? = nil,
                             options: CMSVerificationOptions = CMSVerificationOptions()) throws(CMSError) -> CMSSignerVerification {
        guard signerInfos.indices.contains(index) else { throw .noSignerInfo }
        let signer = signerInfos[index]
        var results: [CMSSignerVerification.CheckResult] = []
        func record(_ check: CMSCheck, _ body: () throws(CMSError) -> CMSCheckOutcome) {
            do {
                results.append(.init(check: check, outcome: try body()))
            } catch {
                results.append(.init(check: check, outcome: .failed(error)))
            }
        }

        record(.detachedContent) { () throws(CMSError) in
            guard options.requireDetached else { return .notApplicable("detached content not required") }
            try checkDetached()
            return .passed
        }

        var certificate: Certificate?
        record(.signerCertificate) { () throws(CMSError) in
            certificate = try signerCertificate(for: signer, pool: options.extraCertificatePool)
            return .passed
        }

        record(.contentType) { () throws(CMSError) in
            if let required = options.requiredContentType, required != encapsulatedContentType {
                throw .unexpectedContentType(expected: required, actual: encapsulatedContentType)
            }
            try signer.checkContentType(encapsulated: encapsulatedContentType)
            return signer.signedAttributes == nil ? .notApplicable("no signed attributes; the content is id-data") : .passed
        }

        var digest: [UInt8]?
        record(.messageDigest) { () throws(CMSError) in
            guard let algorithm = signer.digestAlgorithm else {
                throw .unsupportedAlgorithm("digest algorithm \(signer.digestAlgorithmIdentifier.oid)")
            }
            if let contentDigest {
                digest = contentDigest
            } else {
                guard let content = encapsulatedContent else { throw .encapsulatedContentMissing }
                digest = algorithm.hash(content)
            }
            guard digest!.count == algorithm.outputLength else {
                throw .digestLengthMismatch(expected: algorithm.outputLength, actual: digest!.count)
            }
            guard signer.signedAttributes != nil else {
                return .notApplicable("no signed attributes; the signature covers the content digest directly")
            }
            try signer.checkMessageDigest(digest!)
            return .passed
        }

        record(.signature) { () throws(CMSError) in
            guard let certificate else { return .notChecked("no signer certificate") }
            guard let digest else { return .notChecked("no content digest") }
            try signer.checkSignature(signerCertificate: certificate, contentDigest: digest)
            return .passed
        }

        var boundBy: ESSSigningCertificate.Version?
        record(.signingCertificateReference) { () throws(CMSError) in
            guard let certificate else { return .notChecked("no signer certificate") }
            boundBy = try signer.checkSigningCertificateReference(certificate, required: options.requireSigningCertificateReference)
            return boundBy == nil ? .notApplicable("no signing-certificate attribute") : .passed
        }

        return CMSSignerVerification(signerInfo: signer, signerCertificate: certificate, results: results, boundBy: boundBy)
    }
}

extension CMSSignerInfo {
    /// content-type must be present and equal `encapsulated` when there are signed
    /// attributes; without them the content must be id-data (RFC 5652 §5.3, §11.1).
    public func checkContentType(encapsulated: String) throws(CMSError) {
        guard let attributes = signedAttributes else {
            if encapsulated != CMSObjectIdentifier.data { throw .signedAttributesRequired(contentType: encapsulated) }
            return
        }
        guard let contentType = attributes.contentType else { throw .missingSignedAttribute(name: "content-type") }
        guard contentType == encapsulated else {
            throw .contentTypeMismatch(attribute: contentType, encapsulated: encapsulated)
        }
    }

    /// message-digest must equal `contentDigest` (computed with `digestAlgorithm`).
    public func checkMessageDigest(_ contentDigest: [UInt8]) throws(CMSError) {
        guard let attributes = signedAttributes else { return }
        guard let messageDigest = attributes.messageDigest else { throw .missingSignedAttribute(name: "message-digest") }
        guard messageDigest == contentDigest else {
            throw .messageDigestMismatch(attribute: messageDigest, computed: contentDigest)
        }
    }

    /// The signature must verify with the certificate's key: over the DER encoding of the
    /// signed attributes (never over stored non-DER bytes, RFC 5652 §5.4), or over
    /// `contentDigest` when there are no signed attributes.
    public func checkSignature(signerCertificate: Certificate, contentDigest: [UInt8]) throws(CMSError) {
        let scheme = try signatureScheme
        do {
            if let attributes = signedAttributes {
                if try signerCertificate.verifySignature(signature, message: attributes.derEncoding, scheme: scheme) { return }
                if !attributes.isDEREncoded,
                   try signerCertificate.verifySignature(signature, message: attributes.storedEncodingAsSet, scheme: scheme) {
                    throw CMSError.signatureOverNonDERSignedAttributes
                }
                throw CMSError.signatureInvalid
            }
            if try signerCertificate.verifySignature(signature, digest: contentDigest, scheme: scheme) { return }
            throw CMSError.signatureInvalid
        } catch let error as CMSError {
            throw error
        } catch let mismatch as SignatureKeyMismatch {
            throw .signatureAlgorithmKeyMismatch(mismatch.description)
        } catch {
            throw .unsupportedAlgorithm("\(scheme) with a \(signerCertificate.keyAlgorithmDescription) key: \(error)")
        }
    }

    /// signing-certificate-v2 and signing-certificate, whichever are present, must name
    /// `certificate`. Returns the version that bound it (v2 preferred), or nil when neither
    /// is present and `required` is false.
    public func checkSigningCertificateReference(_ certificate: Certificate, required: Bool) throws(CMSError) -> ESSSigningCertificate.Version? {
        let v2 = signedAttributes?.signingCertificateV2
        let v1 = signedAttributes?.signingCertificate
        if let v2 { try v2.checkReferences(certificate) }
        if let v1 { try v1.checkReferences(certificate) }
        if v2 != nil { return .v2 }
        if v1 != nil { return .v1 }
        if required { throw .signingCertificateReferenceMissing }
        return nil
    }
}
