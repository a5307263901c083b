extension SignetService {
    /// A stored PDF with the record that names it.
    public struct Download: Sendable {
        /// The digest, size and pages.
        public var document: StoredDocument
        /// The bytes (checked against the digest by the blob store).
        public var bytes: [UInt8]
        /// A file name for `Content-Disposition`, e.g. `SN-2026-000123.pdf`.
        public var fileName: String
    }

    /// The rendered original of a contract.
    public func originalPDF(contractID: String) async throws -> Download {
        let contract = try await contract(id: contractID)
        return Download(document: contract.original, bytes: try await storage.blobs.get(contract.original.sha256),
                        fileName: "\(contract.number).pdf")
    }

    /// The newest signed PDF of a contract; `signedDocumentNotReady` before the first signature.
    public func signedPDF(contractID: String) async throws -> Download {
        let contract = try await contract(id: contractID)
        guard let signed = contract.signed else { throw ServiceError.signedDocumentNotReady }
        return Download(document: signed, bytes: try await storage.blobs.get(signed.sha256), fileName: "\(contract.number)-signed.pdf")
    }

    /// A paper document's sealed copy.
    public func paperDocumentPDF(id: String) async throws -> Download {
        let document = try await paperDocument(id: id)
        return Download(document: document.sealed, bytes: try await storage.blobs.get(document.sealed.sha256),
                        fileName: "\(document.id).pdf")
    }
}
