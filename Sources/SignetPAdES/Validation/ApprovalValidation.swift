import FoundationEssentials
import SignetCrypto
import SignetPDF

/// The validation of one approval signature (ETSI EN 319 102-1 §5.3–§5.6 on a PAdES or
/// PKCS#7 signature): structure, CMS integrity, signing certificate, signature
/// timestamps, trust, validity at the best proven time, revocation, coverage, later
/// modifications and the level reached.
struct ApprovalValidation {
    let signature: ParsedSignature
    let position: Int
    let run: DocumentValidation
    let assessor: CertificateAssessor
    let timestamps: TimestampValidator

    /// Validates; `recording` receives this signature's trusted signature timestamps
    /// (proofs that later signatures were made after them).
    func result(recording: (DocumentValidation.Proof) -> Void) -> SignatureValidationResult {
        var checks = signature.structure.checks
        let structure = signature.structure
        let revision = structure.isSound ? structure.signedRevision : nil
        let validationTime = run.validationTime(claimed: signature.claims.bestClaimedTime)

        // The CMS.
        var signedData: CMSSignedData?
        switch signature.signedData {
        case .success(let value)?: signedData = value
        case .failure(let error)?: checks.append(.problem(.cms, .formatFailure, "The signature's /Contents is not a readable CMS signature: \(error)."))
        case nil: checks.append(.problem(.cms, .formatFailure, "The signature has no CMS in /Contents."))
        }
        var verification: CMSSignerVerification?
        if let signedData { verification = verify(signedData, checks: &checks) }
        let signerInfo = verification?.signerInfo
        let signer = verification?.signerCertificate

        // Signature timestamps: proofs that the signature value existed.
        let laterProof = run.proofFromLaterDocumentTimestamps(after: revision)
        var tokens: [TokenValidation] = []
        if let signerInfo {
            for der in signerInfo.signatureTimeStampTokens.prefix(8) {
                let parsed = Result { () throws(TimeStampError) in
                    try TimeStampToken(berEncoded: der, certificateCache: run.certificateCache)
                }
                let value = signerInfo.signature
                tokens.append(timestamps.validate(
                    parsed, what: "signature timestamp", digestOfCoveredData: { $0.hash(value) },
                    time: TimeContext(validationTime: validationTime, proofOfExistence: laterProof)))
            }
        }
        var proofs: [(time: Date, source: String)] = tokens.compactMap { token in
            guard token.status == .valid, let time = token.genTime else { return nil }
            let tsa = token.tsaCertificate.map { " by \"\($0.subject.displayString)\"" } ?? ""
            return (time, "signature timestamp of \(TimeText.sentence(time))\(tsa)")
        }
        if let laterProof { proofs.append(laterProof) }
        let time = TimeContext(validationTime: validationTime, proofOfExistence: proofs.min { $0.time < $1.time },
                               createdAfter: run.createdAfter(revision: revision))
        checks += timestampChecks(tokens)

        // The signer.
        var assessment: CertificateAssessment?
        if let signer {
            // adbe.pkcs7.sha1 signs a SHA-1 digest of the document, whatever the CMS uses.
            let documentDigest = structure.subFilter == .adbePKCS7SHA1 ? .sha1 : signerInfo?.digestAlgorithm
            checks.append(CryptographicConstraints.check(
                digest: documentDigest, scheme: try? signerInfo?.signatureScheme, key: try? signer.publicKey,
                time: time, what: "signature"))
            let assessed = assessor.assess(signer, purpose: .signing, time: time)
            checks += assessed.checks
            assessment = assessed
        }

        // Coverage and what happened after.
        let (coverage, coverageCheck) = CoverageAssessment.assess(structure, document: run.document)
        checks.append(coverageCheck)
        let review = run.modifications(after: revision, docMDP: signature.docMDP, isTimestamp: false)
        checks.append(review.check)
        if let trailing = run.trailingUpdateCheck { checks.append(trailing) }
        if !signature.candidate.inFinalForm {
            checks.append(.warning(.structure, "The document's form in its final revision no longer points at this signature: it was removed or replaced by a later revision."))
        }

        if let revision, !checks.contains(where: { $0.kind == .integrity && $0.outcome == .failed }) {
            for token in tokens where token.status == .valid {
                if let time = token.genTime { recording(.init(revision: revision, time: time, source: "signature timestamp of \(TimeText.sentence(time))")) }
            }
        }

        let (indication, sub) = checks.verdict
        let level = indication == .totalFailed ? nil : LevelAssessment.level(
            subFilter: structure.subFilter, tokens: tokens, revision: revision, assessment: assessment, signer: signer,
            run: run, assessor: assessor)
        return SignatureValidationResult(
            index: position, kind: .approval, fieldName: signature.candidate.fieldName,
            object: signature.candidate.reference?.description, subFilter: structure.subFilterName,
            inFinalForm: signature.candidate.inFinalForm, certification: signature.docMDP.map { .init(permissions: $0) },
            claims: signature.claims, coverage: coverage, signer: signer.map(assessor.work.summary),
            signingCertificateBinding: run.binding(signerInfo), digestAlgorithm: signerInfo?.digestAlgorithm?.rawValue,
            signatureAlgorithm: (try? signerInfo?.signatureScheme)?.description,
            trust: assessment?.trust ?? .init(status: .notChecked, chain: [], anchor: nil, message: "not checked: the signer's certificate was not identified"),
            revocation: assessment?.revocation ?? [], timestamps: tokens.map { $0.result(.signatureTimestamp) },
            proofOfExistence: time.proofOfExistence.map { .init(time: $0.time, source: $0.source) }, bestSignatureTime: time.bestTime,
            modifications: review.summary, level: level, indication: indication, subIndication: sub, checks: checks)
    }

    // MARK: - CMS

    private func verify(_ signedData: CMSSignedData, checks: inout [ValidationCheck]) -> CMSSignerVerification? {
        guard !signedData.signerInfos.isEmpty else {
            checks.append(.problem(.cms, .formatFailure, "The CMS signature holds no SignerInfo."))
            return nil
        }
        if signedData.signerInfos.count > 1 {
            checks.append(.problem(.cms, .formatFailure, "The CMS holds \(signedData.signerInfos.count) SignerInfos; a PDF signature has exactly one."))
        }
        let signerInfo = signedData.signerInfos[0]
        let subFilter = signature.structure.subFilter
        let cades = subFilter == .etsiCAdESDetached
        var options = CMSVerificationOptions.pdfSignature(cades: cades)
        options.extraCertificatePool = run.data.certificates
        var contentDigest: [UInt8]?
        var sha1Expected: [UInt8]?
        if subFilter == .adbePKCS7SHA1 {
            // The encapsulated content is the SHA-1 digest of the byte ranges.
            options = CMSVerificationOptions(requireDetached: false, requireSigningCertificateReference: false,
                                             requiredContentType: CMSObjectIdentifier.data)
            options.extraCertificatePool = run.data.certificates
            sha1Expected = run.digest(of: signature, .sha1)
        } else if let algorithm = signerInfo.digestAlgorithm {
            // Without usable ranges there is nothing to hash: a placeholder keeps the other
            // checks running, and the digest and value checks are replaced below.
            contentDigest = run.digest(of: signature, algorithm) ?? [UInt8](repeating: 0, count: algorithm.outputLength)
        }
        let rangesUsable = signature.structure.ranges != nil
        let verification: CMSSignerVerification
        do {
            verification = try signedData.verifySigner(at: 0, contentDigest: contentDigest, options: options)
        } catch {
            checks.append(.problem(.cms, .formatFailure, "The CMS signature cannot be checked: \(error)."))
            return nil
        }
        var found = CMSFindings.checks(verification, what: "signature")
        if !rangesUsable {
            found = found.filter { $0.kind != .integrity && $0.kind != .signatureValue }
            found.append(.notApplicable(.integrity, "The integrity of the signed bytes cannot be checked: the byte ranges are unusable."))
        }
        checks += found
        if let sha1Expected, let content = signedData.encapsulatedContent, rangesUsable {
            if content == sha1Expected {
                checks.append(.passed(.integrity, "The signed bytes are intact: their SHA-1 digest is the signed content (adbe.pkcs7.sha1)."))
            } else {
                checks.append(.problem(.integrity, .hashFailure, "The signed bytes were changed: their SHA-1 digest differs from the signed content (adbe.pkcs7.sha1)."))
            }
        }
        if cades, signerInfo.signedAttributes?.signingTime != nil {
            checks.append(.warning(.cms, "The CMS carries a signing-time attribute, which PAdES signatures must not use (the claimed time belongs in /M)."))
        }
        return verification
    }

    private func timestampChecks(_ tokens: [TokenValidation]) -> [ValidationCheck] {
        guard !tokens.isEmpty else { return [.notApplicable(.timestamp, "The signature has no signature timestamp.")] }
        return tokens.map { token in
            let result = token.result(.signatureTimestamp)
            switch result.status {
            case .valid: return .passed(.timestamp, "Signature timestamp: \(result.message)")
            case .untrusted, .invalid: return .warning(.timestamp, "Signature timestamp: \(result.message)")
            }
        } + claimOrderWarnings(tokens)
    }

    private func claimOrderWarnings(_ tokens: [TokenValidation]) -> [ValidationCheck] {
        guard let claimed = signature.claims.signingTime,
              let earliest = tokens.filter({ $0.isIntact }).compactMap(\.genTime).min(),
              claimed > earliest.addingTimeInterval(300) else { return [] }
        return [.warning(.timestamp, "The claimed signing time (\(TimeText.sentence(claimed))) is later than the signature timestamp (\(TimeText.sentence(earliest))).")]
    }
}
