import SignetServiceTestSupport
import Foundation
import SignetCrypto
import SignetPAdES
import SignetPKI
import SignetService
import SignetStore
import SignetTemplates
import SignetTestSupport
import Testing

/// The service's use cases on real SQLite, blobs, PKI and templates.
@Suite("Contract lifecycle in the service")
struct ContractLifecycleTests {
    @Test("Merchant → contract → merchant signature → automatic countersignature → completed, verified")
    func fullFlow() async throws {
        let fixture = try await ServiceFixture.make()
        let (merchant, issued) = try await fixture.merchantAndContract()
        #expect(issued.contract.state == .sent)
        #expect(issued.contract.number.hasPrefix("SN-"))
        #expect(issued.contract.fields["merchant_name"] == merchant.name, "the merchant's fields come from its record")
        let link = try #require(issued.links[.merchant])
        #expect(link.url.hasPrefix("http://127.0.0.1:8080/s/"))
        #expect(issued.contract.signer(.merchant)?.linkTokenHash == SigningLink.tokenHash(String(link.url.split(separator: "/").last!)))

        let completed = try await fixture.service.sign(contractID: issued.contract.id, role: .merchant, evidence: ServiceFixture.evidence)
        #expect(completed.state == .completed)
        #expect(completed.signers.allSatisfy { $0.state == .signed })
        let signed = try await fixture.service.signedPDF(contractID: completed.id)
        let original = try await fixture.service.originalPDF(contractID: completed.id)
        #expect(Array(signed.bytes.prefix(original.bytes.count)) == original.bytes, "signing only appends")

        let report = PDFSignatureValidator(options: ValidationOptions(trustAnchors: [fixture.keys.root])).validate(pdf: signed.bytes, fileName: "c.pdf")
        #expect(report.indication == .totalPassed, "\(ValidationReportFormatter.text(report))")
        #expect(report.signatures.count == 3, "merchant, platform and the document timestamp")

        let trail = try await fixture.service.auditTrail(contractID: completed.id)
        #expect(trail.chainBreak == nil)
        #expect(trail.events.map(\.type) == ["contract.created", "contract.sent", "signer.link_issued", "signer.signed",
                                             "contract.signed", "signer.signed", "contract.completed"])
        #expect(trail.events[3].data["document_sha256_before"] == original.document.sha256)
        #expect(trail.events[5].data["document_sha256_after"] == signed.document.sha256)
        let timeline = try await fixture.service.timeline(merchantID: merchant.id, page: PageRequest(limit: 100))
        #expect(timeline.items.map(\.hash) == trail.events.map(\.hash))
    }

    @Test("Illegal transitions are refused with a code and change nothing")
    func illegalTransitions() async throws {
        let fixture = try await ServiceFixture.make()
        let (_, issued) = try await fixture.merchantAndContract()
        let id = issued.contract.id

        // Void, then every action on the voided contract.
        let voided = try await fixture.service.voidContract(id: id, reason: "merchant withdrew", origin: ServiceFixture.origin)
        #expect(voided.state == .voided)
        try await expectUnchanged(fixture, id, code: "invalid_state") {
            _ = try await fixture.service.sign(contractID: id, role: .merchant, evidence: ServiceFixture.evidence)
        }
        try await expectUnchanged(fixture, id, code: "invalid_state") {
            _ = try await fixture.service.voidContract(id: id, reason: "again", origin: ServiceFixture.origin)
        }
        try await expectUnchanged(fixture, id, code: "invalid_state") {
            _ = try await fixture.service.issueSigningLink(contractID: id, role: .merchant, origin: ServiceFixture.origin)
        }
        try await expectUnchanged(fixture, id, code: "invalid_state") {
            _ = try await fixture.service.sendContract(id: id, origin: ServiceFixture.origin)
        }

        // A completed contract: sign twice, void after signing, countersign again.
        let second = try await fixture.service.createContract(
            NewContract(merchantID: issued.contract.merchantID, templateID: "merchant-service-agreement", fields: try ServiceFixture.sampleFields()),
            origin: ServiceFixture.origin)
        let done = try await fixture.service.sign(contractID: second.contract.id, role: .merchant, evidence: ServiceFixture.evidence)
        #expect(done.state == .completed)
        try await expectUnchanged(fixture, done.id, code: "already_signed") {
            _ = try await fixture.service.sign(contractID: done.id, role: .merchant, evidence: ServiceFixture.evidence)
        }
        try await expectUnchanged(fixture, done.id, code: "invalid_state") {
            _ = try await fixture.service.voidContract(id: done.id, reason: "too late", origin: ServiceFixture.origin)
        }
        try await expectUnchanged(fixture, done.id, code: "already_signed") {
            _ = try await fixture.service.countersign(contractID: done.id)
        }
        try await expectUnchanged(fixture, done.id, code: "signer_not_found") {
            _ = try await fixture.service.sign(contractID: done.id, role: "guarantor", evidence: ServiceFixture.evidence)
        }
        await #expect(throws: ServiceError.notFound("contract")) {
            _ = try await fixture.service.sign(contractID: "ctr_doesnotexist0000000000", role: .merchant, evidence: ServiceFixture.evidence)
        }
    }

    @Test("An expired contract cannot be signed; the expiry job moves it to expired with an audit event")
    func expiry() async throws {
        let fixture = try await ServiceFixture.make()
        let (_, issued) = try await fixture.merchantAndContract()
        fixture.clock.advance(by: 8 * 86_400)
        try await expectUnchanged(fixture, issued.contract.id, code: "contract_expired") {
            _ = try await fixture.service.sign(contractID: issued.contract.id, role: .merchant, evidence: ServiceFixture.evidence)
        }
        #expect(try await fixture.service.expireDueContracts() == 1)
        let expired = try await fixture.service.contract(id: issued.contract.id)
        #expect(expired.state == .expired)
        #expect(expired.signers.allSatisfy { $0.linkTokenHash == nil }, "links die with the contract")
        let trail = try await fixture.service.auditTrail(contractID: expired.id)
        #expect(trail.events.last?.type == "contract.expired")
        #expect(trail.chainBreak == nil)
        #expect(try await fixture.service.expireDueContracts() == 0)
    }

    @Test("50 concurrent signing calls for one signer make exactly one signature")
    func concurrentSigning() async throws {
        let fixture = try await ServiceFixture.make()
        let (_, issued) = try await fixture.merchantAndContract()
        let id = issued.contract.id
        let service = fixture.service
        let outcomes = await withTaskGroup(of: String.self) { group in
            for _ in 0..<50 {
                group.addTask {
                    do {
                        _ = try await service.sign(contractID: id, role: .merchant, evidence: ServiceFixture.evidence)
                        return "signed"
                    } catch let error as ServiceError {
                        return error.code == "internal_error" ? String(reflecting: error) : error.code
                    } catch {
                        return "unexpected: \(error)"
                    }
                }
            }
            var all: [String] = []
            for await outcome in group { all.append(outcome) }
            return all
        }
        #expect(outcomes.filter { $0 == "signed" }.count == 1, "\(outcomes)")
        #expect(outcomes.allSatisfy { ["signed", "signing_in_progress", "already_signed"].contains($0) }, "\(outcomes)")
        let contract = try await service.contract(id: id)
        #expect(contract.state == .completed)
        let trail = try await service.auditTrail(contractID: id)
        #expect(trail.chainBreak == nil)
        #expect(trail.events.filter { $0.type == "signer.signed" && $0.data["role"] == "merchant" }.count == 1)
        let report = PDFSignatureValidator(options: ValidationOptions(trustAnchors: [fixture.keys.root]))
            .validate(pdf: try await service.signedPDF(contractID: id).bytes, fileName: "c.pdf")
        #expect(report.signatures.count == 3, "one merchant signature, one countersignature, one document timestamp")
    }

    @Test("Every field problem at once; the merchant's fields cannot be contradicted")
    func validation() async throws {
        let fixture = try await ServiceFixture.make()
        let merchant = try await fixture.service.createMerchant(ServiceFixture.merchantInput)
        var fields = try ServiceFixture.sampleFields().values
        fields["single_limit"] = .string("abc")
        fields["settlement_cycle"] = .string("T9")
        fields["merchant_name"] = .string("别的公司有限公司")
        fields["no_such_field"] = .string("x")
        fields.removeValue(forKey: "store_name")
        let before = try fixture.blobNames()
        let error = await #expect(throws: ServiceError.self) {
            _ = try await fixture.service.createContract(
                NewContract(merchantID: merchant.id, templateID: "merchant-service-agreement", fields: FieldValues(fields),
                            expiresAt: Date().addingTimeInterval(-10)), origin: ServiceFixture.origin)
        }
        let issues = try #require(error?.fieldErrors)
        let byField = Dictionary(grouping: issues, by: \.field).mapValues { $0.map(\.code) }
        #expect(byField["fields.single_limit"] == ["invalid_money"], "\(issues)")
        #expect(byField["fields.settlement_cycle"] == ["not_an_option"], "\(issues)")
        #expect(byField["fields.merchant_name"] == ["conflicts_with_merchant"], "\(issues)")
        #expect(byField["fields.no_such_field"] == ["unknown_field"], "\(issues)")
        #expect(byField["fields.store_name"] == ["required"], "\(issues)")
        #expect(byField["expires_at"] == ["not_in_future"], "\(issues)")
        #expect(try fixture.blobNames() == before, "nothing rendered or stored")
        let page = try await fixture.service.contracts(ContractQuery(merchantID: merchant.id))
        #expect(page.items.isEmpty)

        await #expect(throws: ServiceError.merchantExists(externalID: "m-1001")) {
            _ = try await fixture.service.createMerchant(ServiceFixture.merchantInput)
        }
        var bad = ServiceFixture.merchantInput
        bad.externalID = "m-2"
        bad.registration = .init(creditCode: "91330102MA28GH6T7A")
        bad.contact.phone = "12345"
        let merchantError = await #expect(throws: ServiceError.self) { _ = try await fixture.service.createMerchant(bad) }
        #expect(Set(merchantError?.fieldErrors.map(\.code) ?? []) == ["credit_code_check_character", "invalid_phone"])
        bad.registration = .init(number: "201912345K", country: "XX")
        let countryError = await #expect(throws: ServiceError.self) { _ = try await fixture.service.createMerchant(bad) }
        #expect(countryError?.fieldErrors.contains { $0.code == "invalid_country" } == true)
    }

    @Test("Restart on the same data: everything is there and the flow continues")
    func restart() async throws {
        let first = try await ServiceFixture.make()
        let (merchant, issued) = try await first.merchantAndContract()
        try await first.storage.close()
        let second = try await ServiceFixture.make(reusing: first)
        #expect(try await second.service.merchant(id: merchant.id) == merchant)
        let reloaded = try await second.service.contract(id: issued.contract.id)
        #expect(reloaded == issued.contract)
        let completed = try await second.service.sign(contractID: reloaded.id, role: .merchant, evidence: ServiceFixture.evidence)
        #expect(completed.state == .completed)
        #expect(try await second.service.auditTrail(contractID: reloaded.id).chainBreak == nil)
    }

    @Test("A countersignature that fails (TSA down) leaves the contract signed; the resume job completes it")
    func resumeCountersignature() async throws {
        let healthy = try await ServiceFixture.make()
        let (_, issued) = try await healthy.merchantAndContract()
        // The same data and keys, with a TSA that refuses after the merchant's signature.
        let flaky = try await ServiceFixture.make(reusing: healthy, timestamps: FailingAfterFirstTSA(real: try healthy.keys.makeTimeStampAuthority()))
        let signed = try await flaky.service.sign(contractID: issued.contract.id, role: .merchant, evidence: ServiceFixture.evidence)
        #expect(signed.state == .signed, "the merchant's signature stands; timestamping fails closed for the countersignature")
        #expect(signed.signer(.platform)?.claim == nil, "a failed attempt releases its claim")
        #expect(try await healthy.service.resumeCountersignatures() == 0, "not while a signing call may still be countersigning")
        healthy.clock.advance(by: healthy.service.configuration.countersignatureResumeDelay + 1)
        #expect(try await healthy.service.resumeCountersignatures() == 1)
        #expect(try await healthy.service.contract(id: issued.contract.id).state == .completed)
    }

    /// Runs `body`, expects a `ServiceError` with `code`, and that the contract, its trail and the blobs did not change.
    func expectUnchanged(_ fixture: ServiceFixture, _ id: String, code: String, _ body: () async throws -> Void,
                         sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let before = try await fixture.service.contract(id: id)
        let trail = try await fixture.service.auditTrail(contractID: id).events
        let blobs = try fixture.blobNames()
        do {
            try await body()
            Issue.record("expected \(code), got success", sourceLocation: sourceLocation)
        } catch let error as ServiceError {
            #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        }
        #expect(try await fixture.service.contract(id: id) == before, sourceLocation: sourceLocation)
        #expect(try await fixture.service.auditTrail(contractID: id).events == trail, sourceLocation: sourceLocation)
        #expect(try fixture.blobNames() == blobs, sourceLocation: sourceLocation)
    }
}

import SignetArchive
