import Foundation
import SignetArchive
import SignetCrypto
import SignetPAdES
import SignetPKI
import SignetService
import SignetServiceTestSupport
import SignetStore
import SignetTemplates
import SignetTestSupport
import Synchronization
import Testing

/// Long-term renewal in the service (issue 16): completed contracts whose newest timestamp's
/// TSA certificate ends within the renewal window are extended once with the service's TSA,
/// the stored PDF replaced only by its own extension, recorded as `contract.renewed`.
@Suite("Long-term renewal in the service", .serialized)
struct ServiceRenewalTests {
    static let day: TimeInterval = 86_400

    /// A published PKI (pdfsig and pyHanko check revocation online) and a service over it
    /// that completes contracts with a TSA whose certificate ends `tsaDays` days from now,
    /// as a service does before its TSA certificate is replaced.
    final class Setup: Sendable {
        let pki: PublishedKeyDirectory
        let shortLived: TimeStampAuthority
        let completing: ServiceFixture
        let renewals = Mutex(0)
        let failures = Mutex<[String]>([])

        init(tsaDays: Double = 183) async throws {
            pki = try PublishedKeyDirectory()
            shortLived = try pki.keys.timeStampAuthority(named: "Retiring TSA", until: Date().addingTimeInterval(tsaDays * ServiceRenewalTests.day))
            completing = try await ServiceFixture.make(keys: pki.keys, timestamps: shortLived)
        }

        /// The same service (data, clock) after its TSA certificate was replaced: the PKI's
        /// own 5-year TSA, or `timestamps`; counting renewals and failures.
        func renewing(timestamps: (any TimeStampProvider)? = nil,
                      configure: (inout ServiceConfiguration) -> Void = { _ in }) async throws -> ServiceFixture {
            let metrics = ServiceMetrics(recordFailure: { operation in self.failures.withLock { $0.append(operation) } },
                                         recordRenewal: { self.renewals.withLock { $0 += 1 } })
            return try await ServiceFixture.make(reusing: completing, timestamps: timestamps, metrics: metrics, configure: configure)
        }
    }

    /// A contract of `fixture` signed by the merchant and so completed (countersigned at once).
    static func completed(_ fixture: ServiceFixture) async throws -> Contract {
        let merchant: Merchant
        if let existing = try await fixture.storage.storage.merchants.merchant(externalID: ServiceFixture.merchantInput.externalID) {
            merchant = existing
        } else {
            merchant = try await fixture.service.createMerchant(ServiceFixture.merchantInput)
        }
        let issued = try await fixture.service.createContract(
            NewContract(merchantID: merchant.id, templateID: "merchant-service-agreement", fields: try ServiceFixture.sampleFields()),
            origin: ServiceFixture.origin)
        let done = try await fixture.service.sign(contractID: issued.contract.id, role: .merchant, evidence: ServiceFixture.evidence)
        try #require(done.state == .completed)
        return done
    }

    static func pdf(_ fixture: ServiceFixture, _ contract: Contract) async throws -> [UInt8] {
        try await fixture.storage.storage.blobs.get(try #require(contract.signed).sha256)
    }

    static func kinds(_ pdf: [UInt8], _ keys: KeyDirectory) -> [SignatureValidationResult.Kind] {
        PDFSignatureValidator(options: ValidationOptions(trustAnchors: [keys.root])).validate(pdf: pdf).signatures.map(\.kind)
    }

    static func milliseconds(_ date: Date?) -> Int64? { date.map(AuditChain.milliseconds) }

    @Test("A due contract is renewed once: its PDF stays a prefix, pdfsig and pyHanko pass with one more document timestamp, the audit chain holds contract.renewed; a contract outside the window is untouched")
    func renewsDueContractOnce() async throws {
        let setup = try await Setup()
        let due = try await Self.completed(setup.completing)
        #expect(Self.milliseconds(due.timestampExpiresAt) == Self.milliseconds(setup.shortLived.certificate.notAfter))
        let fixture = try await setup.renewing()
        let fresh = try await Self.completed(fixture)  // timestamped by the 5-year TSA
        #expect(Self.milliseconds(fresh.timestampExpiresAt) == Self.milliseconds(fixture.keys.timeStamping.certificate.notAfter))

        // 183 days before the retiring TSA's end: outside the 180-day window.
        let early = try await fixture.service.renewDueContracts()
        #expect(early == RenewalRound())
        #expect(try await fixture.service.contract(id: due.id) == due)

        fixture.clock.advance(by: 5 * Self.day)
        let round = try await fixture.service.renewDueContracts()
        #expect(round.renewed == [due.id] && round.failures.isEmpty && round.blocked.isEmpty, "\(round)")
        #expect(setup.renewals.withLock { $0 } == 1 && setup.failures.withLock { $0 }.isEmpty)
        let renewed = try await fixture.service.contract(id: due.id)
        #expect(try await fixture.service.contract(id: fresh.id) == fresh, "a contract outside the window is untouched")
        let before = try await Self.pdf(fixture, due)
        let after = try await Self.pdf(fixture, renewed)
        #expect(after.count > before.count && Array(after.prefix(before.count)) == before, "the stored PDF must stay a prefix")
        #expect(renewed.signed?.pageCount == due.signed?.pageCount)
        #expect(Self.milliseconds(renewed.timestampExpiresAt) == Self.milliseconds(fixture.keys.timeStamping.certificate.notAfter))
        #expect(Self.kinds(before, fixture.keys) == [.approval, .approval, .documentTimestamp])
        #expect(Self.kinds(after, fixture.keys) == [.approval, .approval, .documentTimestamp, .documentTimestamp])

        let trail = try await fixture.service.auditTrail(contractID: due.id)
        #expect(trail.chainBreak == nil)
        let event = try #require(trail.events.last)
        #expect(event.type == "contract.renewed" && event.actor == "system")
        #expect(event.data["document_sha256_before"] == due.signed?.sha256 && event.data["document_sha256_after"] == renewed.signed?.sha256)
        #expect(event.data["tsa_certificate_not_after"] == TimeText.iso8601(fixture.keys.timeStamping.certificate.notAfter))
        #expect(event.data["timestamp_time"].flatMap(TimeText.parse) != nil, "\(event.data)")
        #expect(trail.events.filter { $0.type == "contract.renewed" }.count == 1)

        // The next round finds nothing due: the new timestamp's TSA certificate ends in 5 years.
        #expect(try await fixture.service.renewDueContracts() == RenewalRound())
        #expect(try await fixture.service.contract(id: due.id) == renewed)

        let dir = try TemporaryDirectory()
        try Data(before).write(to: dir.file("completed.pdf"))
        try Data(after).write(to: dir.file("renewed.pdf"))
        let pdfsigBefore = try PDFSig.verify(dir.file("completed.pdf"), trusting: [setup.pki.rootFile])
        let pdfsig = try PDFSig.verify(dir.file("renewed.pdf"), trusting: [setup.pki.rootFile])
        // pdfsig lists document timestamps without checking them ("not yet been verified").
        #expect(pdfsig.verdicts.count == pdfsigBefore.verdicts.count + 1, "\(pdfsig.raw.combinedOutput)")
        let approvals = pdfsig.verdicts.filter { $0.signatureType == "ETSI.CAdES.detached" }
        #expect(approvals.map(\.fieldName) == ["merchant", "platform"] && approvals.allSatisfy { $0.isValid && $0.isTrusted }, "\(pdfsig.verdicts)")
        #expect(pdfsig.verdicts.last?.coversTotalDocument == true, "\(pdfsig.verdicts)")
        let pyhanko = try PyHanko.validate(dir.file("renewed.pdf"), trusting: [setup.pki.rootFile])
        #expect(pyhanko.raw.status == 0, "\(pyhanko.raw.combinedOutput)")
        #expect(pyhanko.verdicts.map(\.fieldName) == ["merchant", "platform"])
        #expect(pyhanko.verdicts.allSatisfy { $0.isIntactAndTrusted && $0.has("TIMESTAMP_TOKEN<INTACT:TRUSTED>") }, "\(pyhanko.verdicts)")
        #expect(pyhanko.verdicts.last?.has("EXTENDED_WITH_LTA_UPDATES") == true, "\(pyhanko.verdicts)")
    }

    @Test("A renewal whose TSA is down changes nothing (contract, audit trail) and is retried by the next round")
    func failedRenewalChangesNothing() async throws {
        let setup = try await Setup(tsaDays: 100)
        let due = try await Self.completed(setup.completing)
        let trail = try await setup.completing.service.auditTrail(contractID: due.id).events
        let down = try await setup.renewing(timestamps: FailingAfterFirstTSA(real: try setup.pki.keys.makeTimeStampAuthority(), answers: 0))
        let round = try await down.service.renewDueContracts()
        #expect(round.renewed.isEmpty && round.failures.map(\.contractID) == [due.id], "\(round)")
        #expect(setup.failures.withLock { $0 } == ["renewal"] && setup.renewals.withLock { $0 } == 0)
        #expect(try await down.service.contract(id: due.id) == due)
        #expect(try await down.service.auditTrail(contractID: due.id).events == trail)

        let up = try await setup.renewing()
        #expect(try await up.service.renewDueContracts().renewed == [due.id])
    }

    @Test("A due contract is not renewed with a TSA whose certificate ends no later than its newest timestamp's")
    func noRenewalWithoutGain() async throws {
        let setup = try await Setup(tsaDays: 100)
        let due = try await Self.completed(setup.completing)
        let same = try await setup.renewing(timestamps: setup.shortLived)
        let round = try await same.service.renewDueContracts()
        #expect(round.blocked == [due.id] && round.renewed.isEmpty && round.failures.isEmpty, "\(round)")
        #expect(try await same.service.contract(id: due.id) == due)
    }

    @Test("A completed contract without a recorded expiry (completed before v5-renewal) gets it from its PDF, then renewal goes by it")
    func backfillsExpiry() async throws {
        let setup = try await Setup(tsaDays: 100)
        let due = try await Self.completed(setup.completing)
        var legacy = due
        legacy.timestampExpiresAt = nil
        guard case .committed(let stored) = try await setup.completing.storage.storage.contracts.apply(
            ContractChange(contract: legacy, expectedVersion: due.version, events: [])) else { Issue.record("not committed"); return }
        #expect(stored.timestampExpiresAt == nil)
        let fixture = try await setup.renewing { $0.renewalWindow = 30 * Self.day }
        let round = try await fixture.service.renewDueContracts()
        #expect(round.recorded == 1 && round.renewed.isEmpty && round.failures.isEmpty, "\(round)")
        let recorded = try await fixture.service.contract(id: due.id)
        #expect(Self.milliseconds(recorded.timestampExpiresAt) == Self.milliseconds(setup.shortLived.certificate.notAfter))
        #expect(recorded.version == stored.version, "recording the expiry is no change of the contract")
        #expect(try await fixture.service.renewDueContracts() == RenewalRound())
    }
}
