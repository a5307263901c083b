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
/// Never throws and never trusts anything implicitly. A file that cannot be read as a PDF
/// is scanned for signature dictionaries, which can then only fail.
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
            return unreadable(bytes, fileName: fileName, now: now, problem: "\(error)",
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
        let signatures = run.run()
        var anomalies = document.anomalies.map(\.description)
        anomalies += run.problems
        if document.isEncrypted { anomalies.append("the document is encrypted; texts shown from it may be unreadable") }
        let file = ValidationReport.FileSummary(
            name: fileName, size: document.bytes.count, sha256: DigestAlgorithm.sha256.hash(document.bytes).hexString,
            pdfVersion: document.headerVersion, revisions: document.revisions.count, structureReadable: true,
            structureProblem: nil, anomalies: anomalies)
        return report(file: file, signatures: signatures, now: now)
    }

    private func unreadable(_ bytes: [UInt8], fileName: String?, now: Date, problem: String, notPDF: Bool) -> ValidationReport {
        let signatures = notPDF ? [] : UnreadableDocumentValidation.results(bytes, structureProblem: problem)
        let file = ValidationReport.FileSummary(
            name: fileName, size: bytes.count, sha256: DigestAlgorithm.sha256.hash(bytes).hexString,
            pdfVersion: nil, revisions: nil, structureReadable: false,
            structureProblem: notPDF ? "not a PDF file: no %PDF- header in the first 1024 bytes" : problem, anomalies: [])
        return report(file: file, signatures: signatures, now: now)
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
        let sub = signatures.first { $0.indication == worst }?.subIndication
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
            outcome: outcome, indication: worst, subIndication: sub, signatures: signatures,
            summary: Self.summary(outcome: outcome, signatures: signatures, file: file))
    }

    static func summary(outcome: ValidationReport.Outcome, signatures: [SignatureValidationResult],
                        file: ValidationReport.FileSummary) -> String {
        let count = signatures.count
        let noun = count == 1 ? "signature" : "signatures"
        switch outcome {
        case .passed:
            return "All \(count) \(noun) passed: intact, trusted, and the document was not changed in a way they do not allow."
        case .failed:
            let failed = signatures.filter { $0.indication == .totalFailed }.count
            return "\(failed) of \(count) \(noun) failed: do not rely on this document's signatures."
        case .indeterminate:
            let open = signatures.filter { $0.indication == .indeterminate }.count
            return "No signature failed, but \(open) of \(count) \(noun) could not be confirmed (INDETERMINATE)."
        case .noSignature:
            return "The file is a PDF without any signature: nothing about it is proven."
        case .unreadable:
            return "The file cannot be read as a PDF (\(file.structureProblem ?? "unknown problem")), and no signature was found in it."
        }
    }
}
