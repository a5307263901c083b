public import FoundationEssentials
import SignetCrypto
import SignetPAdES

/// The evidence report (出证报告, certificate of completion) of a completed contract: a PDF
/// rendered by Signet's contract renderer from an `EvidenceRecord`, sealed by the platform.
/// Anyone holding the contract's archived data can derive the record again, render it and
/// compare (`check`).
public enum EvidenceReport {
    /// Derives the record from archived data: events up to and including the first
    /// `contract.completed`; the signed PDF prefix whose SHA-256 is that event's
    /// `document_sha256`; each signature's certificate (subject, serial, SHA-256 fingerprint,
    /// issuer), timestamp time and TSA.
    ///
    /// - Throws: `EvidenceError` when the trail is another contract's or broken, the contract
    ///   never completed, or the signed PDF does not hold the completed document.
    public static func record(contract: ArchivedContractRecord, auditTrail: ArchivedAuditTrail,
                              signedPDF: [UInt8]) throws(EvidenceError) -> EvidenceRecord {
        guard auditTrail.contractID == contract.contractID else {
            throw .trailOfAnotherContract(trail: auditTrail.contractID, contract: contract.contractID)
        }
        if let broken = auditTrail.chainBreak { throw .brokenAuditChain(broken.description) }
        guard let completedIndex = auditTrail.events.firstIndex(where: { $0.type == "contract.completed" }) else {
            throw .notCompleted
        }
        let events = auditTrail.events[...completedIndex]
        let completed = events[completedIndex]
        let completedSHA256 = completed.data["document_sha256"] ?? ""
        guard let end = RevisionPrefix.length(in: signedPDF, sha256: completedSHA256) else {
            throw .signedPDFMismatch(expected: completedSHA256)
        }
        let prefix = Array(signedPDF[..<end])

        var signers: [EvidenceRecord.Signer] = []
        for event in events where event.type == "signer.signed" {
            let role = event.data["role"] ?? ""
            let party = contract.signers.first { $0.role == role }
            signers.append(EvidenceRecord.Signer(
                role: role, name: party?.name ?? "", method: party?.method ?? "",
                authentication: event.data["authentication"] ?? "", actor: event.actor, signedAt: event.occurredAt,
                ip: event.ip, userAgent: event.userAgent,
                certificateSubject: event.data["certificate_subject"] ?? event.data["seal_subject"],
                certificateSerial: event.data["certificate_serial"], signatureLevel: event.data["signature_level"],
                consent: event.data["consent"], documentSHA256Shown: event.data["document_sha256_shown"]))
        }
        return EvidenceRecord(
            format: EvidenceRecord.currentFormat, contractID: contract.contractID, merchantID: contract.merchantID,
            number: contract.number, title: contract.title, locale: contract.locale, template: contract.template,
            issuedAt: contract.issuedAt, completedAt: completed.occurredAt, utcOffsetSeconds: contract.utcOffsetSeconds,
            originalSHA256: contract.originalSHA256, signedSHA256: completedSHA256, signers: signers,
            signatures: signatures(of: prefix, at: completed.occurredAt),
            events: events.map {
                EvidenceRecord.Event(sequence: $0.sequence, occurredAt: $0.occurredAt, type: $0.type, actor: $0.actor,
                                     ip: $0.ip, userAgent: $0.userAgent, hash: $0.hash)
            },
            auditHead: AuditChainHead(count: completed.sequence, hash: completed.hash))
    }

    /// Each signature's certificate and timestamp, read by the verify library (nothing trusted,
    /// judged at `time`: only what the file holds is printed, never a verdict).
    static func signatures(of pdf: [UInt8], at time: Date) -> [EvidenceRecord.Signature] {
        let options = ValidationOptions(trustAnchors: [], validationTime: .fixed(time), requireRevocationData: false)
        let report = PDFSignatureValidator(options: options).validate(pdf: pdf)
        return report.signatures.compactMap { result in
            guard let signer = result.signer else { return nil }
            let documentTimestamp = result.kind == .documentTimestamp
            let timestamp = result.timestamps.first { $0.kind == (documentTimestamp ? .documentTimestamp : .signatureTimestamp) }
            return EvidenceRecord.Signature(
                index: result.index, kind: documentTimestamp ? "document-timestamp" : "signature", fieldName: result.fieldName,
                subject: signer.subject, serialNumber: signer.serialNumber, sha256: signer.sha256, issuer: signer.issuer,
                timestampTime: timestamp?.time ?? (documentTimestamp ? result.bestSignatureTime : nil),
                timestampAuthority: timestamp?.tsa?.subject ?? (documentTimestamp ? signer.subject : nil))
        }
    }
}
