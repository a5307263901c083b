public import FoundationEssentials
import SignetCrypto
import SignetPAdES
import SignetPDF
import SignetPKI

extension SignetService {
    /// The reason written into a certified copy's signature.
    public static let certifiedCopyReason = "certified copy of the paper original"

    /// Seals a scanned paper contract as a certified copy: the platform's seal signature at
    /// PAdES B-LTA with the reason "certified copy of the paper original", stored with the
    /// merchant. Refuses a body that is not a PDF, an encrypted PDF and one that cannot be
    /// parsed, before anything is stored. With `idempotencyKey` (a started `beginIdempotent`
    /// request) the key certifies at most one document, also across a crash (`createOnce`).
    public func certifyPaperDocument(merchantID: String, pdf: [UInt8], title: String?, origin: RequestOrigin,
                                     idempotencyKey: IdempotencyKey? = nil) async throws -> PaperDocument {
        try await createOnce(under: idempotencyKey, earlier: { try await paperDocument(id: $0) }) { claim in
            try await sealPaperDocument(merchantID: merchantID, pdf: pdf, title: title, claim: claim)
        }
    }

    /// `certifyPaperDocument`'s work, the document recorded as `claim`'s resource when there is one.
    private func sealPaperDocument(merchantID: String, pdf: [UInt8], title: String?, claim: IdempotencyKey?) async throws -> PaperDocument {
        let merchant = try await merchant(id: merchantID)
        let title = (title ?? "").trimmingWhitespace()
        let titleIssues = title.isEmpty ? [] : TextRule(field: "title", length: 1...200).check(title)
        guard titleIssues.isEmpty else { throw ServiceError.validationFailed(titleIssues) }
        let pageCount = try await Offload.run { try Self.checkUploadedPDF(pdf) }
        let original = try await storage.blobs.put(pdf)
        let now = self.now
        let signed: [UInt8]
        do {
            let seal = signingFlow.keys.seal
            let signer = PAdESSigner(cms: try CMSSigner(key: seal.privateKey, certificate: seal.certificate, chain: seal.chain),
                                     timestampProvider: signingFlow.timestamps,
                                     revocationSource: signingFlow.revocationSource)
            let request = SignatureRequest(fieldName: "certified_copy", metadata: SignatureMetadata(
                signingTime: now, signerName: seal.certificate.subject.organization, reason: Self.certifiedCopyReason))
            signed = try await metrics.time("seal_document") { try await signer.sign(pdf, level: .bLTA, request: request) }
        } catch {
            throw ServiceError.damagedPDF("it could not be sealed: \(ErrorCodes.code(of: error) ?? "unsupported structure")")
        }
        var sealed = try await storage.blobs.put(signed)
        sealed.pageCount = pageCount
        var originalDocument = original
        originalDocument.pageCount = pageCount
        let document = PaperDocument(id: ResourceID.make(.document), merchantID: merchant.id,
                                     title: title.isEmpty ? "Paper contract" : title, original: originalDocument,
                                     sealed: sealed, createdAt: now)
        return try await storage.documents.insert(document, claim: claim)
    }

    /// A paper document of any merchant.
    public func paperDocument(id: String) async throws -> PaperDocument {
        guard let document = try await storage.documents.document(id: id) else { throw ServiceError.notFound("document") }
        return document
    }

    /// A merchant's paper documents, newest first.
    public func paperDocuments(merchantID: String, page: PageRequest) async throws -> Page<PaperDocument> {
        _ = try await merchant(id: merchantID)
        return try await storage.documents.documents(merchantID: merchantID, page: page)
    }

    /// The page count of an uploaded PDF, or why it is refused.
    static func checkUploadedPDF(_ pdf: [UInt8]) throws(ServiceError) -> Int {
        guard PDFDocument.hasHeader(pdf) else { throw .notAPDF }
        let document: PDFDocument
        do {
            document = try PDFDocument(bytes: pdf)
        } catch {
            throw .damagedPDF(ErrorCodes.code(of: error) ?? "unreadable")
        }
        if document.isEncrypted { throw .encryptedPDF }
        do {
            let pages = try document.current.pageCount()
            guard pages > 0 else { throw ServiceError.damagedPDF("it has no pages") }
            return pages
        } catch let error as ServiceError {
            throw error
        } catch {
            throw .damagedPDF(ErrorCodes.code(of: error) ?? "unreadable page tree")
        }
    }
}
