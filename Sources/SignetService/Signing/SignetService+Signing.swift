public import FoundationEssentials
public import SignetTemplates
import SignetCrypto
import SignetPKI

extension SignetService {
    /// A link signer signs: the merchant's one-time event certificate signature (PAdES B-T)
    /// over the contract as it stands; when every link signer has signed, the platform
    /// countersigns at once (B-LTA) and the contract is `completed`.
    ///
    /// Exactly one signature per signer, however many calls race: the call first claims the
    /// signer (a lease, committed against the contract's version), signs outside any
    /// transaction, stores the PDF, then commits the signature only if it still holds the
    /// claim. Losers get `signingInProgress` or `alreadySigned` and change nothing.
    /// If the countersignature fails (e.g. the TSA is down), the contract stays `signed` and
    /// `resumeCountersignatures()` completes it later.
    public func sign(contractID: String, role: PartyRole, evidence: SigningEvidence) async throws -> Contract {
        let claimID = ResourceID.make(.signingClaim)
        let claimed = try await claim(contractID: contractID, role: role, claimID: claimID) { contract, index, now in
            guard contract.signers[index].method == .link else { throw ServiceError.notFound("signer") }
            if contract.signers[index].state == .signed { throw ServiceError.alreadySigned(role: role) }
            guard ContractStateMachine.canSign(contract.state) else { throw ServiceError.invalidState(state: contract.state, action: "signed") }
            try checkNotExpired(contract, now: now)
            if contract.signers[index].state == .declined { throw ServiceError.invalidState(state: contract.state, action: "signed: the signer declined") }
            if let earlier = contract.signers[..<index].first(where: { $0.method == .link && $0.state != .signed }) {
                throw ServiceError.invalidState(state: contract.state, action: "signed before \(earlier.role) has signed")
            }
        }
        let signedAt = now
        let before = claimed.signed ?? claimed.original
        let signature: (document: StoredDocument, certificate: Certificate)
        do {
            let rendered = try await renderedContract(claimed, pdfSHA256: before.sha256)
            let (pdf, certificate) = try await metrics.time("sign_merchant") {
                try await signingFlow.signAsMerchant(rendered, signingEventID: claimID, at: signedAt)
            }
            var document = try await storage.blobs.put(pdf)
            document.pageCount = claimed.original.pageCount
            signature = (document, certificate)
        } catch {
            await releaseClaim(contractID: contractID, role: role, claimID: claimID)
            throw error is ServiceError ? error : ServiceError.internalFailure("merchant signature of \(claimed.number): \(error)")
        }

        let committed = try await change(contractID, action: "signed") { contract, now, events in
            guard let index = contract.signerIndex(role), contract.signers[index].claim?.id == claimID else {
                throw ServiceError.signingInProgress(role: role)
            }
            guard ContractStateMachine.canSign(contract.state) else { throw ServiceError.invalidState(state: contract.state, action: "signed") }
            contract.signers[index].state = .signed
            contract.signers[index].signedAt = signedAt
            contract.signers[index].certificateSerial = signature.certificate.serialNumberHex
            contract.signers[index].claim = nil
            contract.signers[index].linkTokenHash = nil
            contract.signed = signature.document
            var data = [
                "role": role.rawValue, "authentication": evidence.authentication,
                "certificate_serial": signature.certificate.serialNumberHex,
                "certificate_sha256": DigestAlgorithm.sha256.hash(signature.certificate.der).hexString,
                "certificate_subject": signature.certificate.subject.displayString,
                "document_sha256_before": before.sha256, "document_sha256_after": signature.document.sha256,
                "signature_level": "PAdES-B-T", "signing_event": claimID,
            ]
            if let consent = evidence.consent { data["consent"] = consent }
            if let shown = evidence.documentSHA256Shown { data["document_sha256_shown"] = shown }
            events.append(AuditEventDraft(type: "signer.signed", actor: evidence.origin.actor, occurredAt: now, data: data, origin: evidence.origin))
            if contract.signers.allSatisfy({ $0.method != .link || $0.state == .signed }) {
                contract.state = .signed
                events.append(AuditEventDraft(type: "contract.signed", actor: RequestOrigin.system.actor, occurredAt: now,
                                              data: ["document_sha256": signature.document.sha256], origin: .system))
            }
            return [:]
        }.contract
        guard committed.state == .signed else { return committed }
        do {
            return try await countersign(contractID: contractID)
        } catch {
            // The merchant's signature stands either way: another worker is countersigning
            // (or has), or the countersignature failed (TSA down: timestamping fails closed)
            // and `resumeCountersignatures()` completes it later.
            metrics.recordFailure("countersign")
            return try await contract(id: contractID)
        }
    }

    /// The platform countersigns a `signed` contract with its seal (PAdES B-LTA: validation
    /// data for every signature and a document timestamp) and completes it.
    public func countersign(contractID: String) async throws -> Contract {
        let claimID = ResourceID.make(.signingClaim)
        let claimed = try await claim(contractID: contractID, role: .platform, claimID: claimID) { contract, index, _ in
            guard contract.signers[index].method == .platform else { throw ServiceError.notFound("signer") }
            if contract.signers[index].state == .signed { throw ServiceError.alreadySigned(role: .platform) }
            guard contract.state == .signed else { throw ServiceError.invalidState(state: contract.state, action: "countersigned") }
        }
        let signedAt = now
        guard let before = claimed.signed else { throw ServiceError.internalFailure("signed contract \(claimed.number) has no signed PDF") }
        let document: StoredDocument
        let newestTimestampExpiry: Date?
        do {
            let rendered = try await renderedContract(claimed, pdfSHA256: claimed.original.sha256)
            let merchantSigned = try await storage.blobs.get(before.sha256)
            let pdf = try await metrics.time("countersign") {
                try await signingFlow.countersignAsPlatform(merchantSigned, contract: rendered, at: signedAt)
            }
            var stored = try await storage.blobs.put(pdf)
            stored.pageCount = claimed.original.pageCount
            document = stored
            newestTimestampExpiry = timestampExpiry(ofCompleted: pdf)
        } catch {
            await releaseClaim(contractID: contractID, role: .platform, claimID: claimID)
            throw error is ServiceError ? error : ServiceError.internalFailure("countersignature of \(claimed.number): \(error)")
        }
        let seal = signingFlow.keys.seal.certificate
        return try await change(contractID, action: "completed") { contract, now, events in
            guard let index = contract.signerIndex(.platform), contract.signers[index].claim?.id == claimID else {
                throw ServiceError.signingInProgress(role: .platform)
            }
            guard contract.state == .signed else { throw ServiceError.invalidState(state: contract.state, action: "completed") }
            contract.signers[index].state = .signed
            contract.signers[index].signedAt = signedAt
            contract.signers[index].claim = nil
            contract.signed = document
            contract.timestampExpiresAt = newestTimestampExpiry
            contract.state = .completed
            contract.completedAt = now
            events.append(AuditEventDraft(type: "signer.signed", actor: RequestOrigin.system.actor, occurredAt: now, data: [
                "role": PartyRole.platform.rawValue, "authentication": "platform_seal",
                "document_sha256_before": before.sha256, "document_sha256_after": document.sha256,
                "signature_level": "PAdES-B-LTA", "seal_subject": seal.subject.displayString, "signing_event": claimID,
            ], origin: .system))
            events.append(AuditEventDraft(type: "contract.completed", actor: RequestOrigin.system.actor, occurredAt: now,
                                          data: ["document_sha256": document.sha256], origin: .system))
            return [:]
        }.contract
    }

    /// Countersigns every `signed` contract nobody is countersigning (after a crash or a TSA
    /// outage) and that has not changed for `countersignatureResumeDelay` (so the job never
    /// races the countersignature a signing call starts at once); returns how many completed.
    @discardableResult
    public func resumeCountersignatures(limit: Int = 50) async -> Int {
        var completed = 0
        guard let due = try? await storage.contracts.contractsAwaitingCountersignature(limit: limit) else { return 0 }
        let settled = now.addingTimeInterval(-configuration.countersignatureResumeDelay)
        for contract in due where contract.signer(.platform)?.claim?.isActive(at: now) != true && contract.updatedAt <= settled {
            if (try? await countersign(contractID: contract.id))?.state == .completed { completed += 1 }
        }
        return completed
    }

    /// Commits a claim on `role`'s signature after `check` accepts the contract.
    private func claim(contractID: String, role: PartyRole, claimID: String,
                       _ check: @escaping (Contract, Int, Date) throws -> Void) async throws -> Contract {
        try await change(contractID, action: "signed") { contract, now, _ in
            guard let index = contract.signerIndex(role) else { throw ServiceError.notFound("signer") }
            try check(contract, index, now)
            if contract.signers[index].claim?.isActive(at: now) == true { throw ServiceError.signingInProgress(role: role) }
            contract.signers[index].claim = SigningClaim(id: claimID, expiresAt: now.addingTimeInterval(configuration.signingLease))
            return [:]
        }.contract
    }

    /// Gives up a claim after a failed attempt, so the signer can try again at once.
    private func releaseClaim(contractID: String, role: PartyRole, claimID: String) async {
        _ = try? await change(contractID, action: "released") { contract, _, _ in
            guard let index = contract.signerIndex(role), contract.signers[index].claim?.id == claimID else {
                throw ServiceError.signingInProgress(role: role)
            }
            contract.signers[index].claim = nil
            return [:]
        }
    }

    /// The stored contract as the signing flow needs it: the original render's facts with the
    /// PDF that `pdfSHA256` names.
    func renderedContract(_ contract: Contract, pdfSHA256: String) async throws -> RenderedContract {
        let pdf = try await storage.blobs.get(pdfSHA256)
        return RenderedContract(
            pdf: pdf, sha256: pdfSHA256, pageCount: contract.original.pageCount ?? 0, templateID: contract.template.id,
            templateVersion: contract.template.version, templateDigest: contract.template.digest,
            metadata: ContractMetadata(number: contract.number, issuedAt: contract.issuedAt, utcOffsetSeconds: configuration.utcOffsetSeconds),
            fields: contract.fields, signatureBoxes: contract.signatureBoxes)
    }
}
