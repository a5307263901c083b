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
            if tail.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 || $0 == 0x0C || $0 == 0x00 }) {
                let text = "The entire file (all \(size) bytes except the signature value itself)."
                return (coverage(.entireFile, text), .passed(.coverage, "The signature covers the entire file."))
            }
            let text = "Its whole revision, the last one; \(tail.count) bytes that are not part of any revision follow the last %%EOF and are not covered."
            return (coverage(.entireRevision, text),
                    .warning(.coverage, "\(tail.count) bytes after the last %%EOF are not covered by any signature; conforming PDF readers ignore them."))
        }
        let later = count - 1 - revision
        let text = "Revision \(revision + 1) of \(count): everything up to byte \(end); \(later) later revision(s) follow."
        return (coverage(.entireRevision, text),
                .passed(.coverage, "The signature covers the document as it was at revision \(revision + 1) of \(count)."))
    }
}
