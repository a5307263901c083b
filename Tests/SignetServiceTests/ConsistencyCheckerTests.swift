import Foundation
import SignetArchive
import SignetPKI
import SignetService
import SignetServiceTestSupport
import SignetStore
import SignetTestSupport
import Testing

/// `ConsistencyChecker` (`signet check`) on a clean store with a contract in every state, and
/// on stores broken on purpose behind the service's back: each break gives exactly its
/// violation. Runs on both backends (`TestStorage`).
@Suite("Consistency checker")
struct ConsistencyCheckerTests {
    @Test("A clean store with a contract in every state and a paper document is consistent, without orphans")
    func cleanStore() async throws {
        let store = try await EveryStateStore.make()
        let report = try await store.fixture.consistencyReport()
        #expect(report.violations == [])
        #expect(report.consistent)
        #expect(report.counts.contracts == ContractState.allCases.count)
        #expect(report.counts.documents == 1)
        #expect(report.counts.signedPDFsVerified == 2, "the signed and the completed contract's PDFs")
        #expect(report.counts.auditEvents > 20)
        #expect(report.counts.webhookEvents >= report.counts.contracts)
        #expect(report.orphans == ConsistencyReport.Orphans(), "nothing the service wrote is unreferenced")
        #expect(report.counts.blobs == report.counts.referencedBlobs)

        // The digests verified now are only looked for the next time.
        let cached = try await store.fixture.consistencyReport(verified: Set(report.newlyVerified))
        #expect(cached.consistent)
        #expect(cached.counts.signedPDFsVerified == 0)
        #expect(cached.counts.signedPDFsCached == 2)
        #expect(cached.newlyVerified == [])
    }

    @Test("Each invariant broken on purpose gives exactly its violation")
    func brokenInvariants() async throws {
        let fixture = try await ServiceFixture.make()
        let merchant = try await fixture.service.createMerchant(ServiceFixture.merchantInput)
        var contracts: [Contract] = []
        for _ in 0..<10 { contracts.append(try await fixture.completedContract(merchantID: merchant.id)) }
        let document = try await fixture.service.certifyPaperDocument(
            merchantID: merchant.id, pdf: try await fixture.service.originalPDF(contractID: contracts[0].id).bytes, title: nil,
            origin: ServiceFixture.origin)
        let clean = try await fixture.consistencyReport()
        #expect(clean.violations == [])
        let quoted = ServiceFixture.quoted
        func id(_ index: Int) -> String { quoted(contracts[index].id) }
        func signed(_ index: Int) throws -> StoredDocument { try #require(contracts[index].signed) }

        // 0: the signed PDF is gone. 1: the original's bytes changed.
        try await fixture.removeBlob(try signed(0).sha256)
        try await fixture.corruptBlob(contracts[1].original.sha256)
        // 2: the contract.completed outbox event is gone.
        #expect(try await fixture.executeSQL("DELETE FROM webhook_events WHERE type = 'contract.completed' AND \(fixture.outboxPayloadContains(contracts[2].id))") == 1)
        // 3: a second signer.signed for the merchant, committed properly (chain and outbox hold).
        let forged = AuditEventDraft(type: "signer.signed", actor: "signer:merchant", occurredAt: fixture.clock.now, data: ["role": "merchant"])
        guard case .committed = try await fixture.storage.storage.contracts.apply(
            ContractChange(contract: contracts[3], expectedVersion: contracts[3].version, events: [forged])) else {
            Issue.record("the forged event did not commit")
            return
        }
        // 4: an audit event edited. 5: an illegal state. 6: signed without its PDF.
        #expect(try await fixture.executeSQL("UPDATE audit_events SET actor = 'someone else' WHERE contract_id = \(id(4)) AND sequence = 2") == 1)
        #expect(try await fixture.executeSQL("UPDATE contracts SET state = 'archived' WHERE id = \(id(5))") == 1)
        #expect(try await fixture.executeSQL("UPDATE contracts SET signed_sha256 = NULL, signed_size = NULL, signed_page_count = NULL WHERE id = \(id(6))") == 1)
        // 7: another contract's signed PDF (valid, but not this contract's original extended).
        #expect(try await fixture.executeSQL("UPDATE contracts SET signed_sha256 = \(quoted(try signed(8).sha256)), signed_size = \(try signed(8).size) WHERE id = \(id(7))") == 1)
        // 9: a signer whose state is no state.
        #expect(try await fixture.executeSQL("UPDATE signers SET state = 'sleeping' WHERE contract_id = \(id(9)) AND role = 'merchant'") == 1)
        // The document's document.certified event is gone.
        #expect(try await fixture.executeSQL("DELETE FROM webhook_events WHERE type = 'document.certified' AND \(fixture.outboxPayloadContains(document.id))") == 1)

        let report = try await fixture.consistencyReport()
        let found = Set(report.violations.map { Found($0.check, $0.contractID) })
        let expected: Set<Found> = [
            Found(.blobMissing, contracts[0].id), Found(.blobCorrupt, contracts[1].id), Found(.outboxMismatch, contracts[2].id),
            Found(.signerEvents, contracts[3].id), Found(.auditChain, contracts[4].id), Found(.stateIllegal, contracts[5].id),
            Found(.stateInconsistent, contracts[6].id), Found(.signedPDFNotIncremental, contracts[7].id),
            Found(.contractUnreadable, contracts[9].id), Found(.outboxMismatch, document.id),
        ]
        #expect(found == expected, "\(report.violations.map(\.description).joined(separator: "\n"))")
        #expect(report.violations.count == expected.count, "one violation per break: \(report.violations.map(\.description))")
        #expect(!report.consistent)
        #expect(report.orphans.found == 0, "the rows that stopped naming a PDF still name it in their audit trail")
    }

    @Test("A signed PDF that does not chain to the trust anchors, or holds fewer signatures than signers, is reported")
    func unverifiableSignedPDF() async throws {
        let fixture = try await ServiceFixture.make()
        let merchant = try await fixture.service.createMerchant(ServiceFixture.merchantInput)
        let first = try await fixture.completedContract(merchantID: merchant.id)
        let other = try KeyDirectory.create(at: fixture.directory.file("other-keys").path, options: KeyDirectory.CreationOptions())
        let untrusted = try await fixture.consistencyReport(trust: [other.root])
        #expect(untrusted.violations.map(\.check) == [.signedPDFInvalid], "\(untrusted.violations)")
        #expect(untrusted.violations.first?.contractID == first.id)
        #expect(untrusted.newlyVerified.allSatisfy { $0 != first.signed?.sha256 }, "a PDF that failed is not cached")

        // The merchant's signature alone (the PDF before the countersignature) as the completed PDF.
        let trail = try await fixture.service.auditTrail(contractID: first.id).events
        let merchantSigned = try #require(trail.first { $0.type == "signer.signed" }?.data["document_sha256_after"])
        let size = try await fixture.storage.storage.blobs.get(merchantSigned).count
        #expect(try await fixture.executeSQL("""
            UPDATE contracts SET signed_sha256 = \(ServiceFixture.quoted(merchantSigned)), signed_size = \(size) WHERE id = \(ServiceFixture.quoted(first.id))
            """) == 1)
        let report = try await fixture.consistencyReport()
        #expect(Set(report.violations.map(\.check)).contains(.signatureCount), "\(report.violations)")
        #expect(report.violations.allSatisfy { $0.contractID == first.id && [.signatureCount, .signedPDFInvalid].contains($0.check) },
                "\(report.violations)")
        #expect(report.orphans.found == 0, "the completed PDF is still named by its audit events: \(report.orphans)")
    }

    @Test("Orphaned blobs: reported, kept while young, deleted when old with deleteOrphans; a referenced blob never")
    func orphans() async throws {
        let fixture = try await ServiceFixture.make()
        let (_, issued) = try await fixture.merchantAndContract()
        let orphan = try await fixture.storage.storage.blobs.put(Array("%PDF-1.7 an upload whose commit never came".utf8))
        let young = try await fixture.storage.storage.blobs.put(Array("%PDF-1.7 a request still in flight".utf8))
        try await fixture.ageBlob(orphan.sha256, by: 7200)
        try await fixture.ageBlob(issued.contract.original.sha256, by: 7200)

        let reported = try await fixture.consistencyReport()
        #expect(reported.consistent, "an orphan is no violation")
        #expect(reported.orphans.found == 2)
        #expect(Set(reported.orphans.digests) == [orphan.sha256, young.sha256])
        #expect(reported.orphans.bytes == orphan.size + young.size)
        #expect(reported.orphans.deleted == 0, "read-only without deleteOrphans")
        #expect(try await fixture.storage.storage.blobs.contains(orphan.sha256))

        let collected = try await fixture.consistencyReport(deleteOrphans: true)
        #expect(collected.orphans.found == 2)
        #expect(collected.orphans.deleted == 1)
        #expect(try await !fixture.storage.storage.blobs.contains(orphan.sha256), "old enough: deleted")
        #expect(try await fixture.storage.storage.blobs.contains(young.sha256), "younger than the minimum age: kept")
        #expect(try await fixture.storage.storage.blobs.contains(issued.contract.original.sha256), "referenced: kept")

        // The store refuses to delete a referenced blob, however old; a put renews an orphan's age.
        let inventory = fixture.storage.inventory
        #expect(try await !inventory.deleteOrphanedBlob(issued.contract.original.sha256, storedBefore: Date()))
        try await fixture.ageBlob(young.sha256, by: 7200)
        _ = try await fixture.storage.storage.blobs.put(Array("%PDF-1.7 a request still in flight".utf8))
        #expect(try await !inventory.deleteOrphanedBlob(young.sha256, storedBefore: Date().addingTimeInterval(-3600)))
        let after = try await fixture.consistencyReport(deleteOrphans: true, orphanMinimumAge: 0)
        #expect(after.orphans.deleted == 1)
        #expect(after.consistent)
        let final = try await fixture.consistencyReport()
        #expect(final.orphans.found == 0)
        #expect(final.counts.blobs == final.counts.referencedBlobs, "\(final.counts)")
    }

    @Test("With the verified cache, a missing blob is still found")
    func cacheStillLooks() async throws {
        let fixture = try await ServiceFixture.make()
        let merchant = try await fixture.service.createMerchant(ServiceFixture.merchantInput)
        let completed = try await fixture.completedContract(merchantID: merchant.id)
        let first = try await fixture.consistencyReport()
        #expect(first.consistent)
        #expect(Set(first.newlyVerified).contains(try #require(completed.signed?.sha256)))
        try await fixture.removeBlob(try #require(completed.signed?.sha256))
        let cached = try await fixture.consistencyReport(verified: Set(first.newlyVerified))
        #expect(cached.violations.map(\.check) == [.blobMissing])
    }
}

/// A violation's check and subject, for set comparisons.
struct Found: Hashable, CustomStringConvertible {
    let check: ConsistencyCheck
    let id: String?
    init(_ check: ConsistencyCheck, _ id: String?) {
        self.check = check
        self.id = id
    }
    var description: String { "\(check.rawValue) \(id ?? "-")" }
}
