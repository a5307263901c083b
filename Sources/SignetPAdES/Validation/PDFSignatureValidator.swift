import FoundationEssentials
import SignetCrypto
public import SignetPDF

/// Validates every signature of a PDF — approval signatures and document timestamps —
/// offline, against explicit trust anchors, and says in ETSI EN 319 102-1 terms whether
/// each holds.
///
/// ```swift
/// let anchors = try Certificate.loadAll(contentsOfFile: "root.pem")
/// let report = PDFSignatureValidator(options: ValidationOptions(trustAnchors: anchors))
///     .validate(pdf: bytes, fileName: "contract.pdf")
/// print(report.outcome, report.signatures.map(\.indication))
/// print(ValidationReportFormatter.text(report))
/// ```
///
/// Per signature it checks the structure (`/ByteRange` framing exactly this dictionary's
/// `/Contents` and ending at the end of the revision that wrote the dictionary), the CMS
/// (detached, digest, signature over DER signed attributes, signing-certificate
/// binding), signature and document timestamps, the chain to a trust anchor, validity at
/// the best proven time, revocation from the embedded data, what changed in later
/// revisions (through `ModificationAnalyzer`), and the PAdES level reached.
///
/// Never throws and never trusts anything implicitly. Every report carries a verdict
/// (`indication`): a file without signatures is TOTAL_FAILED / FORMAT_FAILURE. A damaged
/// file — one that cannot be read as a PDF, or whose bytes after the last complete
/// revision are not a well-formed update (cut short, data or objects appended) — is
/// scanned for signature dictionaries there, which can then only fail, and every other
/// signature fails too (`FileTail`).
public struct PDFSignatureValidator: Sendable {
    /// The trust anchors, validation time and requirements.
    public var options: ValidationOptions

    /// A validator with `options`.
    public init(options: ValidationOptions = ValidationOptions()) {
        self.options = options
    }

    /// Validates the PDF in `bytes`; `fileName` is only echoed in the report.
    public func validate(pdf bytes: [UInt8], fileName: String? = nil) -> ValidationReport {
        let now = options.clock()
        let document: PDFDocument
        do {
            document = try PDFDocument(bytes: bytes, options: options.readOptions)
        } catch {
            return unreadable(bytes, fileName: fileName, now: now, problem: "\(error)", code: (error as? PDFError)?.code,
                              notPDF: (error as? PDFError) == .missingHeader)
        }
        return validate(document: document, fileName: fileName, now: now)
    }

    /// Validates an already opened document.
    public func validate(document: PDFDocument, fileName: String? = nil) -> ValidationReport {
        validate(document: document, fileName: fileName, now: options.clock())
    }

    private func validate(document: PDFDocument, fileName: String?, now: Date) -> ValidationReport {
        let run = DocumentValidation(document: document, options: options, now: now)
        var signatures = run.run()
        var anomalies = document.anomalies.map(\.description)
        anomalies += run.problems
        if document.isEncrypted { anomalies.append("the document is encrypted; texts shown from it may be unreadable") }
        // Signatures in bytes after the last complete revision (a file cut short in an
        // update, or objects appended): listed and judged, never dropped.
        let tail = run.fileTail
        if tail.isDamaged {
            signatures += UnreadableDocumentValidation.results(document.bytes, in: tail.range, place: .afterLastRevision(start: tail.start),
                                                               firstIndex: signatures.count + 1)
        }
        let damage = Self.damage([tail.damage].compactMap { $0 }, signatures: signatures, size: document.bytes.count)
        let file = ValidationReport.FileSummary(
            name: fileName, size: document.bytes.count, sha256: DigestAlgorithm.sha256.hash(document.bytes).hexString,
            pdfVersion: document.headerVersion, revisions: document.revisions.count, structureReadable: true,
            structureProblem: nil, structureProblemCode: nil, damage: damage, anomalies: anomalies)
        return report(file: file, signatures: signatures, now: now)
    }

    private func unreadable(_ bytes: [UInt8], fileName: String?, now: Date, problem: String, code: String?, notPDF: Bool) -> ValidationReport {
        let signatures = notPDF ? [] : UnreadableDocumentValidation.results(bytes, place: .unreadableFile(problem: problem))
        let damage = notPDF ? nil : Self.damage(["its structure cannot be read (\(problem))"], signatures: signatures, size: bytes.count)
        let file = ValidationReport.FileSummary(
            name: fileName, size: bytes.count, sha256: DigestAlgorithm.sha256.hash(bytes).hexString,
            pdfVersion: nil, revisions: nil, structureReadable: false,
            structureProblem: notPDF ? "not a PDF file: no %PDF- header in the first 1024 bytes" : problem, structureProblemCode: code,
            damage: damage, anomalies: [])
        return report(file: file, signatures: signatures, now: now)
    }

    /// `found` plus the signatures whose byte ranges run past the end of the file, in one
    /// sentence; nil when there is nothing.
    private static func damage(_ found: [String], signatures: [SignatureValidationResult], size: Int) -> String? {
        var parts = found
        let beyond = signatures.filter { signature in
            guard let range = signature.coverage.byteRange, range.count == 4 else { return false }
            let (end, overflow) = range[2].addingReportingOverflow(range[3])
            return overflow || end > size
        }
        if !beyond.isEmpty {
            let which = beyond.map { "\($0.index)" }.joined(separator: ", ")
            parts.append("the byte ranges of signature\(beyond.count == 1 ? "" : "s") \(which) run past its end (\(size) bytes)")
        }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }

    private func report(file: ValidationReport.FileSummary, signatures: [SignatureValidationResult], now: Date) -> ValidationReport {
        let worst = signatures.map(\.indication).max()
        let outcome: ValidationReport.Outcome
        switch worst {
        case nil: outcome = file.structureReadable ? .noSignature : .unreadable
        case .totalPassed?: outcome = .passed
        case .indeterminate?: outcome = .indeterminate
        case .totalFailed?: outcome = .failed
        }
        // Without a signature nothing is proven and nothing can be: TOTAL_FAILED /
        // FORMAT_FAILURE (the file is not a signed PDF), never INDETERMINATE
        // (docs/verify-report.md, "Exit status").
        let indication = worst ?? .totalFailed
        let sub = worst == nil ? .formatFailure : signatures.first { $0.indication == worst }?.subIndication
        let mode: String = switch options.validationTime {
        case .current: "current"
        case .fixed: "fixed"
        case .claimedSigningTime: "claimed"
        }
        let validationTime: Date = if case .fixed(let date) = options.validationTime { date } else { now }
        return ValidationReport(
            schemaVersion: ValidationReport.currentSchemaVersion, generator: "Signet PDFSignatureValidator",
            file: file, validationTime: validationTime,
            policy: .init(trustAnchors: options.trustAnchors.map(CertificateSummary.init), validationTimeMode: mode,
                          revocationDataRequired: options.requireRevocationData),
            outcome: outcome, indication: indication, subIndication: sub, signatures: signatures,
            summary: Self.summary(outcome: outcome, signatures: signatures, file: file))
    }

    static func summary(outcome: ValidationReport.Outcome, signatures: [SignatureValidationResult],
                        file: ValidationReport.FileSummary) -> String {
        let count = signatures.count
        let noun = count == 1 ? "signature" : "signatures"
        let damaged = file.damage.map { "The file is damaged: \($0). " } ?? ""
        switch outcome {
        case .passed:
            return "All \(count) \(noun) passed: intact, trusted, and the document was not changed in a way they do not allow."
        case .failed:
            let failed = signatures.filter { $0.indication == .totalFailed }.count
            return "\(damaged)\(failed) of \(count) \(noun) failed: do not rely on this document's signatures."
        case .indeterminate:
            let open = signatures.filter { $0.indication == .indeterminate }.count
            return "No signature failed, but \(open) of \(count) \(noun) could not be confirmed (INDETERMINATE)."
        case .noSignature:
            return "\(damaged)The file is a PDF without any signature: nothing about it is proven, so it is not valid as a signed document (TOTAL_FAILED / FORMAT_FAILURE)."
        case .unreadable:
            return "The file cannot be read as a PDF (\(file.structureProblem ?? "unknown problem")), and no signature was found in it: nothing about it is proven (TOTAL_FAILED / FORMAT_FAILURE)."
        }
    }
}
