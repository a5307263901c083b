public import FoundationEssentials
import SignetArchive
import SignetCrypto
import SignetPKI
import SignetTemplates

extension SignetService {
    /// What an export wrote.
    public struct ExportResult: Sendable, Hashable {
        /// Contracts in the archive.
        public var contracts: Int
        /// The archive's size in bytes.
        public var bytes: Int
        /// The archive's SHA-256 (hex).
        public var sha256: String

        /// A result.
        public init(contracts: Int, bytes: Int, sha256: String) {
            self.contracts = contracts
            self.bytes = bytes
            self.sha256 = sha256
        }
    }

    /// Checks an export's filter: its values (`exportFilterInvalid`, every problem at once)
    /// and that the merchant it names exists (`notFound("merchant")`). Returns the store query.
    public func checkExportFilter(_ filter: ExportFilter) async throws -> ExportQuery {
        let issues = filter.issues()
        guard issues.isEmpty else { throw ServiceError.exportFilterInvalid(issues) }
        if let merchantID = filter.merchantID {
            guard ResourceID.isWellFormed(merchantID, kind: .merchant),
                  try await storage.merchants.merchant(id: merchantID) != nil else { throw ServiceError.notFound("merchant") }
        }
        return filter.query(utcOffsetSeconds: configuration.utcOffsetSeconds)
    }

    /// Writes the ASiC-E archive of the contracts `filter` selects to `destination`
    /// (docs/archives.md): contracts are read one at a time in commit order, each gathered
    /// (`archivedContract`) and handed to the archive writer, so at most one contract's
    /// bytes are in memory; `progress` hears (done, total) after each. The file appears under
    /// its name only when complete and sealed: any failure leaves nothing there.
    ///
    /// Throws `exportFilterInvalid`, `notFound("merchant")`, `exportEmpty` (no contract
    /// matches), or what failed while writing.
    public func exportArchive(filter: ExportFilter, to destination: URL,
                              progress: @escaping @Sendable (ExportJob.Progress) async -> Void = { _ in }) async throws -> ExportResult {
        let query = try await checkExportFilter(filter)
        let total = try await storage.exports.count(query)
        guard total > 0 else { throw ServiceError.exportEmpty }
        await progress(ExportJob.Progress(done: 0, total: total))
        let sink = try await Offload.run { [self] in try ExportSink(destination: destination, seal: try archiveSeal()) }
        do {
            var done = 0
            var after: Int64?
            repeat {
                let page = try await storage.exports.contracts(query, after: after, limit: 50)
                for contract in page.items {
                    let archived = try await archivedContract(contract)
                    try await Offload.run { try sink.add(archived) }
                    done += 1
                    await progress(ExportJob.Progress(done: done, total: max(total, done)))
                }
                after = page.next
            } while after != nil
            return try await sink.finish(createdAt: now)
        } catch {
            sink.abandon()
            throw error
        }
    }

    /// One contract as the archive holds it: `fields.json`'s record, every audit event, the
    /// original and signed PDFs, the evidence report (made now if the contract has none yet),
    /// the verify report of the signed PDF now (`signet verify --format json`'s JSON) and the
    /// template version's files (checked against the digest the contract was rendered with).
    func archivedContract(_ selected: Contract) async throws -> ArchivedContract {
        // The report first: sealing it appends `evidence.sealed`, which the trail then holds.
        let contract = selected.evidence == nil ? try await sealEvidenceReport(contractID: selected.id) : selected
        guard let signed = contract.signed else { throw ServiceError.signedDocumentNotReady }
        guard let evidence = contract.evidence else { throw ServiceError.internalFailure("evidence of \(contract.number) missing after sealing") }
        let events = try await storage.contracts.auditTrail(contractID: contract.id)
        let originalPDF = try await storage.blobs.get(contract.original.sha256)
        let signedPDF = try await storage.blobs.get(signed.sha256)
        let evidencePDF = try await storage.blobs.get(evidence.sha256)
        let verification = try await verify(pdf: signedPDF, fileName: "signed.pdf")
        let templateFiles = try await templateFiles(of: contract.template)
        return ArchivedContract(
            record: contract.archiveRecord(utcOffsetSeconds: configuration.utcOffsetSeconds),
            auditTrail: ArchivedAuditTrail(contractID: contract.id, merchantID: contract.merchantID, events: events),
            originalPDF: originalPDF, signedPDF: signedPDF, evidencePDF: evidencePDF, verificationJSON: verification,
            templateFiles: templateFiles)
    }

    /// The files of the template version a contract was rendered from, which must still hash
    /// to the digest recorded with the contract.
    func templateFiles(of reference: TemplateReference) async throws -> [TemplateDigest.File] {
        let directory = templates.store.root.appendingPathComponent(reference.id).appendingPathComponent(reference.version)
        return try await Offload.run {
            let files: [TemplateDigest.File]
            do { files = try TemplateDigest.readFiles(in: directory) } catch {
                throw ServiceError.internalFailure("template \(reference.id)@\(reference.version): \(error)")
            }
            guard TemplateDigest.digest(of: files) == reference.digest else {
                throw ServiceError.internalFailure("template \(reference.id)@\(reference.version) no longer has digest \(reference.digest)")
            }
            return files
        }
    }

    /// What seals an archive: the platform seal (as in countersignatures), the signing flow's
    /// TSA, and revocation data from the key directory.
    func archiveSeal() throws -> ArchiveSeal {
        let seal = keys.seal
        return ArchiveSeal(signer: try CMSSigner(key: seal.privateKey, certificate: seal.certificate, chain: seal.chain),
                           timestamps: signingFlow.timestamps, revocation: signingFlow.revocationSource, root: keys.root)
    }
}
