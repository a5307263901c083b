public import FoundationEssentials
public import SignetTemplates

extension SignetService {
    /// The contract with `id`.
    public func contract(id: String) async throws -> Contract {
        guard let contract = try await storage.contracts.contract(id: id) else { throw ServiceError.notFound("contract") }
        return contract
    }

    /// `draft → sent`: links for every link signer.
    public func sendContract(id: String, origin: RequestOrigin) async throws -> IssuedContract {
        try await change(id, action: "sent") { contract, now, events in
            guard contract.state == .draft else { throw ServiceError.invalidState(state: contract.state, action: "sent") }
            try checkNotExpired(contract, now: now)
            return sendChanges(&contract, now: now, origin: origin, events: &events)
        }
    }

    /// Voids a contract nobody has signed (`draft`, `sent`, `viewed`); its links die.
    public func voidContract(id: String, reason: String, origin: RequestOrigin) async throws -> Contract {
        let reason = reason.trimmingWhitespace()
        let issues = TextRule(field: "reason", length: 1...500).check(reason)
        guard issues.isEmpty else { throw ServiceError.validationFailed(issues) }
        return try await change(id, action: "voided") { contract, now, events in
            guard ContractStateMachine.canVoid(contract.state) else { throw ServiceError.invalidState(state: contract.state, action: "voided") }
            if let signing = contract.signers.first(where: { $0.claim?.isActive(at: now) == true }) {
                throw ServiceError.signingInProgress(role: signing.role)
            }
            if contract.signers.contains(where: { $0.state == .signed }) {
                throw ServiceError.invalidState(state: contract.state, action: "voided once a signer has signed")
            }
            contract.state = .voided
            contract.voidedAt = now
            contract.voidReason = reason
            contract.killLinks()
            events.append(AuditEventDraft(type: "contract.voided", actor: origin.actor, occurredAt: now, data: ["reason": reason], origin: origin))
            return [:]
        }.contract
    }

    /// A new signing link for a link signer of a `sent`/`viewed` contract; the earlier link dies.
    public func issueSigningLink(contractID: String, role: PartyRole, origin: RequestOrigin) async throws -> SigningLink {
        let issued = try await change(contractID, action: "given a new link") { contract, now, events in
            guard let index = contract.signerIndex(role), contract.signers[index].method == .link else { throw ServiceError.notFound("signer") }
            guard [.sent, .viewed].contains(contract.state) else { throw ServiceError.invalidState(state: contract.state, action: "given a new link") }
            try checkNotExpired(contract, now: now)
            switch contract.signers[index].state {
            case .signed: throw ServiceError.alreadySigned(role: role)
            case .declined: throw ServiceError.invalidState(state: contract.state, action: "given a new link: the signer declined")
            default: break
            }
            let link = newLink(&contract, signer: index, now: now)
            events.append(AuditEventDraft(type: "signer.link_issued", actor: origin.actor, occurredAt: now,
                                          data: ["role": role.rawValue, "expires_at": TimeText.iso8601(contract.expiresAt), "replaces_earlier": "true"],
                                          origin: origin))
            return [role: link]
        }
        guard let link = issued.links[role] else { throw ServiceError.internalFailure("link not issued") }
        return link
    }

    /// Contracts matching `query`, newest first.
    public func contracts(_ query: ContractQuery) async throws -> Page<Contract> {
        try await storage.contracts.contracts(query)
    }

    /// A contract's audit trail and whether its chain holds.
    public func auditTrail(contractID: String) async throws -> (events: [AuditEvent], chainBreak: AuditChain.Break?) {
        let contract = try await contract(id: contractID)
        let events = try await storage.contracts.auditTrail(contractID: contractID)
        return (events, AuditChain.verify(events, head: contract.auditHead))
    }

    /// Every event of a merchant's contracts, oldest first.
    public func timeline(merchantID: String, page: PageRequest) async throws -> Page<AuditEvent> {
        _ = try await merchant(id: merchantID)
        return try await storage.contracts.timeline(merchantID: merchantID, page: page)
    }

    /// Moves contracts past their `expires_at` (unsigned) to `expired`; returns how many.
    /// Contracts with a signing in progress wait for it.
    @discardableResult
    public func expireDueContracts(limit: Int = 100) async throws -> Int {
        var count = 0
        for due in try await storage.contracts.contractsExpired(before: now, limit: limit) {
            do {
                _ = try await change(due.id, action: "expired") { contract, now, events in
                    guard ContractStateMachine.canExpire(contract.state), contract.expiresAt <= now else {
                        throw ServiceError.invalidState(state: contract.state, action: "expired")
                    }
                    if let signing = contract.signers.first(where: { $0.claim?.isActive(at: now) == true }) {
                        throw ServiceError.signingInProgress(role: signing.role)
                    }
                    contract.state = .expired
                    contract.killLinks()
                    events.append(AuditEventDraft(type: "contract.expired", actor: RequestOrigin.system.actor, occurredAt: now,
                                                  data: ["expires_at": TimeText.iso8601(contract.expiresAt)], origin: .system))
                    return [:]
                }
                count += 1
            } catch let error as ServiceError where error.kind == .conflict {
                continue
            }
        }
        return count
    }

    func checkNotExpired(_ contract: Contract, now: Date) throws {
        if contract.expiresAt <= now { throw ServiceError.contractExpired }
    }

    /// Reads the contract, lets `body` change it (throwing a `ServiceError` to refuse), and
    /// commits the change against the version read; a lost race re-reads and re-decides, so
    /// the guard is always evaluated on the state that commits.
    func change(_ id: String, action: String,
                _ body: (inout Contract, Date, inout [AuditEventDraft]) throws -> [PartyRole: SigningLink]) async throws -> IssuedContract {
        for _ in 0..<8 {
            let current = try await contract(id: id)
            var updated = current
            var events: [AuditEventDraft] = []
            let now = self.now
            let links = try body(&updated, now, &events)
            guard ContractStateMachine.allows(current.state, updated.state) else {
                throw ServiceError.invalidState(state: current.state, action: action)
            }
            updated.updatedAt = now
            switch try await storage.contracts.apply(ContractChange(contract: updated, expectedVersion: current.version, events: events)) {
            case .committed(let stored):
                if stored.state != current.state { metrics.recordTransition(stored.state) }
                return IssuedContract(contract: stored, links: links)
            case .stale(let latest):
                guard latest != nil else { throw ServiceError.notFound("contract") }
                continue
            }
        }
        throw ServiceError.invalidState(state: (try? await contract(id: id))?.state ?? .draft, action: "\(action) (too many concurrent changes; retry)")
    }
}

extension Contract {
    /// Every signer's link stops working.
    mutating func killLinks() {
        for index in signers.indices { signers[index].linkTokenHash = nil }
    }
}

import SignetCrypto
public import SignetArchive
