import FoundationEssentials
import SignetCrypto

/// What a certificate is being validated for.
enum CertificatePurpose {
    /// A document signer: key usage digitalSignature or nonRepudiation.
    case signing
    /// A time-stamping unit: critical extended key usage timeStamping only (RFC 3161 §2.3).
    case timeStamping

    var role: String {
        switch self {
        case .signing: "signer's"
        case .timeStamping: "TSA's"
        }
    }
}

/// The X.509 part of a validation (ETSI EN 319 102-1 §5.2.6 with the proof-of-existence
/// rules of §5.6): key usage, a chain to an explicit trust anchor, validity periods at the
/// best-signature-time, and revocation from embedded data.
struct CertificateAssessment {
    /// The validated path (leaf first, anchor last), when one was found.
    var path: CertificatePath?
    var trust: SignatureValidationResult.Trust
    var revocation: [SignatureValidationResult.RevocationEntry] = []
    /// Checks of kind keyUsage, trust, validityPeriod and revocation.
    var checks: [ValidationCheck] = []
    /// Whether every certificate that names a revocation service has usable revocation
    /// data in the file (what PAdES B-LT adds).
    var revocationDataComplete = false

    var verdict: (Indication, SubIndication?) { checks.verdict }
}

/// Path building and revocation results for one document, by certificate. Neither
/// depends on the validation time (validity is judged separately), so a TSA that signed
/// several timestamps, or a CA shared by several signers, costs its signature checks once.
final class CertificateWork: @unchecked Sendable {
    // Unchecked: owned by one validation run on one thread.
    let pathValidator: PathValidator
    /// Parsed on first use: a document whose signatures need no revocation data (broken
    /// structure, no trusted chain) does not pay for parsing its CRLs.
    private(set) lazy var revocationChecker = makeRevocationChecker()
    private let makeRevocationChecker: () -> RevocationChecker
    private var paths: [ByteKey: Result<CertificatePath, any Error>] = [:]
    private var revocations: [ByteKey: CertificateRevocationResult] = [:]
    private var chains: [ByteKey: [Certificate]] = [:]
    private var summaries: [ByteKey: CertificateSummary] = [:]

    init(anchors: [Certificate], pool: CertificatePool, revocationChecker: @escaping () -> RevocationChecker) {
        pathValidator = PathValidator(anchors: anchors, pool: pool)
        makeRevocationChecker = revocationChecker
    }

    /// The path of `leaf` to an anchor, built and checked without validity periods.
    func path(_ leaf: Certificate) -> Result<CertificatePath, any Error> {
        if let known = paths[ByteKey(leaf.der)] { return known }
        let result = Result { try pathValidator.validate(leaf, policy: PathValidationPolicy(time: .notChecked)) }
        paths[ByteKey(leaf.der)] = result
        return result
    }

    /// The revocation status of `certificate` issued by `issuer`, from the embedded data.
    func revocation(_ certificate: Certificate, issuer: Certificate) -> CertificateRevocationResult {
        let key = ByteKey(certificate.der + issuer.der)
        if let known = revocations[key] { return known }
        let result = revocationChecker.check(certificate, issuer: issuer)
        revocations[key] = result
        return result
    }

    /// The chain the file's certificates form above `leaf` (for reports of untrusted signers).
    func displayChain(_ leaf: Certificate) -> [Certificate] {
        if let known = chains[ByteKey(leaf.der)] { return known }
        let chain = CertificateAssessor.displayChain(from: leaf, pool: pathValidator.pool)
        chains[ByteKey(leaf.der)] = chain
        return chain
    }

    /// The report summary of `certificate`.
    func summary(_ certificate: Certificate) -> CertificateSummary {
        if let known = summaries[ByteKey(certificate.der)] { return known }
        let summary = CertificateSummary(certificate)
        summaries[ByteKey(certificate.der)] = summary
        return summary
    }
}

/// Validates certificates against the trust anchors and the file's embedded data.
struct CertificateAssessor {
    let work: CertificateWork
    let requireRevocationData: Bool


    func assess(_ leaf: Certificate, purpose: CertificatePurpose, time: TimeContext) -> CertificateAssessment {
        var checks: [ValidationCheck] = []
        checks.append(keyUsageCheck(leaf, purpose: purpose))

        let path: CertificatePath
        do {
            path = try work.path(leaf).get()
        } catch let error as PathValidationError {
            let chain = work.displayChain(leaf)
            let sub: SubIndication = switch error {
            case .noTrustAnchors, .noChainFound, .untrustedRoot, .badSignature: .noCertificateChainFound
            default: .chainConstraintsFailure
            }
            checks.append(.problem(.trust, sub, "The \(purpose.role) certificate is not trusted: \(error)."))
            checks.append(.notApplicable(.validityPeriod, validityNote(leaf, time: time)))
            checks.append(.notApplicable(.revocation, "Revocation was not checked: there is no trusted chain."))
            let trust = SignatureValidationResult.Trust(status: .untrusted, chain: chain.map(work.summary), anchor: nil,
                                                        message: "\(error)")
            return CertificateAssessment(path: nil, trust: trust, checks: checks)
        } catch {
            let chain = work.displayChain(leaf)
            checks.append(.problem(.trust, .noCertificateChainFound, "The \(purpose.role) certificate chain could not be built: \(error)."))
            return CertificateAssessment(path: nil, trust: .init(status: .untrusted, chain: chain.map(work.summary), anchor: nil,
                                                                 message: "\(error)"), checks: checks)
        }
        let anchorName = path.anchor.certificate.subject.displayString
        let trust = SignatureValidationResult.Trust(
            status: .trusted, chain: path.certificates.map(work.summary), anchor: work.summary(path.anchor.certificate),
            message: path.leafIsAnchor ? "the certificate is itself a trust anchor" : "chains to the trust anchor \(anchorName)")
        checks.append(.passed(.trust, path.leafIsAnchor
            ? "The \(purpose.role) certificate is itself a given trust anchor."
            : "The \(purpose.role) certificate chains to the trust anchor \"\(anchorName)\" (\(path.certificates.count) certificates)."))

        var assessment = CertificateAssessment(path: path, trust: trust)
        let revocation = revocationResults(path, time: time, assessment: &assessment)
        checks += validityChecks(path, time: time, leafRevocation: revocation.first)
        checks += assessment.checks
        assessment.checks = checks
        return assessment
    }

    // MARK: - Key usage

    private func keyUsageCheck(_ leaf: Certificate, purpose: CertificatePurpose) -> ValidationCheck {
        switch purpose {
        case .signing:
            guard let usage = leaf.keyUsage else {
                return .passed(.keyUsage, "The signer's certificate does not restrict its key usage.")
            }
            if usage.isDisjoint(with: [.digitalSignature, .nonRepudiation]) {
                return .problem(.keyUsage, .chainConstraintsFailure,
                                "The signer's certificate may not be used for signatures: its key usage allows neither digitalSignature nor nonRepudiation.")
            }
            return .passed(.keyUsage, "The signer's certificate allows signing (key usage).")
        case .timeStamping:
            do {
                try TimeStampToken.checkTimeStampingCertificate(leaf)
                return .passed(.keyUsage, "The TSA's certificate is for time-stamping only (critical extended key usage).")
            } catch {
                return .problem(.keyUsage, .chainConstraintsFailure, "\(error).")
            }
        }
    }

    // MARK: - Validity

    private func validityNote(_ certificate: Certificate, time: TimeContext) -> String {
        let best = time.bestTime
        if best > certificate.notAfter { return "Not judged without a trusted chain; note that the certificate expired on \(TimeText.sentence(certificate.notAfter))." }
        if best < certificate.notBefore { return "Not judged without a trusted chain; note that the certificate is only valid from \(TimeText.sentence(certificate.notBefore))." }
        return "Not judged without a trusted chain; the certificate is within its validity period at \(TimeText.sentence(best))."
    }

    private func validityChecks(_ path: CertificatePath, time: TimeContext,
                                leafRevocation: SignatureValidationResult.RevocationEntry?) -> [ValidationCheck] {
        var checks: [ValidationCheck] = []
        let best = time.bestTime
        let at = "\(TimeText.sentence(best)) (\(time.bestTimeSource))"
        let count = path.leafIsAnchor ? 1 : path.certificates.count - 1
        for (index, certificate) in path.certificates.prefix(count).enumerated() {
            let name = "\"\(certificate.subject.displayString)\""
            let isLeaf = index == 0
            if best < certificate.notBefore {
                if isLeaf {
                    checks.append(.problem(.validityPeriod, .notYetValid,
                        "The signature existed at \(at), before the certificate \(name) became valid on \(TimeText.sentence(certificate.notBefore))."))
                } else {
                    checks.append(.problem(.validityPeriod, .outOfBoundsNoPOE,
                        "The CA certificate \(name) only became valid on \(TimeText.sentence(certificate.notBefore)), after \(at)."))
                }
            } else if best > certificate.notAfter {
                if isLeaf, let after = time.createdAfter, after.time > certificate.notAfter {
                    checks.append(.problem(.validityPeriod, .expired,
                        "The signature was made after \(TimeText.sentence(after.time)) (\(after.source)), when the certificate \(name) had already expired (\(TimeText.sentence(certificate.notAfter)))."))
                } else {
                    let notRevoked = isLeaf && leafRevocation?.status == .good
                    checks.append(.problem(.validityPeriod, notRevoked ? .outOfBoundsNotRevoked : .outOfBoundsNoPOE,
                        "The certificate \(name) expired on \(TimeText.sentence(certificate.notAfter)), and nothing proves the signature existed before then (the earliest proof is \(at))."))
                }
            }
        }
        if checks.isEmpty {
            checks.append(.passed(.validityPeriod, "Every certificate of the chain was valid at \(at)."))
        }
        return checks
    }

    // MARK: - Revocation

    /// The entries, leaf first; adds the revocation checks to `assessment.checks`.
    private func revocationResults(_ path: CertificatePath, time: TimeContext,
                                   assessment: inout CertificateAssessment) -> [SignatureValidationResult.RevocationEntry] {
        var entries: [SignatureValidationResult.RevocationEntry] = []
        var complete = true
        var problems: [ValidationCheck] = []
        var notes: [String] = []
        let best = time.bestTime
        for index in path.certificatesRequiringRevocationCheck.indices {
            let certificate = path.certificates[index]
            let issuer = path.certificates[index + 1]
            let result = work.revocation(certificate, issuer: issuer)
            let name = "\"\(certificate.subject.displayString)\""
            let hasPointers = result.hasRevocationPointers
            switch result.status {
            case .good(let evidence):
                entries.append(entry(result, .good, evidence: evidence, time: time))
                notes.append("\(name): not revoked according to the \(Self.describe(evidence))")
            case .revoked(let revoked, let evidence):
                entries.append(entry(result, .revoked, evidence: evidence, revoked: revoked, time: time))
                let when = TimeText.sentence(revoked.revocationDate)
                if best < revoked.revocationDate {
                    notes.append("\(name) was revoked on \(when), after the signature is proven to have existed (\(TimeText.sentence(best)), \(time.bestTimeSource))")
                } else if index == 0, let after = time.createdAfter, after.time >= revoked.revocationDate {
                    problems.append(.problem(.revocation, .revoked,
                        "The certificate \(name) was revoked on \(when)\(reasonText(revoked)), and the signature was made after \(TimeText.sentence(after.time)) (\(after.source))."))
                } else {
                    problems.append(.problem(.revocation, index == 0 ? .revokedNoPOE : .revokedCANoPOE,
                        "The certificate \(name) was revoked on \(when)\(reasonText(revoked)) according to the \(Self.describe(evidence)), and nothing proves the signature existed before then."))
                }
            case .exempt(let reason):
                entries.append(entry(result, .exempt, time: time))
                notes.append("\(name): not checked (\(reason))")
            case .unknown:
                if hasPointers {
                    complete = false
                    entries.append(entry(result, .unknown, time: time))
                    if requireRevocationData {
                        problems.append(.problem(.revocation, .tryLater,
                            "No usable revocation data (CRL or OCSP response) for \(name) is embedded in the file\(result.notes.isEmpty ? "" : ": " + result.notes.joined(separator: "; "))."))
                    } else {
                        notes.append("\(name): no usable revocation data in the file (not required by the options)")
                    }
                } else {
                    entries.append(entry(result, .noRevocationService, time: time))
                    notes.append("\(name) names no CRL or OCSP service, so there is nothing to check")
                }
            }
        }
        assessment.revocationDataComplete = complete
        assessment.revocation = entries
        if problems.isEmpty {
            let text = path.certificatesRequiringRevocationCheck.isEmpty
                ? "The certificate is itself the trust anchor; there is no revocation to check."
                : "Revocation: " + notes.joined(separator: "; ") + "."
            assessment.checks.append(.passed(.revocation, text))
        } else {
            assessment.checks += problems
        }
        return entries
    }

    /// "CRL of CN=X (issued 2026-11-22 10:00:00 UTC)" / "OCSP response by CN=Y (produced ...)".
    static func describe(_ evidence: RevocationEvidence) -> String {
        switch evidence.source {
        case .crl(let crl):
            return "CRL of \(crl.issuer.displayString) issued \(TimeText.sentence(evidence.thisUpdate))"
        case .ocsp(_, let signer):
            let when = evidence.producedAt ?? evidence.thisUpdate
            return "OCSP response by \(signer.certificate.subject.displayString) produced \(TimeText.sentence(when))"
        }
    }

    private func reasonText(_ revoked: RevokedCertificate) -> String {
        revoked.reason.map { " (reason: \($0))" } ?? ""
    }

    private func entry(_ result: CertificateRevocationResult, _ status: SignatureValidationResult.RevocationEntry.Status,
                       evidence: RevocationEvidence? = nil, revoked: RevokedCertificate? = nil,
                       time: TimeContext) -> SignatureValidationResult.RevocationEntry {
        SignatureValidationResult.RevocationEntry(
            certificate: result.certificate.subject.displayString,
            name: result.certificate.subject.commonName ?? result.certificate.subject.organization ?? result.certificate.subject.displayString,
            serialNumber: result.certificate.serialNumberHex, status: status, source: evidence.map(Self.describe), thisUpdate: evidence?.thisUpdate, nextUpdate: evidence?.nextUpdate,
            revocationTime: revoked?.revocationDate, revocationReason: revoked?.reason?.name,
            freshAtValidationTime: evidence?.isFresh(at: time.validationTime), notes: result.notes)
    }

    // MARK: - Display chain

    /// The chain as far as `pool` goes, for reports when no trusted path exists: issuers by
    /// name and key identifier, the signature checked only to choose among several
    /// candidates (nothing here is trusted). Bounded.
    static func displayChain(from leaf: Certificate, pool: CertificatePool) -> [Certificate] {
        var chain = [leaf]
        while chain.count < 10, let last = chain.last, !last.isSelfIssued {
            let candidates = pool.certificates(withSubject: last.issuer).filter { candidate in
                guard !chain.contains(candidate) else { return false }
                if let aki = last.authorityKeyIdentifier, let ski = candidate.subjectKeyIdentifier { return aki == ski }
                return true
            }
            guard let issuer = candidates.count == 1 ? candidates[0]
                    : candidates.first(where: { last.isSignatureValid(issuerKey: try? $0.publicKey) }) else { break }
            chain.append(issuer)
        }
        return chain
    }
}
