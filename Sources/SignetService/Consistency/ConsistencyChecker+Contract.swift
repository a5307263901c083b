import FoundationEssentials
import SignetArchive
import SignetTemplates

extension ConsistencyChecker {
    /// The audit data members that name a blob (`contract.created`, `signer.signed`,
    /// `contract.signed`/`completed`, `contract.renewed`, `evidence.sealed`).
    static let auditBlobKeys = ["document_sha256", "document_sha256_before", "document_sha256_after", "evidence_sha256"]

    /// One contract: its row, its audit trail, its state, its signers' events and its blobs.
    func check(_ row: StoredContractRow, _ run: inout ConsistencyRun) async throws {
        run.report.counts.contracts += 1
        let legalState = ContractState(rawValue: row.state) != nil
        if !legalState {
            run.violation(.stateIllegal, row.id, "state '\(row.state)' is not a state of the lifecycle")
        }
        let contract: Contract?
        do {
            contract = try await storage.contracts.contract(id: row.id)
        } catch StoreError.corrupt(let detail) {
            // An illegal state is reported above; anything else unreadable here.
            if legalState { run.violation(.contractUnreadable, row.id, "the store cannot read the contract: \(detail)") }
            contract = nil
        }
        let trail: [AuditEvent]
        do {
            trail = try await storage.contracts.auditTrail(contractID: row.id)
        } catch StoreError.corrupt(let detail) {
            run.violation(.auditChain, row.id, "the store cannot read the audit trail: \(detail)")
            trail = []
        }
        run.report.counts.auditEvents += trail.count
        if let chainBreak = AuditChain.verify(trail, head: contract?.auditHead) {
            run.violation(.auditChain, row.id, chainBreak.description)
        }
        for event in trail where WebhookOutbox.mappedAuditTypes.contains(event.type) {
            run.expectedOutbox[row.id, default: [:]][event.type, default: 0] += 1
        }
        guard let contract else {
            // Still name the audit trail's blobs, so an unreadable row's PDFs are no orphans.
            for event in trail { for key in Self.auditBlobKeys { if let digest = event.data[key] { run.referenced.insert(digest) } } }
            return
        }
        checkState(contract, trail: trail, &run)
        checkSignerEvents(contract, trail: trail, &run)
        try await checkBlobs(contract, trail: trail, &run)
    }

    /// The state against the signers, the dates, the signed PDF and the audit trail (replayed
    /// through `ContractStateMachine`).
    func checkState(_ contract: Contract, trail: [AuditEvent], _ run: inout ConsistencyRun) {
        var problems: [String] = []
        let linkSigners = contract.signers.filter { $0.method == .link }
        let everyLinkSignerSigned = !linkSigners.isEmpty && linkSigners.allSatisfy { $0.state == .signed }
        let platformSigned = contract.signers.contains { $0.method == .platform && $0.state == .signed }
        let anySigned = contract.signers.contains { $0.state == .signed }
        switch contract.state {
        case .draft:
            if contract.sentAt != nil { problems.append("a draft has a sent time") }
            if anySigned { problems.append("a draft has a signer who signed") }
        case .sent, .viewed:
            if contract.sentAt == nil { problems.append("no sent time") }
            if everyLinkSignerSigned { problems.append("every link signer signed, yet it is \(contract.state)") }
            if platformSigned { problems.append("the platform countersigned, yet it is \(contract.state)") }
        case .signed:
            if !everyLinkSignerSigned { problems.append("signed, yet not every link signer signed") }
            if platformSigned { problems.append("the platform countersigned, yet it is not completed") }
        case .completed:
            if !contract.signers.allSatisfy({ $0.state == .signed }) { problems.append("completed, yet not every signer signed") }
            if contract.completedAt == nil { problems.append("completed without a completion time") }
        case .declined:
            if contract.declinedAt == nil { problems.append("declined without a decline time") }
            if !contract.signers.contains(where: { $0.state == .declined }) { problems.append("declined, yet no signer declined") }
        case .voided:
            if contract.voidedAt == nil { problems.append("voided without a void time") }
            if anySigned { problems.append("voided after a signer signed") }
        case .expired:
            if platformSigned { problems.append("expired after the platform countersigned") }
        }
        if anySigned && contract.signed == nil { problems.append("a signer signed, yet there is no signed PDF (signed_sha256)") }
        if !anySigned && contract.signed != nil { problems.append("a signed PDF is recorded, yet no signer signed") }
        for signer in contract.signers where signer.state == .signed && signer.signedAt == nil {
            problems.append("signer \(signer.role.rawValue) signed without a signing time")
        }
        let (replayed, illegalStep) = Self.replayedState(trail)
        if let illegalStep {
            problems.append(illegalStep)
        } else if !trail.isEmpty, replayed != contract.state {
            problems.append("its audit trail leaves it \(replayed), the row says \(contract.state)")
        }
        for problem in problems { run.violation(.stateInconsistent, contract.id, problem) }
    }

    /// The state a trail's events lead to from `draft`, through the lifecycle's transitions;
    /// with the first event that is no transition of `ContractStateMachine`, if any.
    static func replayedState(_ trail: [AuditEvent]) -> (ContractState, String?) {
        var state = ContractState.draft
        for event in trail {
            let target: ContractState? = switch event.type {
            case "contract.sent": .sent
            case "contract.viewed": state == .sent ? .viewed : nil  // a later view changes nothing
            case "contract.signed": .signed
            case "contract.completed": .completed
            case "signer.declined": .declined
            case "contract.voided": .voided
            case "contract.expired": .expired
            default: nil
            }
            guard let target else { continue }
            guard ContractStateMachine.allows(state, target) else {
                return (state, "audit event \(event.sequence) (\(event.type)) moves it from \(state) to \(target): no transition of the lifecycle")
            }
            state = target
        }
        return (state, nil)
    }

    /// One `signer.signed` event per signer who signed, none for the others.
    func checkSignerEvents(_ contract: Contract, trail: [AuditEvent], _ run: inout ConsistencyRun) {
        var events: [String: Int] = [:]
        for event in trail where event.type == "signer.signed" { events[event.data["role"] ?? "", default: 0] += 1 }
        for signer in contract.signers {
            let count = events.removeValue(forKey: signer.role.rawValue) ?? 0
            if count > 1 {
                run.violation(.signerEvents, contract.id, "signer \(signer.role.rawValue) has \(count) signer.signed events")
            } else if signer.state == .signed && count == 0 {
                run.violation(.signerEvents, contract.id, "signer \(signer.role.rawValue) signed without a signer.signed event")
            } else if signer.state != .signed && count > 0 {
                run.violation(.signerEvents, contract.id, "signer \(signer.role.rawValue) is \(signer.state), yet has a signer.signed event")
            }
        }
        for (role, count) in events.sorted(by: { $0.key < $1.key }) {
            run.violation(.signerEvents, contract.id, "\(count) signer.signed event(s) for '\(role)', which is no signer of the contract")
        }
    }
}
