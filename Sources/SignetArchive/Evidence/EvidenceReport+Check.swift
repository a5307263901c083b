import FoundationEssentials
import SignetPAdES
import SignetPDF

extension EvidenceReport {
    /// Problems (empty = matches): derives the record from the contract's archived data,
    /// renders it, and requires `evidencePDF` to be that render as its first revision, followed
    /// by exactly one approval signature (the platform's seal, field `platform`, signing the
    /// revision right after the render) and then only validation data and document timestamps.
    /// No signature may be broken. (Whether the seal chains to a trusted root is for the
    /// verify library with the caller's trust roots.)
    public static func check(evidencePDF: [UInt8], contract: ArchivedContractRecord, auditTrail: ArchivedAuditTrail,
                             signedPDF: [UInt8]) -> [String] {
        let expected: [UInt8]
        do {
            expected = try render(try record(contract: contract, auditTrail: auditTrail, signedPDF: signedPDF))
        } catch {
            return ["the evidence report cannot be derived for contract \(contract.number): \(error.description)"]
        }
        let document: PDFDocument
        do {
            document = try PDFDocument(bytes: evidencePDF)
        } catch {
            return ["evidence.pdf cannot be read as a PDF: \(error)"]
        }
        let first = document.revisions[0]
        guard first.end == expected.count || first.endIncludingEOL == expected.count, evidencePDF.starts(with: expected) else {
            let difference = zip(evidencePDF, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset
                ?? min(evidencePDF.count, expected.count)
            return ["evidence.pdf is not the report of contract \(contract.number): its first revision differs from the report derived from fields.json, audit-trail.json and signed.pdf (first difference at byte \(difference))"]
        }
        return sealProblems(of: evidencePDF)
    }

    /// What is wrong with what follows the render: one platform seal over it, then only
    /// validation data and document timestamps.
    static func sealProblems(of evidencePDF: [UInt8]) -> [String] {
        let options = ValidationOptions(trustAnchors: [], requireRevocationData: false)
        let report = PDFSignatureValidator(options: options).validate(pdf: evidencePDF)
        var problems: [String] = []
        let approvals = report.signatures.filter { $0.kind == .approval }
        if approvals.count != 1 {
            problems.append("evidence.pdf must hold exactly one approval signature (the platform's seal); it holds \(approvals.count)")
        }
        if let seal = approvals.first {
            if seal.fieldName != "platform" {
                problems.append("the seal of evidence.pdf is in field '\(seal.fieldName ?? "")', not 'platform'")
            }
            if seal.coverage.signedRevision != 2 {
                problems.append("the seal of evidence.pdf does not sign the report and nothing else (it signs revision \(seal.coverage.signedRevision.map(String.init) ?? "none"), not 2)")
            }
            if seal.modifications.verdict == .disallowed || seal.modifications.verdict == .notAnalyzed {
                problems.append("evidence.pdf changes after the seal beyond validation data and document timestamps: \(seal.modifications.verdict.rawValue)")
            }
        }
        for signature in report.signatures where signature.indication == .totalFailed {
            problems.append("signature \(signature.index) of evidence.pdf is broken: \(signature.reasons.joined(separator: "; "))")
        }
        return problems
    }
}
