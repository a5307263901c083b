public import FoundationEssentials
import SignetArchive
import SignetTemplates

extension SignetService {
    /// Makes and seals the evidence report of up to `limit` completed contracts that have
    /// none yet (the background job's round); returns how many it sealed. A failure (TSA down)
    /// leaves the contract for the next round.
    @discardableResult
    public func sealPendingEvidenceReports(limit: Int = 20) async -> Int {
        guard let due = try? await storage.contracts.contractsAwaitingEvidence(limit: limit) else { return 0 }
        var sealed = 0
        for contract in due {
            do {
                _ = try await sealEvidenceReport(contractID: contract.id)
                sealed += 1
            } catch {
                metrics.recordFailure("evidence")
            }
        }
        return sealed
    }

    /// The contract with its evidence report (出证报告): made now when missing. The report is
    /// derived from the contract's record, audit trail and signed PDF (`EvidenceReport.record`),
    /// rendered off the caller's executor, and sealed by the platform at PAdES B-LTA; the
    /// `evidence.sealed` event records its SHA-256. When two makers race, the first commit
    /// wins and the other's report is not recorded.
    ///
    /// - Throws: `ServiceError.contractNotCompleted` before completion, `.notFound`.
    public func sealEvidenceReport(contractID: String) async throws -> Contract {
        let contract = try await contract(id: contractID)
        guard contract.state == .completed, let signed = contract.signed else { throw ServiceError.contractNotCompleted }
        if contract.evidence != nil { return contract }
        let stored: StoredDocument
        do {
            let trail = ArchivedAuditTrail(contractID: contract.id, merchantID: contract.merchantID,
                                           events: try await storage.contracts.auditTrail(contractID: contract.id))
            let archived = contract.archiveRecord(utcOffsetSeconds: configuration.utcOffsetSeconds)
            let signedPDF = try await storage.blobs.get(signed.sha256)
            let rendered = try await Offload.run {
                try EvidenceReport.rendered(try EvidenceReport.record(contract: archived, auditTrail: trail, signedPDF: signedPDF))
            }
            let chinese = contract.locale != "en"
            let reason = chinese ? "出证报告 \(contract.number)" : "Evidence report of contract \(contract.number)"
            let pdf = try await metrics.time("seal_evidence") {
                try await signingFlow.sealAsPlatform(rendered, reason: reason, at: now)
            }
            var document = try await storage.blobs.put(pdf)
            document.pageCount = rendered.pageCount
            stored = document
        } catch {
            throw error is ServiceError ? error : ServiceError.internalFailure("evidence report of \(contract.number): \(error)")
        }
        do {
            return try await change(contractID, action: "sealed") { contract, now, events in
                guard contract.evidence == nil else { throw EvidenceRaceLost() }
                contract.evidence = stored
                events.append(AuditEventDraft(type: "evidence.sealed", actor: RequestOrigin.system.actor, occurredAt: now,
                                              data: ["evidence_sha256": stored.sha256], origin: .system))
                return [:]
            }.contract
        } catch is EvidenceRaceLost {
            return try await self.contract(id: contractID)
        }
    }

    /// The sealed evidence report of a completed contract, made at once when missing;
    /// `contractNotCompleted` before completion.
    public func evidencePDF(contractID: String) async throws -> Download {
        var contract = try await contract(id: contractID)
        guard contract.state == .completed else { throw ServiceError.contractNotCompleted }
        if contract.evidence == nil { contract = try await sealEvidenceReport(contractID: contractID) }
        guard let evidence = contract.evidence else { throw ServiceError.internalFailure("evidence of \(contract.number) missing after sealing") }
        return Download(document: evidence, bytes: try await storage.blobs.get(evidence.sha256), fileName: "\(contract.number)-evidence.pdf")
    }
}

/// Another maker committed the contract's evidence report first.
private struct EvidenceRaceLost: Error {}
