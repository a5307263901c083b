import FoundationEssentials
import SignetCrypto

/// Validates the signatures `RawSignatureScanner` finds in a file whose structure cannot
/// be read. The result is always TOTAL_FAILED: HASH_FAILURE when the bytes a signature
/// claims to sign no longer match it, FORMAT_FAILURE otherwise.
enum UnreadableDocumentValidation {
    static func results(_ bytes: [UInt8], structureProblem: String) -> [SignatureValidationResult] {
        let digests = ByteRangeDigests(bytes: bytes)
        return RawSignatureScanner.scan(bytes).enumerated().map { index, found in
            result(found, position: index + 1, bytes: bytes, digests: digests, structureProblem: structureProblem)
        }
    }

    private static func result(_ found: RawSignatureScanner.Found, position: Int, bytes: [UInt8], digests: ByteRangeDigests,
                               structureProblem: String) -> SignatureValidationResult {
        let numbers = found.byteRange
        var ranges: [Range<Int>]?
        if numbers.count == 4, numbers[0] == 0, numbers[1] >= 0, numbers[2] >= numbers[1], numbers[3] >= 0,
           numbers[2] < Int.max - numbers[3] {
            ranges = [0..<numbers[1], numbers[2]..<(numbers[2] + numbers[3])]
        }
        let pastEnd = ranges.map { $0[1].upperBound > bytes.count } ?? false
        var checks: [ValidationCheck] = []
        var signer: Certificate?
        var signerInfo: CMSSignerInfo?
        var intact: Bool?

        if let contents = found.contents, let ranges {
            if found.isDocumentTimestamp, let token = try? TimeStampToken(berEncoded: contents, allowingTrailingZeroPadding: true) {
                if let algorithm = token.info.messageImprint.algorithm.digestAlgorithm {
                    intact = (try? token.checkImprint(digest: digests.digest(ranges, algorithm), algorithm: algorithm)) != nil
                }
                signer = try? token.checkSignature()
                signerInfo = token.signerInfo
            } else if let signedData = try? CMSSignedData(berEncoded: contents, allowingTrailingZeroPadding: true),
                      let info = signedData.signerInfos.first {
                signerInfo = info
                signer = try? signedData.signerCertificate(for: info)
                if let algorithm = info.digestAlgorithm {
                    let digest = digests.digest(ranges, algorithm)
                    if let messageDigest = info.signedAttributes?.messageDigest {
                        intact = messageDigest == digest
                    } else if let signer {
                        intact = (try? info.checkSignature(signerCertificate: signer, contentDigest: digest)) != nil
                    }
                }
            }
        }
        let range = numbers.map(String.init).joined(separator: " ")
        switch intact {
        case false?:
            checks.append(.problem(.integrity, .hashFailure,
                "The bytes the signature claims to sign (/ByteRange [\(range)]) no longer match it\(pastEnd ? "; the ranges also run past the end of the file" : ""): the file was changed after signing."))
        case true?:
            checks.append(.passed(.integrity, "The bytes the signature claims to sign still match it."))
            checks.append(.problem(.structure, .formatFailure, "The PDF structure cannot be read (\(structureProblem)), so what the signature covers cannot be established."))
        case nil:
            checks.append(.problem(.structure, .formatFailure,
                "The PDF structure cannot be read (\(structureProblem)), and the signature (/ByteRange [\(range)]) cannot be checked against the file."))
        }
        let (indication, sub) = checks.verdict
        let coverage = SignatureValidationResult.Coverage(
            kind: .anomalous, byteRange: numbers.isEmpty ? nil : numbers, signedRevision: nil, revisionCount: 0,
            signedBytes: ranges.map { $0.reduce(0) { $0 + $1.count } }, fileSize: bytes.count,
            description: "Unknown: the file's structure cannot be read.")
        let claims = SignatureValidationResult.Claims(signingTime: nil, signingTimeText: nil, cmsSigningTime: signerInfo?.signedAttributes?.signingTime,
                                                      name: nil, reason: nil, location: nil, contactInfo: nil)
        return SignatureValidationResult(
            index: position, kind: found.isDocumentTimestamp ? .documentTimestamp : .approval, fieldName: nil, object: nil,
            subFilter: nil, inFinalForm: false, certification: nil, claims: claims, coverage: coverage,
            signer: signer.map(CertificateSummary.init), signingCertificateBinding: nil,
            digestAlgorithm: signerInfo?.digestAlgorithm?.rawValue, signatureAlgorithm: nil,
            trust: .init(status: .notChecked, chain: [], anchor: nil, message: "not checked: the file's structure cannot be read"),
            revocation: [], timestamps: [], proofOfExistence: nil, bestSignatureTime: nil,
            modifications: .init(verdict: .notAnalyzed, laterRevisions: 0, categories: [], findings: []),
            level: nil, indication: indication, subIndication: sub, checks: checks)
    }
}
