import FoundationEssentials
import SignetCrypto
import SignetPDF

/// One validation run over a readable PDF: parses every signature, gathers the embedded
/// validation data, validates document timestamps from the newest (each proves the
/// existence of everything before it), then approval signatures with the proofs of
/// existence the timestamps give.
final class DocumentValidation {
    let document: PDFDocument
    let options: ValidationOptions
    let now: Date
    let digests: ByteRangeDigests
    /// The certificates this run has parsed, shared by its CMS structures, tokens and
    /// validation data (each parsed once): the caller's (`ValidationOptions`), or the run's own.
    let certificateCache: CertificateCache
    private(set) var data: EmbeddedValidationData
    private(set) var signatures: [ParsedSignature] = []
    private(set) var problems: [String] = []
    private var analyzer: ModificationAnalyzer?
    private var analyses: [Int: ModificationAnalysis] = [:]

    /// A trusted timestamp: what it proves and where it sits.
    struct Proof {
        let revision: Int
        let time: Date
        let source: String
    }

    /// Valid document timestamps (proofs for the revisions they cover).
    private var documentTimestampProofs: [Proof] = []
    /// Valid signature timestamps of approval signatures, by the revision they sign.
    private var signatureTimestampProofs: [Proof] = []
    /// Revisions signed by intact document timestamps (trusted or not), for the PAdES level.
    private(set) var intactDocumentTimestampRevisions: [Int] = []

    /// The first revision whose catalog has a /DSS (nil without one).
    private(set) lazy var firstDSSRevision: Int? = document.revisions.indices.first { index in
        guard let view = try? document.view(revision: index), let catalog = try? view.catalog().dictionary else { return false }
        return catalog[PDFName("DSS")] != nil
    }

    init(document: PDFDocument, options: ValidationOptions, now: Date) {
        self.document = document
        self.options = options
        self.now = now
        certificateCache = options.certificateCache ?? CertificateCache()
        digests = ByteRangeDigests(bytes: document.bytes)
        data = EmbeddedValidationData(document: document, certificateCache: certificateCache)
    }

    func run() -> [SignatureValidationResult] {
        let (candidates, collectionProblems) = SignatureCollector.candidates(in: document, limit: options.maximumSignatures)
        problems += collectionProblems
        signatures = candidates.map { ParsedSignature($0, document: document, certificateCache: certificateCache) }
            .sorted(by: ParsedSignature.reportOrder)
        for signature in signatures {
            if case .success(let signedData)? = signature.signedData {
                data.add(signedData)
                for info in signedData.signerInfos {
                    for tokenDER in info.signatureTimeStampTokens {
                        if let token = try? CMSSignedData(berEncoded: tokenDER, certificateCache: certificateCache) { data.add(token) }
                    }
                }
            }
            if case .success(let token)? = signature.token { data.add(token.signedData) }
        }
        problems += data.problems

        let work = CertificateWork(
            anchors: options.trustAnchors, pool: data.certificates,
            revocationChecker: { [data] in RevocationChecker(crlDER: data.crls, ocspDER: data.ocspResponses, pool: data.certificates) })
        let assessor = CertificateAssessor(work: work, requireRevocationData: options.requireRevocationData)
        let timestamps = TimestampValidator(assessor: assessor, fileCertificates: data.certificates)

        var results: [Int: SignatureValidationResult] = [:]
        // Document timestamps, newest first.
        let timestampOrder = signatures.indices.filter { signatures[$0].kind == .documentTimestamp }
            .sorted { (signatures[$0].signedRevision ?? -1) > (signatures[$1].signedRevision ?? -1) }
        for index in timestampOrder {
            results[index] = validateDocumentTimestamp(signatures[index], position: index + 1, timestamps: timestamps)
        }
        // Approval signatures, oldest first.
        for index in signatures.indices where signatures[index].kind == .approval {
            results[index] = validateApproval(signatures[index], position: index + 1, assessor: assessor, timestamps: timestamps)
        }
        return signatures.indices.compactMap { results[$0] }
    }

    // MARK: - Shared steps

    /// The validation time for a signature claiming `claimed` (a document timestamp: its genTime).
    func validationTime(claimed: Date?) -> Date {
        switch options.validationTime {
        case .current: now
        case .fixed(let date): date
        case .claimedSigningTime: claimed ?? now
        }
    }

    /// The earliest valid document timestamp covering `revision` (in a later revision).
    func proofFromLaterDocumentTimestamps(after revision: Int?) -> (time: Date, source: String)? {
        guard let revision else { return nil }
        return documentTimestampProofs.filter { $0.revision > revision }.min { $0.time < $1.time }.map { ($0.time, $0.source) }
    }

    /// The latest trusted timestamp the signature of `revision` covers: it was made after it.
    func createdAfter(revision: Int?) -> (time: Date, source: String)? {
        guard let revision else { return nil }
        return (documentTimestampProofs + signatureTimestampProofs).filter { $0.revision < revision }
            .max { $0.time < $1.time }.map { ($0.time, $0.source) }
    }

    func modifications(after revision: Int?, docMDP: Int?, isTimestamp: Bool) -> ModificationReview {
        guard let revision else {
            return ModificationReview(notAnalyzed: "Not analysed: the signature does not cover a whole revision.", revisionCount: document.revisions.count)
        }
        if analyzer == nil { analyzer = ModificationAnalyzer(document: document) }
        let analysis = analyses[revision] ?? analyzer!.analyze(after: revision)
        analyses[revision] = analysis
        return ModificationReview(analysis: analysis, signedRevision: revision, revisionCount: document.revisions.count,
                                  docMDP: docMDP, isTimestamp: isTimestamp)
    }

    /// What follows the last complete revision (harmless padding, or damage).
    private(set) lazy var fileTail = FileTail(document)

    /// A failing check for every signature when the bytes after the last revision are not
    /// a well-formed incremental update (PDF syntax without a trailer, other data, or a
    /// last revision cut short): see `FileTail`.
    var trailingUpdateCheck: ValidationCheck? { fileTail.check }

    func digest(of signature: ParsedSignature, _ algorithm: DigestAlgorithm) -> [UInt8]? {
        signature.structure.ranges.map { digests.digest($0, algorithm) }
    }

    // MARK: - Document timestamps

    private func validateDocumentTimestamp(_ signature: ParsedSignature, position: Int, timestamps: TimestampValidator) -> SignatureValidationResult {
        var checks = signature.structure.checks
        let genTime = try? signature.token?.get().info.genTime
        let time = TimeContext(validationTime: validationTime(claimed: genTime),
                               proofOfExistence: proofFromLaterDocumentTimestamps(after: signature.signedRevision))
        var token = TokenValidation()
        if let parsed = signature.token {
            token = timestamps.validate(parsed, what: "document timestamp",
                                        digestOfCoveredData: { self.digest(of: signature, $0) }, time: time)
            checks += token.allChecks
        } else {
            checks.append(.problem(.cms, .formatFailure, "The document timestamp has no token in /Contents."))
        }
        let (coverage, coverageCheck) = CoverageAssessment.assess(signature.structure, document: document)
        checks.append(coverageCheck)
        let review = modifications(after: signature.structure.isSound ? signature.signedRevision : nil, docMDP: nil, isTimestamp: true)
        checks.append(review.check)
        if let trailing = trailingUpdateCheck { checks.append(trailing) }

        if signature.structure.isSound, token.isIntact, let revision = signature.signedRevision {
            intactDocumentTimestampRevisions.append(revision)
        }
        if signature.structure.isSound, token.status == .valid, let genTime, let revision = signature.signedRevision {
            let tsa = token.tsaCertificate.map { " by \"\($0.subject.displayString)\"" } ?? ""
            documentTimestampProofs.append(Proof(revision: revision, time: genTime, source: "document timestamp of \(TimeText.sentence(genTime))\(tsa)"))
        }
        let (indication, sub) = checks.verdict
        let assessment = token.assessment
        return SignatureValidationResult(
            index: position, kind: .documentTimestamp, fieldName: signature.candidate.fieldName,
            object: signature.candidate.reference?.description, subFilter: signature.structure.subFilterName,
            inFinalForm: signature.candidate.inFinalForm, certification: nil, claims: signature.claims, coverage: coverage,
            signer: token.tsaCertificate.map(timestamps.assessor.work.summary), signingCertificateBinding: binding(token.token?.signerInfo),
            digestAlgorithm: token.token?.info.messageImprint.algorithm.digestAlgorithm?.rawValue,
            signatureAlgorithm: (try? token.token?.signerInfo.signatureScheme)?.description,
            trust: assessment?.trust ?? .init(status: .notChecked, chain: [], anchor: nil, message: "not checked: the token is broken"),
            revocation: assessment?.revocation ?? [], timestamps: token.token == nil ? [] : [token.result(.documentTimestamp)],
            proofOfExistence: time.proofOfExistence.map { .init(time: $0.time, source: $0.source) }, bestSignatureTime: time.bestTime,
            modifications: review.summary, level: nil, indication: indication, subIndication: sub, checks: checks)
    }

    func binding(_ signerInfo: CMSSignerInfo?) -> String? {
        guard let attributes = signerInfo?.signedAttributes else { return nil }
        if attributes.signingCertificateV2 != nil { return "signing-certificate-v2" }
        if attributes.signingCertificate != nil { return "signing-certificate" }
        return nil
    }

    // MARK: - Approval signatures

    private func validateApproval(_ signature: ParsedSignature, position: Int, assessor: CertificateAssessor,
                                  timestamps: TimestampValidator) -> SignatureValidationResult {
        ApprovalValidation(signature: signature, position: position, run: self, assessor: assessor, timestamps: timestamps)
            .result(recording: { self.signatureTimestampProofs.append($0) })
    }
}
