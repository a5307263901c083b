public import FoundationEssentials
public import SignetTemplates
import SignetCrypto

/// A signer's link as the landing page sees it: the contract and the role it is for.
public struct OpenedLink: Sendable {
    /// The contract (its title, parties and expiry are shown; never its contents).
    public var contract: Contract
    /// The signer's role.
    public var role: PartyRole
}

/// A new signer session: the secret goes into the cookie (and nowhere else).
public struct SessionGrant: Sendable {
    /// `ses_…`: the cookie's value.
    public var secret: String
    /// The session as stored.
    public var session: SignerSession
}

/// A signer's request as the service authorises it: the session and the contract now.
public struct SignerContext: Sendable {
    /// The session.
    public var session: SignerSession
    /// The contract as stored now.
    public var contract: Contract
    /// The signer.
    public var signer: Signer
}

extension SignetService {
    /// The landing of `GET /s/{token}`: the contract and role of a current signing link.
    /// Unknown links are `linkInvalid` (404); expired, superseded or used ones and links of
    /// final contracts `linkExpired` (410) — after the same store work in every case. The
    /// first open of a link records `contract.viewed` (state `sent → viewed`).
    public func openLink(token: String, origin: RequestOrigin) async throws -> OpenedLink {
        let tokenHash = SigningLink.tokenHash(token)
        let lookup = try await storage.signerAccess.lookupLink(tokenHash: tokenHash)
        let now = self.now
        switch lookup {
        case .unknown: throw ServiceError.linkInvalid
        case .retired, .embedded: throw ServiceError.linkExpired
        case .signer(let contract, let role):
            guard ContractStateMachine.canSign(contract.state), contract.expiresAt > now,
                  let signer = contract.signer(role), [.notified, .viewed, .pending].contains(signer.state) else {
                throw ServiceError.linkExpired
            }
            if try await storage.signerAccess.markLinkViewed(tokenHash: tokenHash, contractID: contract.id, at: now) {
                _ = try? await change(contract.id, action: "viewed") { contract, now, events in
                    guard let index = contract.signerIndex(role), contract.signers[index].linkTokenHash == tokenHash else {
                        throw ServiceError.linkExpired
                    }
                    if contract.state == .sent { contract.state = .viewed }
                    if contract.signers[index].state == .notified { contract.signers[index].state = .viewed }
                    events.append(AuditEventDraft(type: "contract.viewed", actor: "signer:\(role.rawValue)", occurredAt: now,
                                                  data: ["role": role.rawValue], origin: Self.signer(origin, role)))
                    return [:]
                }
            }
            return OpenedLink(contract: try await self.contract(id: contract.id), role: role)
        }
    }

    /// The locale of the contract a link belongs to (a signer's link, current or not, or an
    /// embedded link), for the language of its error pages; nil for unknown and retired links.
    /// One lookup, the same in every case; nothing recorded.
    public func linkLocale(token: String) async -> String? {
        switch try? await storage.signerAccess.lookupLink(tokenHash: SigningLink.tokenHash(token)) {
        case .signer(let contract, _), .embedded(_, let contract): return contract.locale
        default: return nil
        }
    }

    /// Sends a new one-time code for the signer of a current link through `codeNotifier`:
    /// refused within 60 s of the last one (`otpResendTooSoon`) and past the per-address and
    /// per-signer limits (`rateLimited`). Records `signer.otp_requested`. Returns the
    /// challenge's id.
    @discardableResult
    public func requestCode(token: String, origin: RequestOrigin) async throws -> CodeChallenge {
        let settings = configuration.signerAccess
        let link = try await currentLink(token: token)
        let now = self.now
        try await limit("ip:\(origin.ip ?? "unknown")", settings.requestsPerAddress, now: now)
        if let last = try await storage.signerAccess.latestChallenge(contractID: link.contract.id, role: link.role) {
            let wait = last.createdAt.addingTimeInterval(settings.resendInterval).timeIntervalSince(now)
            if wait > 0 { throw ServiceError.otpResendTooSoon(retryAfter: Int(wait.rounded(.up))) }
        }
        try await limit("signer:\(link.contract.id):\(link.role.rawValue)", settings.codesPerSigner, now: now)
        let code = SignerAccessSecrets.code()
        let id = ResourceID.make(.codeChallenge)
        let challenge = CodeChallenge(
            id: id, contractID: link.contract.id, role: link.role, tokenHash: SigningLink.tokenHash(token),
            codeHash: SignerAccessSecrets.codeHash(code: code, challengeID: id, pepper: configuration.responseSealingKey),
            notifier: codeNotifier.name, createdAt: now, expiresAt: now.addingTimeInterval(settings.codeLifetime))
        try await storage.signerAccess.insertChallenge(challenge)
        do {
            try await codeNotifier.deliver(code: code, contract: link.contract, role: link.role, challengeID: id, expiresAt: challenge.expiresAt)
        } catch {
            throw ServiceError.internalFailure("the \(codeNotifier.name) notifier could not deliver challenge \(id): \(error)")
        }
        try await record(link.contract.id, "signer.otp_requested", origin: origin,
                         ["role": link.role.rawValue, "challenge": id, "notifier": codeNotifier.name])
        return challenge
    }

    /// Checks a code against the signer's newest challenge: the right code opens a session
    /// (`signer.otp_verified`); a wrong one is `otpInvalid` with the tries left, the fifth
    /// locks the challenge (`signer.otp_locked`, then `otpLocked`).
    public func verifyCode(token: String, code: String, origin: RequestOrigin) async throws -> SessionGrant {
        let settings = configuration.signerAccess
        let link = try await currentLink(token: token)
        let now = self.now
        try await limit("ip:\(origin.ip ?? "unknown")", settings.requestsPerAddress, now: now)
        let tokenHash = SigningLink.tokenHash(token)
        guard let challenge = try await storage.signerAccess.latestChallenge(contractID: link.contract.id, role: link.role),
              challenge.tokenHash == tokenHash, challenge.verifiedAt == nil else { throw ServiceError.otpExpired }
        if challenge.lockedAt != nil { throw ServiceError.otpLocked(retryAfter: resendWait(challenge, now: now)) }
        guard challenge.expiresAt > now else { throw ServiceError.otpExpired }
        let presented = SignerAccessSecrets.codeHash(code: code, challengeID: challenge.id, pepper: configuration.responseSealingKey)
        guard SignerAccessSecrets.isCodeShaped(code), ConstantTime.equal(Array(presented.utf8), Array(challenge.codeHash.utf8)) else {
            guard let counted = try await storage.signerAccess.recordWrongCode(
                challengeID: challenge.id, maximumAttempts: settings.maximumAttempts, at: now) else {
                throw ServiceError.otpLocked(retryAfter: resendWait(challenge, now: now))
            }
            if counted.lockedAt != nil {
                try await record(link.contract.id, "signer.otp_locked", origin: origin, ["role": link.role.rawValue, "challenge": challenge.id])
                throw ServiceError.otpLocked(retryAfter: resendWait(challenge, now: now))
            }
            throw ServiceError.otpInvalid(triesLeft: settings.maximumAttempts - counted.failedAttempts)
        }
        guard try await storage.signerAccess.markVerified(challengeID: challenge.id, at: now) else { throw ServiceError.otpExpired }
        try await record(link.contract.id, "signer.otp_verified", origin: origin,
                         ["role": link.role.rawValue, "challenge": challenge.id, "notifier": challenge.notifier])
        return try await openSession(contractID: link.contract.id, role: link.role, tokenHash: tokenHash,
                                     authentication: "otp", notifier: challenge.notifier, now: now)
    }

    /// The signer behind a page request: the session whose secret is `sessionSecret`, bound
    /// to the link `token`, not idle for 30 minutes (each use moves the timeout), for a signer
    /// whose link is still current — or who has signed or declined through it (the done page
    /// and the signed PDF stay available to the session). `sessionRequired` otherwise.
    public func signerContext(token: String, sessionSecret: String?) async throws -> SignerContext {
        guard let sessionSecret, sessionSecret.hasPrefix("ses_"),
              let session = try await storage.signerAccess.session(idHash: SignerAccessSecrets.hash(sessionSecret)) else {
            throw ServiceError.sessionRequired
        }
        let now = self.now
        guard ConstantTime.equal(Array(session.tokenHash.utf8), Array(SigningLink.tokenHash(token).utf8)), session.expiresAt > now else {
            throw ServiceError.sessionRequired
        }
        let contract = try await self.contract(id: session.contractID)
        guard let signer = contract.signer(session.role) else { throw ServiceError.sessionRequired }
        let finished = signer.state == .signed || signer.state == .declined
        if !finished {
            let current = session.authentication == "integrator" || signer.linkTokenHash == session.tokenHash
            guard current, ContractStateMachine.canSign(contract.state), contract.expiresAt > now else { throw ServiceError.linkExpired }
        }
        try await storage.signerAccess.touchSession(idHash: session.idHash,
                                                    expiresAt: now.addingTimeInterval(configuration.signerAccess.sessionIdleTimeout))
        return SignerContext(session: session, contract: contract, signer: signer)
    }

    /// The signer of `context` signs (`sign(contractID:role:evidence:)`) with the consent
    /// wording shown and the digest of the document shown, authenticated as the session was.
    public func signAsSigner(_ context: SignerContext, consent: String, documentSHA256Shown: String, origin: RequestOrigin) async throws -> Contract {
        guard documentSHA256Shown == context.contract.original.sha256 else {
            throw ServiceError.invalidState(state: context.contract.state, action: "signed: the document shown is not the contract's")
        }
        return try await sign(contractID: context.contract.id, role: context.session.role, evidence: SigningEvidence(
            origin: Self.signer(origin, context.session.role), authentication: context.session.authentication, consent: consent, documentSHA256Shown: documentSHA256Shown))
    }

    /// The signer of `context` declines with `reason`: `signer.declined`, the contract is
    /// `declined` and every link dies.
    public func decline(_ context: SignerContext, reason: String, origin: RequestOrigin) async throws -> Contract {
        let reason = reason.trimmingWhitespace()
        let issues = TextRule(field: "reason", length: 1...500).check(reason)
        guard issues.isEmpty else { throw ServiceError.validationFailed(issues) }
        let role = context.session.role
        return try await change(context.contract.id, action: "declined") { contract, now, events in
            guard let index = contract.signerIndex(role) else { throw ServiceError.notFound("signer") }
            guard ContractStateMachine.canSign(contract.state) else { throw ServiceError.invalidState(state: contract.state, action: "declined") }
            if contract.signers[index].state == .signed { throw ServiceError.alreadySigned(role: role) }
            if contract.signers[index].claim?.isActive(at: now) == true { throw ServiceError.signingInProgress(role: role) }
            contract.signers[index].state = .declined
            contract.state = .declined
            contract.declinedAt = now
            contract.declineReason = reason
            contract.killLinks()
            events.append(AuditEventDraft(type: "signer.declined", actor: "signer:\(role.rawValue)", occurredAt: now,
                                          data: ["role": role.rawValue, "reason": reason], origin: Self.signer(origin, role)))
            return [:]
        }.contract
    }

    /// A one-time embedded link for a link signer of a `sent`/`viewed` contract, for an
    /// integrator that authenticated the signer itself: `{base}/s/{token}`, valid 5 minutes,
    /// usable once, skipping the code (`authentication: integrator`). `frameAncestors`: the
    /// https origins that may frame the pages of the session it opens (`FrameAncestors`;
    /// `validationFailed` otherwise).
    public func issueEmbeddedLink(contractID: String, role: PartyRole, frameAncestors: [String] = [],
                                  origin: RequestOrigin) async throws -> (url: String, expiresAt: Date) {
        let frameAncestors = try FrameAncestors.validated(frameAncestors).get()
        let token = Base32.base64URL(SecureRandom.bytes(32))
        var expires = Date()
        _ = try await change(contractID, action: "given an embedded link") { contract, now, events in
            guard let index = contract.signerIndex(role), contract.signers[index].method == .link else { throw ServiceError.notFound("signer") }
            guard ContractStateMachine.canSign(contract.state) else { throw ServiceError.invalidState(state: contract.state, action: "given an embedded link") }
            try checkNotExpired(contract, now: now)
            switch contract.signers[index].state {
            case .signed: throw ServiceError.alreadySigned(role: role)
            case .declined: throw ServiceError.invalidState(state: contract.state, action: "given an embedded link: the signer declined")
            default: break
            }
            expires = min(now.addingTimeInterval(configuration.signerAccess.embeddedLinkLifetime), contract.expiresAt)
            var data = ["role": role.rawValue, "expires_at": TimeText.iso8601(expires)]
            if !frameAncestors.isEmpty { data["frame_ancestors"] = frameAncestors.joined(separator: " ") }
            events.append(AuditEventDraft(type: "signer.embedded_link_issued", actor: origin.actor, occurredAt: now, data: data, origin: origin))
            return [:]
        }
        try await storage.signerAccess.insertEmbeddedLink(EmbeddedLinkRecord(
            tokenHash: SigningLink.tokenHash(token), contractID: contractID, role: role, createdAt: now, expiresAt: expires,
            frameAncestors: frameAncestors))
        return ("\(configuration.baseURL)/s/\(token)", expires)
    }

    /// Enters through an embedded link: its first use opens a session (`integrator`); later
    /// uses, expired links and links of contracts that can no longer be signed are
    /// `linkExpired`; a token that is no embedded link is `linkInvalid`.
    public func enterEmbeddedLink(token: String, origin: RequestOrigin) async throws -> SessionGrant {
        let tokenHash = SigningLink.tokenHash(token)
        guard case .embedded(let link, let contract) = try await storage.signerAccess.lookupLink(tokenHash: tokenHash) else {
            throw ServiceError.linkInvalid
        }
        let now = self.now
        guard link.usedAt == nil, link.expiresAt > now, ContractStateMachine.canSign(contract.state), contract.expiresAt > now,
              let signer = contract.signer(link.role), signer.state != .signed, signer.state != .declined,
              try await storage.signerAccess.useEmbeddedLink(tokenHash: tokenHash, at: now) else {
            throw ServiceError.linkExpired
        }
        return try await openSession(contractID: contract.id, role: link.role, tokenHash: tokenHash,
                                     authentication: "integrator", notifier: nil, frameAncestors: link.frameAncestors, now: now)
    }

    /// Whether `token` is an embedded link (used or not): the page routes send those to
    /// `enterEmbeddedLink` instead of the landing.
    public func isEmbeddedLink(token: String) async throws -> Bool {
        if case .embedded = try await storage.signerAccess.lookupLink(tokenHash: SigningLink.tokenHash(token)) { return true }
        return false
    }

    // MARK: - Helpers

    /// The contract and role of a current signing link (not embedded), or the landing's errors.
    private func currentLink(token: String) async throws -> OpenedLink {
        let lookup = try await storage.signerAccess.lookupLink(tokenHash: SigningLink.tokenHash(token))
        switch lookup {
        case .unknown: throw ServiceError.linkInvalid
        case .retired, .embedded: throw ServiceError.linkExpired
        case .signer(let contract, let role):
            guard ContractStateMachine.canSign(contract.state), contract.expiresAt > now,
                  let signer = contract.signer(role), signer.state != .signed, signer.state != .declined else {
                throw ServiceError.linkExpired
            }
            return OpenedLink(contract: contract, role: role)
        }
    }

    private func openSession(contractID: String, role: PartyRole, tokenHash: String, authentication: String,
                             notifier: String?, frameAncestors: [String] = [], now: Date) async throws -> SessionGrant {
        let secret = SignerAccessSecrets.sessionSecret()
        let session = SignerSession(idHash: SignerAccessSecrets.hash(secret), contractID: contractID, role: role, tokenHash: tokenHash,
                                    authentication: authentication, notifier: notifier, createdAt: now,
                                    expiresAt: now.addingTimeInterval(configuration.signerAccess.sessionIdleTimeout),
                                    frameAncestors: frameAncestors)
        try await storage.signerAccess.insertSession(session)
        return SessionGrant(secret: secret, session: session)
    }

    private func limit(_ bucket: String, _ limit: Int, now: Date) async throws {
        if let wait = try await storage.signerAccess.hit(bucket: bucket, limit: limit, window: configuration.signerAccess.rateWindow, at: now) {
            throw ServiceError.rateLimited(retryAfter: wait)
        }
    }

    private func resendWait(_ challenge: CodeChallenge, now: Date) -> Int {
        max(1, Int(challenge.createdAt.addingTimeInterval(configuration.signerAccess.resendInterval).timeIntervalSince(now).rounded(.up)))
    }

    /// The origin of a page request as the signer of `role` (the audit trail's actor).
    private static func signer(_ origin: RequestOrigin, _ role: PartyRole) -> RequestOrigin {
        RequestOrigin(actor: "signer:\(role.rawValue)", ip: origin.ip, userAgent: origin.userAgent)
    }

    /// Appends an event that changes no state.
    private func record(_ contractID: String, _ type: String, origin: RequestOrigin, _ data: [String: String]) async throws {
        let origin = Self.signer(origin, PartyRole(rawValue: data["role"] ?? "unknown"))
        _ = try await change(contractID, action: "recorded") { contract, now, events in
            events.append(AuditEventDraft(type: type, actor: origin.actor, occurredAt: now, data: data, origin: origin))
            return [:]
        }
    }
}
