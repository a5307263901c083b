public import FoundationEssentials
public import SignetTemplates

extension SignetService {
    /// Creates a contract: validates every value at once (fields with the template's
    /// validator, the merchant's party fields from its record, signers, expiry, metadata),
    /// reserves its number, renders it (off the caller's executor), stores the PDF, and
    /// commits the contract with its first audit events; sent (links issued) unless `draft`.
    ///
    /// With `idempotencyKey` (a started `beginIdempotent` request), the contract is recorded
    /// as the key's resource in the transaction that creates it, so the key creates at most one
    /// contract: a retry that takes the key over after a crash (the first request committed,
    /// but its response was never stored) gets that contract back, with new signing links
    /// (the first ones were never delivered: only their hashes are stored).
    public func createContract(_ request: NewContract, origin: RequestOrigin, idempotencyKey: IdempotencyKey? = nil) async throws -> IssuedContract {
        try await createOnce(under: idempotencyKey, earlier: { try await contractCreatedEarlier(id: $0, origin: origin) }) { claim in
            try await makeContract(request, origin: origin, claim: claim)
        }
    }

    /// `createContract`'s work, the contract recorded as `claim`'s resource when there is one.
    private func makeContract(_ request: NewContract, origin: RequestOrigin, claim: IdempotencyKey?) async throws -> IssuedContract {
        guard let merchant = try await storage.merchants.merchant(id: request.merchantID) else { throw ServiceError.notFound("merchant") }
        let template = try templates.template(id: request.templateID, version: request.templateVersion)
        let now = self.now
        var issues: [ValidationIssue] = []

        let (fields, conflicts) = MerchantPartyFields.merge(request.fields, merchant: merchant, template: template)
        issues += conflicts
        do {
            _ = try template.validate(fields)
        } catch {
            // A field the record filled is reported once, as a conflict.
            let conflicted = Set(conflicts.map(\.field))
            issues += error.errors.map { ValidationIssue($0) }.filter { !conflicted.contains($0.field) }
        }
        let signers = ContractSigners.make(request.signers, template: template, merchant: merchant, fields: fields, issues: &issues)
        let expiresAt = expiry(request.expiresAt, now: now, issues: &issues)
        issues += ContractMetadataRules.check(request.metadata)
        guard issues.isEmpty else { throw ServiceError.validationFailed(issues) }

        let year = CivilYear.of(now, utcOffsetSeconds: configuration.utcOffsetSeconds)
        let serial = try await storage.contracts.reserveContractNumber(year: year)
        let number = "\(configuration.contractNumberPrefix)-\(year)-\(String(repeating: "0", count: max(0, 6 - String(serial).count)))\(serial)"
        // The printed issue time is to the second (a render input: whole seconds).
        let issuedAt = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
        let metadata = ContractMetadata(number: number, issuedAt: issuedAt, utcOffsetSeconds: configuration.utcOffsetSeconds)
        let rendered: RenderedContract = try await metrics.time("render") {
            try await Offload.run { () throws -> RenderedContract in
                do {
                    return try ContractRenderer.render(template: template, fields: fields, metadata: metadata)
                } catch let error as RenderError {
                    if case .invalidFields(let fieldErrors) = error {
                        throw ServiceError.validationFailed(fieldErrors.errors.map { ValidationIssue($0) })
                    }
                    throw ServiceError.internalFailure("render \(number): \(error)")
                } catch {
                    throw ServiceError.internalFailure("render \(number): \(error)")
                }
            }
        }
        var original = try await storage.blobs.put(rendered.pdf)
        original.pageCount = rendered.pageCount

        var contract = Contract(
            id: ResourceID.make(.contract), number: number, merchantID: merchant.id, state: .draft,
            template: TemplateReference(id: rendered.templateID, version: rendered.templateVersion, digest: rendered.templateDigest),
            title: template.manifest.displayTitle, locale: template.manifest.locale.rawValue, fields: rendered.fields,
            metadata: request.metadata, signers: signers, signatureBoxes: rendered.signatureBoxes, original: original,
            issuedAt: issuedAt, expiresAt: expiresAt, createdAt: now, updatedAt: now, fill: fields.values)
        var events = [AuditEventDraft(type: "contract.created", actor: origin.actor, occurredAt: now, data: [
            "number": number, "template": "\(rendered.templateID)@\(rendered.templateVersion)",
            "template_digest": rendered.templateDigest, "document_sha256": original.sha256,
            "pages": String(rendered.pageCount),
        ], origin: origin)]
        var links: [PartyRole: SigningLink] = [:]
        if !request.draft {
            links = sendChanges(&contract, now: now, origin: origin, events: &events)
        }
        let stored = try await storage.contracts.insert(contract, events: events, claim: claim)
        metrics.recordTransition(stored.state)
        return IssuedContract(contract: stored, links: links)
    }

    /// The contract `id` an earlier request under the same key created, with a new link for
    /// every link signer who can still sign.
    private func contractCreatedEarlier(id: String, origin: RequestOrigin) async throws -> IssuedContract {
        let contract = try await self.contract(id: id)
        let open = contract.signers.filter { $0.method == .link && ![.signed, .declined].contains($0.state) }
        guard [.sent, .viewed].contains(contract.state), contract.expiresAt > now, !open.isEmpty else { return IssuedContract(contract: contract) }
        return try await change(id, action: "given new links") { contract, now, events in
            guard [.sent, .viewed].contains(contract.state) else { return [:] }
            var links: [PartyRole: SigningLink] = [:]
            for index in contract.signers.indices where contract.signers[index].method == .link
                && ![.signed, .declined].contains(contract.signers[index].state) {
                links[contract.signers[index].role] = newLink(&contract, signer: index, now: now)
                events.append(AuditEventDraft(type: "signer.link_issued", actor: origin.actor, occurredAt: now,
                                              data: ["role": contract.signers[index].role.rawValue,
                                                     "expires_at": TimeText.iso8601(contract.expiresAt), "replaces_earlier": "true",
                                                     "reason": "idempotent_retry"],
                                              origin: origin))
            }
            return links
        }
    }

    /// Moves `contract` to `sent`: a link for every link signer, events `contract.sent` and
    /// `signer.link_issued`.
    func sendChanges(_ contract: inout Contract, now: Date, origin: RequestOrigin, events: inout [AuditEventDraft]) -> [PartyRole: SigningLink] {
        contract.state = .sent
        contract.sentAt = now
        contract.updatedAt = now
        events.append(AuditEventDraft(type: "contract.sent", actor: origin.actor, occurredAt: now, origin: origin))
        var links: [PartyRole: SigningLink] = [:]
        for index in contract.signers.indices where contract.signers[index].method == .link {
            links[contract.signers[index].role] = newLink(&contract, signer: index, now: now)
            events.append(AuditEventDraft(type: "signer.link_issued", actor: origin.actor, occurredAt: now,
                                          data: ["role": contract.signers[index].role.rawValue, "expires_at": TimeText.iso8601(contract.expiresAt)],
                                          origin: origin))
        }
        return links
    }

    /// A new signing link for the signer at `index` (its earlier link dies); a pending
    /// signer becomes notified.
    func newLink(_ contract: inout Contract, signer index: Int, now: Date) -> SigningLink {
        let link = SigningLink.make(baseURL: configuration.baseURL, expiresAt: contract.expiresAt)
        contract.signers[index].linkTokenHash = link.tokenHash
        contract.signers[index].linkIssuedAt = now
        if contract.signers[index].state == .pending { contract.signers[index].state = .notified }
        return link
    }

    private func expiry(_ requested: Date?, now: Date, issues: inout [ValidationIssue]) -> Date {
        guard let requested else { return AuditChain.millisecondPrecision(now.addingTimeInterval(configuration.defaultExpiry)) }
        if requested <= now.addingTimeInterval(60) {
            issues.append(.init(field: "expires_at", code: "not_in_future", message: "must be at least a minute in the future"))
        } else if requested > now.addingTimeInterval(configuration.maximumExpiry) {
            issues.append(.init(field: "expires_at", code: "too_far", message: "must be within \(Int(configuration.maximumExpiry / 86_400)) days"))
        }
        return AuditChain.millisecondPrecision(requested)
    }
}

/// The calendar year of a moment at a UTC offset (for contract numbers).
enum CivilYear {
    static func of(_ date: Date, utcOffsetSeconds: Int) -> Int {
        CivilTime(date, offsetFromUTC: utcOffsetSeconds).year
    }
}

import SignetCrypto
public import SignetArchive
