public import FoundationEssentials
public import SignetCrypto
import SignetPAdES
import SignetPDF
import SignetPKI

extension SignetService {
    /// Verifies any signed PDF, as `signet verify --format json` does, trusting this
    /// service's root CA and `extraTrustAnchors` (configured at start) and nothing else.
    /// Returns the JSON report (docs/verify-report.md). A body that is not a PDF is refused.
    public func verify(pdf: [UInt8], fileName: String = "upload.pdf", extraTrustAnchors: [Certificate] = []) async throws -> [UInt8] {
        guard PDFDocument.hasHeader(pdf) else { throw ServiceError.notAPDF }
        let anchors = [keys.root] + extraTrustAnchors
        return try await Offload.run {
            let report = PDFSignatureValidator(options: ValidationOptions(trustAnchors: anchors)).validate(pdf: pdf, fileName: fileName)
            do {
                return Array(try ValidationReportFormatter.json(report).utf8)
            } catch {
                throw ServiceError.internalFailure("verify report: \(error)")
            }
        }
    }
}
