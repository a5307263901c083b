import SignetCrypto
import SignetTemplates

extension SignetService {
    /// The scales `pageImage` draws at: 1 (72 dpi) to 3 (216 dpi).
    public static let pageImageScales = 1...3

    /// The PNG image of page `page` (1-based) of the document a link signer is shown (the
    /// contract's original), at `scale` × 72 dpi (2 = crisp on a phone). Cached.
    ///
    /// The images are drawn from the contract's own layout (the template version, values and
    /// metadata that produced the original, rendered again with images of every page), and
    /// only after the PDF of that render is checked to be the stored original, byte for byte
    /// (its SHA-256): never an image of anything else. All pages of a document at one scale
    /// are drawn at once, off the caller's executor, and kept in the service's in-memory cache
    /// (`ServiceConfiguration.pageImageCacheBytes`, least recently used documents dropped
    /// first), keyed by the original's SHA-256 and the scale.
    ///
    /// - Throws: `ServiceError.validationFailed` (`scale`) for a scale outside 1…3,
    ///   `.notFound("contract")`, `.notFound("page")` for a page the document does not have,
    ///   `.internalFailure` when the render does not give the stored original or fails.
    public func pageImage(contractID: String, page: Int, scale: Int) async throws -> [UInt8] {
        guard Self.pageImageScales.contains(scale) else {
            throw ServiceError.validationFailed([ValidationIssue(field: "scale", code: "out_of_range",
                                                                 message: "must be 1, 2 or 3 (pixels per point)")])
        }
        let contract = try await contract(id: contractID)
        guard page >= 1, page <= contract.original.pageCount ?? Int.max else { throw ServiceError.notFound("page") }
        let key = PageImageCache.Key(sha256: contract.original.sha256, scale: scale)
        let pages = try await pageImageCache.pages(key) { [self] in try await drawPages(of: contract, scale: scale) }
        guard page <= pages.count else { throw ServiceError.notFound("page") }
        return pages[page - 1]
    }

    /// Every page of `contract`'s original at `scale`, from a render checked to be the original.
    private func drawPages(of contract: Contract, scale: Int) async throws -> [[UInt8]] {
        let template = try templates.template(id: contract.template.id, version: contract.template.version)
        guard template.digest == contract.template.digest else {
            throw ServiceError.internalFailure("page images of \(contract.number): template \(template.reference) is not the one rendered")
        }
        // Contracts from before `fill` was stored: their canonical values, which give the
        // original's bytes only where the PDF prints values as stored (else refused below).
        let fields = contract.fill.map(FieldValues.init) ?? FieldValues(strings: contract.fields)
        let metadata = ContractMetadata(number: contract.number, issuedAt: contract.issuedAt, utcOffsetSeconds: configuration.utcOffsetSeconds)
        let drawn = try await metrics.time("render_page_images") {
            try await Offload.run { () throws -> ContractPageImages in
                do {
                    return try ContractRenderer.renderPageImages(template: template, fields: fields, metadata: metadata, scale: scale)
                } catch {
                    throw ServiceError.internalFailure("page images of \(contract.number): \(error)")
                }
            }
        }
        guard drawn.contract.sha256 == contract.original.sha256 else {
            throw ServiceError.internalFailure(
                "page images of \(contract.number): the render gives \(drawn.contract.sha256), not the original \(contract.original.sha256)")
        }
        return drawn.pages.map(\.png)
    }
}
