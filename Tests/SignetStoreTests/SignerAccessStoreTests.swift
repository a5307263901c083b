import Foundation
import SignetService
import SignetStore
import SignetTemplates
import Testing

/// The signer access repository on the test's backend, with instances sharing the database:
/// embedded links work once, whoever races; lookups and challenges read what any wrote.
@Suite("Signer access in the store, across instances")
struct SignerAccessStoreTests {
    @Test("an embedded link used 20 times at once from two instances: exactly one use succeeds; lookups see it used")
    func embeddedLinkSingleUse() async throws {
        let store = try await TestStore()
        let other = try await store.secondInstance()
        let contract = try await store.contract(of: try await store.merchant())
        let link = EmbeddedLinkRecord(tokenHash: "emb-\(UUID().uuidString)", contractID: contract.id, role: .merchant,
                                      createdAt: Fixtures.time(0), expiresAt: Fixtures.time(600), frameAncestors: ["https://a.example", "https://b.example"])
        try await store.storage.signerAccess.insertEmbeddedLink(link)
        let instances = [store.storage.signerAccess, other.storage.signerAccess]
        let uses = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<20 { group.addTask { try await instances[index % 2].useEmbeddedLink(tokenHash: link.tokenHash, at: Fixtures.time(5)) } }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(uses.filter { $0 }.count == 1 && uses.count == 20)
        guard case .embedded(let found, let foundContract) = try await other.storage.signerAccess.lookupLink(tokenHash: link.tokenHash) else {
            Issue.record("the embedded link was not found")
            return
        }
        var used = link
        used.usedAt = Fixtures.time(5)
        #expect(found == used && foundContract.id == contract.id)
        guard case .unknown = try await other.storage.signerAccess.lookupLink(tokenHash: "never-issued") else {
            Issue.record("an unknown token was found")
            return
        }
        try await other.close()
    }

    @Test("challenges: the latest is the last inserted (any instance); wrong codes lock it at the limit; verified once")
    func challenges() async throws {
        let store = try await TestStore()
        let other = try await store.secondInstance()
        let contract = try await store.contract(of: try await store.merchant())
        func challenge(_ number: Int, on access: any SignerAccessRepository) async throws -> CodeChallenge {
            let challenge = CodeChallenge(id: "chl_\(number)_\(UUID().uuidString.prefix(8))", contractID: contract.id, role: .merchant,
                                          tokenHash: "tok", codeHash: "code-\(number)", notifier: "sms", createdAt: Fixtures.time(Double(number)),
                                          expiresAt: Fixtures.time(Double(number) + 300))
            try await access.insertChallenge(challenge)
            return challenge
        }
        _ = try await challenge(1, on: store.storage.signerAccess)
        let second = try await challenge(2, on: other.storage.signerAccess)
        #expect(try await store.storage.signerAccess.latestChallenge(contractID: contract.id, role: .merchant) == second)
        #expect(try await store.storage.signerAccess.latestChallenge(contractID: contract.id, role: .platform) == nil)

        let first = try #require(try await other.storage.signerAccess.recordWrongCode(challengeID: second.id, maximumAttempts: 2, at: Fixtures.time(3)))
        #expect(first.failedAttempts == 1 && first.lockedAt == nil)
        let locked = try #require(try await store.storage.signerAccess.recordWrongCode(challengeID: second.id, maximumAttempts: 2, at: Fixtures.time(4)))
        #expect(locked.failedAttempts == 2 && locked.lockedAt == Fixtures.time(4))
        #expect(try await store.storage.signerAccess.recordWrongCode(challengeID: second.id, maximumAttempts: 2, at: Fixtures.time(5)) == nil)
        #expect(try await store.storage.signerAccess.markVerified(challengeID: second.id, at: Fixtures.time(6)) == false, "locked")

        let third = try await challenge(3, on: store.storage.signerAccess)
        let verified = try await withThrowingTaskGroup(of: Bool.self) { group in
            for access in [store.storage.signerAccess, other.storage.signerAccess, store.storage.signerAccess] {
                group.addTask { try await access.markVerified(challengeID: third.id, at: Fixtures.time(7)) }
            }
            return try await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
        }
        #expect(verified == 1)
        try await other.close()
    }

    @Test("sessions: stored, extended never shortened, purged once ended; a link view is recorded once")
    func sessionsAndViews() async throws {
        let store = try await TestStore()
        let access = store.storage.signerAccess
        let contract = try await store.contract(of: try await store.merchant())
        let session = SignerSession(idHash: "ses-\(UUID().uuidString)", contractID: contract.id, role: .merchant, tokenHash: "tok",
                                    authentication: "otp", notifier: nil, createdAt: Fixtures.time(0), expiresAt: Fixtures.time(100),
                                    frameAncestors: ["https://a.example"])
        try await access.insertSession(session)
        #expect(try await access.session(idHash: session.idHash) == session)
        try await access.touchSession(idHash: session.idHash, expiresAt: Fixtures.time(50))
        #expect(try await access.session(idHash: session.idHash)?.expiresAt == Fixtures.time(100), "never shortened")
        try await access.touchSession(idHash: session.idHash, expiresAt: Fixtures.time(200))
        #expect(try await access.session(idHash: session.idHash)?.expiresAt == Fixtures.time(200))
        #expect(try await access.purgeSessions(endedBefore: Fixtures.time(150)) == 0)
        #expect(try await access.purgeSessions(endedBefore: Fixtures.time(201)) == 1)
        #expect(try await access.session(idHash: session.idHash) == nil)

        #expect(try await access.markLinkViewed(tokenHash: "view-tok", contractID: contract.id, at: Fixtures.time(1)))
        #expect(try await access.markLinkViewed(tokenHash: "view-tok", contractID: contract.id, at: Fixtures.time(2)) == false)
    }
}
