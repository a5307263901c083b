import FoundationEssentials
import SignetCrypto

/// Validates the signatures `RawSignatureScanner` finds in bytes whose structure cannot be
/// read: a file that does not open, or the bytes after the last complete revision of one
/// that does (a file cut short, or with an update that is not well-formed). The result is
/// always TOTAL_FAILED, with the primary fault as sub-indication:
/// - FORMAT_FAILURE when the file's structure is damaged: it was cut short (the signed
///   ranges run past its end and it does not end with `%%EOF`), the dictionary is only
///   known from traces, or the signed bytes are intact but the structure around them is
///   unreadable (a broken xref chain, a `startxref` that points nowhere);
/// - HASH_FAILURE when the bytes the signature claims to sign no longer match it — also
///   when a complete-looking file (ending with `%%EOF`) is shorter than the signed ranges:
///   bytes were removed or changed inside them (the corpus's pdf-signed-corrupted.pdf).
enum UnreadableDocumentValidation {
    /// Where the raw signatures were found, for the messages.
    enum Place {
        /// The whole file, whose structure cannot be read for `problem`.
        case unreadableFile(problem: String)
        /// After the last complete revision of a readable file.
        case afterLastRevision(start: Int)

        var structureMessage: String {
            switch self {
            case .unreadableFile(let problem): "The file's structure is damaged: it cannot be read (\(problem))"
            case .afterLastRevision(let start):
                "The file's structure is damaged: this signature lies after the last complete revision (from byte \(start)), in bytes that are not a well-formed incremental update"
            }
        }
    }

    /// The results for the signatures in `region` (the whole file by default), numbered
    /// from `firstIndex`.
    static func results(_ bytes: [UInt8], in region: Range<Int>? = nil, place: Place, firstIndex: Int = 1) -> [SignatureValidationResult] {
        let digests = ByteRangeDigests(bytes: bytes)
        return RawSignatureScanner.scan(bytes, in: region).enumerated().map { index, found in
            result(found, position: firstIndex + index, bytes: bytes, digests: digests, place: place)
        }
    }

    /// Whether the file looks complete: it ends with `%%EOF` (and at most an end-of-line).
    static func endsWithEOF(_ bytes: [UInt8]) -> Bool {
        var end = bytes.count
        while end > 0, FileTail.isPadding(bytes[end - 1]) { end -= 1 }
        return end >= 5 && Array(bytes[(end - 5)..<end]) == Array("%%EOF".utf8)
    }

    private static func result(_ found: RawSignatureScanner.Found, position: Int, bytes: [UInt8], digests: ByteRangeDigests,
                               place: Place) -> SignatureValidationResult {
        let numbers = found.byteRange
        var ranges: [Range<Int>]?
        if numbers.count == 4, numbers[0] == 0, numbers[1] >= 0, numbers[2] >= numbers[1], numbers[3] >= 0,
           numbers[2] < Int.max - numbers[3] {
            ranges = [0..<numbers[1], numbers[2]..<(numbers[2] + numbers[3])]
        }
        let signedEnd = ranges?[1].upperBound ?? 0
        let missing = signedEnd - bytes.count
        // Ranges past the end of a file that does not end with %%EOF (or that lacks no more
        // than the final end-of-line): the file was cut short; its digest cannot be computed.
        let cutShort = missing > 0 && (missing <= 2 || !endsWithEOF(bytes))
        var checks: [ValidationCheck] = []
        var signer: Certificate?
        var signerInfo: CMSSignerInfo?
        var intact: Bool?

        // The signer is identified even when the signed bytes cannot be hashed.
        let hashable = cutShort ? nil : ranges
        if let contents = found.contents {
            if found.isDocumentTimestamp, let token = try? TimeStampToken(berEncoded: contents, allowingTrailingZeroPadding: true) {
                if let ranges = hashable, let algorithm = token.info.messageImprint.algorithm.digestAlgorithm {
                    intact = (try? token.checkImprint(digest: digests.digest(ranges, algorithm), algorithm: algorithm)) != nil
                }
                signer = try? token.checkSignature()
                signerInfo = token.signerInfo
            } else if let signedData = try? CMSSignedData(berEncoded: contents, allowingTrailingZeroPadding: true),
                      let info = signedData.signerInfos.first {
                signerInfo = info
                signer = try? signedData.signerCertificate(for: info)
                if let ranges = hashable, let algorithm = info.digestAlgorithm {
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
        let structure = place.structureMessage
        if !found.traces.isEmpty {
            checks.append(.problem(.structure, .formatFailure,
                "\(structure). Only traces of a signature remain (\(found.traces.joined(separator: "; "))); its dictionary with /ByteRange and /Contents is missing or cut off, so it cannot be checked."))
        } else if cutShort {
            checks.append(.notApplicable(.integrity, "The signed bytes cannot be hashed: \(missing) of them are missing."))
            checks.append(.problem(.structure, .formatFailure,
                "The file was cut short: the signature (/ByteRange [\(range)]) covers bytes up to \(signedEnd), but the file ends at byte \(bytes.count). The file's structure is damaged; it is not the file that was signed."))
        } else {
            switch intact {
            case false?:
                let removed = missing > 0
                    ? "; the file ends with %%EOF yet is \(missing) bytes shorter than the signed ranges, so bytes were removed or changed inside them"
                    : ""
                checks.append(.problem(.integrity, .hashFailure,
                    "The bytes the signature claims to sign (/ByteRange [\(range)]) no longer match it\(removed): the file was changed after signing."))
            case true?:
                checks.append(.passed(.integrity, "The bytes the signature claims to sign still match it."))
                checks.append(.problem(.structure, .formatFailure, "\(structure), so what the signature covers cannot be established."))
            case nil:
                checks.append(.problem(.structure, .formatFailure,
                    "\(structure), and the signature (/ByteRange [\(range)]) cannot be checked against the file."))
            }
        }
        let (indication, sub) = checks.verdict
        let coverage = SignatureValidationResult.Coverage(
            kind: .anomalous, byteRange: numbers.isEmpty ? nil : numbers, signedRevision: nil, revisionCount: 0,
            signedBytes: ranges.map { $0.reduce(0) { $0 + $1.count } }, fileSize: bytes.count,
            description: "Unknown: the file's structure is damaged where this signature is.")
        let claims = SignatureValidationResult.Claims(signingTime: nil, signingTimeText: nil, cmsSigningTime: signerInfo?.signedAttributes?.signingTime,
                                                      name: nil, reason: nil, location: nil, contactInfo: nil)
        return SignatureValidationResult(
            index: position, kind: found.isDocumentTimestamp ? .documentTimestamp : .approval, fieldName: nil, object: nil,
            subFilter: nil, inFinalForm: false, certification: nil, claims: claims, coverage: coverage,
            signer: signer.map(CertificateSummary.init), signingCertificateBinding: nil,
            digestAlgorithm: signerInfo?.digestAlgorithm?.rawValue, signatureAlgorithm: nil,
            trust: .init(status: .notChecked, chain: [], anchor: nil, message: "not checked: the file's structure is damaged"),
            revocation: [], timestamps: [], proofOfExistence: nil, bestSignatureTime: nil,
            modifications: .init(verdict: .notAnalyzed, laterRevisions: 0, categories: [], findings: []),
            level: nil, indication: indication, subIndication: sub, checks: checks)
    }
}
