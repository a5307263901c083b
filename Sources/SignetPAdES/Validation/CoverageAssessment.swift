import SignetPDF

/// How much of the file a signature covers.
enum CoverageAssessment {
    static func assess(_ structure: SignatureStructure, document: PDFDocument) -> (SignatureValidationResult.Coverage, ValidationCheck) {
        let size = document.bytes.count
        let count = document.revisions.count
        let signedBytes = structure.ranges.map { $0.reduce(0) { $0 + $1.count } }
        func coverage(_ kind: SignatureValidationResult.Coverage.Kind, _ description: String) -> SignatureValidationResult.Coverage {
            .init(kind: kind, byteRange: structure.byteRange, signedRevision: structure.signedRevision.map { $0 + 1 },
                  revisionCount: count, signedBytes: signedBytes, fileSize: size, description: description)
        }
        guard structure.isSound, let ranges = structure.ranges, let revision = structure.signedRevision else {
            let text = "Anomalous: the byte ranges do not describe a whole revision with only this signature's /Contents left out."
            return (coverage(.anomalous, text), .notApplicable(.coverage, text))
        }
        let end = ranges[1].upperBound
        if revision == count - 1 {
            let tail = document.bytes[end...]
            if tail.allSatisfy(FileTail.isPadding) {
                let text = "The entire file (all \(size) bytes except the signature value itself)."
                return (coverage(.entireFile, text), .passed(.coverage, "The signature covers the entire file."))
            }
            // What the uncovered bytes mean for the file is FileTail's check, which every
            // signature gets.
            let text = "Its whole revision, the last one; \(tail.count) bytes that are not part of any revision follow the last %%EOF and are not covered."
            return (coverage(.entireRevision, text),
                    .passed(.coverage, "The signature covers its whole revision, the last complete one of the file."))
        }
        let later = count - 1 - revision
        let text = "Revision \(revision + 1) of \(count): everything up to byte \(end); \(later) later revision(s) follow."
        return (coverage(.entireRevision, text),
                .passed(.coverage, "The signature covers the document as it was at revision \(revision + 1) of \(count)."))
    }
}
