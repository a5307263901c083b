import FoundationEssentials
import SignetCrypto

/// The checks of one RFC 3161 token: integrity (imprint, CMS signature, ESS binding), the
/// TSA certificate at genTime, and the TSA's chain, validity and revocation.
struct TokenValidation {
    var token: TimeStampToken?
    var tsaCertificate: Certificate?
    /// Structure, imprint, CMS and TSA-at-genTime checks.
    var integrity: [ValidationCheck] = []
    /// The TSA's chain, validity and revocation.
    var assessment: CertificateAssessment?
    var constraints: ValidationCheck?

    var allChecks: [ValidationCheck] { integrity + (constraints.map { [$0] } ?? []) + (assessment?.checks ?? []) }

    var isIntact: Bool { token != nil && !integrity.contains { $0.outcome == .failed || $0.outcome == .indeterminate } }

    var status: SignatureValidationResult.TimestampResult.Status {
        guard isIntact else { return .invalid }
        return allChecks.verdict.0 == .totalPassed ? .valid : .untrusted
    }

    var genTime: Date? { token?.info.genTime }

    /// The token as a report entry.
    func result(_ kind: SignatureValidationResult.TimestampResult.Kind) -> SignatureValidationResult.TimestampResult {
        let message: String
        switch status {
        case .valid:
            message = "Intact and trusted: proves existence at \(genTime.map(TimeText.sentence) ?? "?")."
        case .untrusted:
            let why = allChecks.filter { $0.outcome == .failed || $0.outcome == .indeterminate }.map(\.message)
            message = "Intact but not usable as proof (ignored): " + why.joined(separator: " ")
        case .invalid:
            let why = integrity.filter { $0.outcome == .failed || $0.outcome == .indeterminate }.map(\.message)
            message = "Broken (ignored): " + why.joined(separator: " ")
        }
        return .init(kind: kind, status: status, time: genTime, tsa: tsaCertificate.map(CertificateSummary.init),
                     policy: token?.info.policy, serialNumber: token?.info.serialNumberHex, message: message)
    }
}

/// Validates RFC 3161 tokens: signature timestamps and document timestamps.
struct TimestampValidator {
    let assessor: CertificateAssessor
    /// Certificates from the file (DSS, CMS) that may hold the TSA certificate.
    let fileCertificates: CertificatePool

    /// Validates `token` (or why it could not be parsed) whose imprint must be the digest of
    /// the covered data; `digestOfCoveredData` computes it for the token's algorithm.
    /// `time` carries the validation time and any proof of existence of the token itself
    /// (a later document timestamp).
    func validate(_ parsed: Result<TimeStampToken, TimeStampError>, what: String,
                  digestOfCoveredData: (DigestAlgorithm) -> [UInt8]?, time: TimeContext) -> TokenValidation {
        var validation = TokenValidation()
        let token: TimeStampToken
        switch parsed {
        case .failure(let error):
            validation.integrity.append(.problem(.cms, .formatFailure, "The \(what) cannot be read: \(error)."))
            return validation
        case .success(let value):
            token = value
        }
        validation.token = token

        // Imprint: the token must cover the data.
        let imprint = token.info.messageImprint
        if let algorithm = imprint.algorithm.digestAlgorithm {
            if let digest = digestOfCoveredData(algorithm) {
                do {
                    try token.checkImprint(digest: digest, algorithm: algorithm)
                    validation.integrity.append(.passed(.integrity, "The \(what)'s message imprint (\(algorithm.rawValue)) matches the data it covers."))
                } catch {
                    validation.integrity.append(.problem(.integrity, .hashFailure, "The \(what) does not cover the data it should: \(error)."))
                }
            } else {
                validation.integrity.append(.problem(.integrity, .formatFailure, "The data the \(what) covers cannot be read."))
            }
        } else {
            validation.integrity.append(.problem(.cryptographicConstraints, .cryptoConstraintsFailure,
                                                 "The \(what) uses the unsupported imprint algorithm \(imprint.algorithm.oid)."))
        }

        // The TSA's CMS signature and ESS binding (RFC 3161 §2.4.1).
        let verification: CMSSignerVerification
        do {
            var options = CMSVerificationOptions(requireSigningCertificateReference: true, requiredContentType: CMSObjectIdentifier.tstInfo)
            options.extraCertificatePool = fileCertificates
            verification = try token.signedData.verifySigner(at: 0, contentDigest: nil, options: options)
        } catch {
            validation.integrity.append(.problem(.cms, .formatFailure, "The \(what)'s signature cannot be checked: \(error)."))
            return validation
        }
        validation.integrity += CMSFindings.checks(verification, what: what).filter { $0.outcome != .passed || $0.kind != .integrity }
        guard let tsa = verification.signerCertificate, verification.isValid else { return validation }
        validation.tsaCertificate = tsa

        if let name = token.info.tsaName, !name.matches(tsa.subject) {
            validation.integrity.append(.warning(.signingCertificate, "The \(what) names the TSA \"\(name.displayString)\", but was signed by \"\(tsa.subject.displayString)\"."))
        }
        let genTime = token.info.genTime
        if genTime > tsa.notAfter {
            validation.integrity.append(.problem(.validityPeriod, .expired,
                "The TSA signed the \(what) at \(TimeText.sentence(genTime)), after its certificate expired (\(TimeText.sentence(tsa.notAfter)))."))
        } else if genTime < tsa.notBefore {
            validation.integrity.append(.problem(.validityPeriod, .notYetValid,
                "The TSA signed the \(what) at \(TimeText.sentence(genTime)), before its certificate became valid (\(TimeText.sentence(tsa.notBefore)))."))
        }

        let tokenTime = TimeContext(validationTime: time.validationTime, proofOfExistence: time.proofOfExistence,
                                    createdAfter: (genTime, "the TSA's own time"))
        validation.constraints = CryptographicConstraints.check(
            digest: verification.signerInfo.digestAlgorithm, scheme: try? verification.signerInfo.signatureScheme,
            key: try? tsa.publicKey, time: tokenTime, what: what)
        validation.assessment = assessor.assess(tsa, purpose: .timeStamping, time: tokenTime)
        return validation
    }
}
