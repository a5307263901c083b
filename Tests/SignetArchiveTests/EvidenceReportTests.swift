import Foundation
import SignetArchive
import SignetCrypto
import SignetService
import SignetStore
import SignetServiceTestSupport
import SignetTemplates
import SignetTestSupport
import Testing

/// The evidence report (出证报告) of completed contracts, made by the service's job, sealed
/// B-LTA by the platform, checked by pdfsig, pyHanko, qpdf and pdftotext, and by
/// `EvidenceReport.check` against the contract's archived data.
@Suite("Evidence reports", .serialized)
struct EvidenceReportTests {
    /// A completed contract and what the archive would hold of it.
    struct Completed {
        let contract: Contract
        let record: ArchivedContractRecord
        let trail: ArchivedAuditTrail
        let signedPDF: [UInt8]
        let evidencePDF: [UInt8]
    }

    static func complete(_ fixture: ServiceFixture, merchantID: String, templateID: String) async throws -> Contract {
        let issued = try await fixture.service.createContract(
            NewContract(merchantID: merchantID, templateID: templateID, fields: try ServiceFixture.sampleFields(templateID)),
            origin: ServiceFixture.origin)
        let done = try await fixture.service.sign(contractID: issued.contract.id, role: .merchant, evidence: ServiceFixture.evidence)
        #expect(done.state == .completed)
        return done
    }

    static func archived(_ fixture: ServiceFixture, _ id: String) async throws -> Completed {
        let contract = try await fixture.service.contract(id: id)
        let evidence = try #require(contract.evidence)
        let trail = ArchivedAuditTrail(contractID: contract.id, merchantID: contract.merchantID,
                                       events: try await fixture.service.auditTrail(contractID: id).events)
        return Completed(contract: contract, record: contract.archiveRecord(utcOffsetSeconds: fixture.service.configuration.utcOffsetSeconds),
                         trail: trail, signedPDF: try await fixture.storage.storage.blobs.get(try #require(contract.signed).sha256),
                         evidencePDF: try await fixture.storage.storage.blobs.get(evidence.sha256))
    }

    @Test("zh-CN and en contracts: the job seals each report once; pdfsig, pyHanko, qpdf pass; the text holds digests and events; check passes and catches swaps and edits")
    func reports() async throws {
        let pki = try PublishedKeyDirectory()
        let fixture = try await ServiceFixture.make(keys: pki.keys)
        let merchant = try await fixture.service.createMerchant(ServiceFixture.merchantInput)
        let zh = try await Self.complete(fixture, merchantID: merchant.id, templateID: "merchant-service-agreement")
        let foreign = try await fixture.service.createMerchant(NewMerchant(
            externalID: "m-sg-1", name: "Lion City Coffee Pte. Ltd.", registration: .init(number: "201912345K", country: "SG"),
            legalRepresentative: "Tan Wei Ming", contact: MerchantContact(name: "Tan Wei Ming", phone: "+6591234567", email: "ops@lioncity.example")))
        let en = try await Self.complete(fixture, merchantID: foreign.id, templateID: "payment-processing-agreement")
        #expect(zh.evidence == nil)

        #expect(await fixture.service.sealPendingEvidenceReports() == 2)
        #expect(await fixture.service.sealPendingEvidenceReports() == 0, "a report is made once")
        let reports = [try await Self.archived(fixture, zh.id), try await Self.archived(fixture, en.id)]

        let directory = try TemporaryDirectory()
        for (completed, language) in zip(reports, ["zh", "en"]) {
            let contract = completed.contract
            let evidenceSHA256 = DigestAlgorithm.sha256.hash(completed.evidencePDF).hexString
            #expect(completed.trail.events.last?.type == "evidence.sealed")
            #expect(completed.trail.events.last?.data["evidence_sha256"] == evidenceSHA256)

            // Deterministic: the record alone decides the unsigned report, and the evidence begins with it.
            let record = try EvidenceReport.record(contract: completed.record, auditTrail: completed.trail, signedPDF: completed.signedPDF)
            let render = try EvidenceReport.render(record)
            #expect(try EvidenceReport.render(record) == render)
            #expect(completed.evidencePDF.starts(with: render))
            #expect(record.signedSHA256 == contract.signed?.sha256)
            #expect(record.events.map(\.type).last == "contract.completed")

            let file = directory.file("evidence-\(language).pdf")
            try Data(completed.evidencePDF).write(to: file)
            let qpdf = try QPDF.check(file)
            #expect(qpdf.passed, "\(qpdf.raw.combinedOutput)")
            let pdfsig = try PDFSig.verify(file, trusting: [pki.rootFile])
            let approvals = pdfsig.verdicts.filter { $0.signatureType == "ETSI.CAdES.detached" }
            #expect(approvals.map(\.fieldName) == ["platform"], "\(pdfsig.raw.combinedOutput)")
            #expect(approvals.allSatisfy { $0.isValid && $0.isTrusted }, "\(pdfsig.verdicts)")
            let pyhanko = try PyHanko.validate(file, trusting: [pki.rootFile])
            #expect(pyhanko.raw.status == 0, "\(pyhanko.raw.combinedOutput)")
            #expect(pyhanko.verdicts.map(\.fieldName) == ["platform"])
            #expect(pyhanko.verdicts.allSatisfy { $0.isIntactAndTrusted && $0.has("TIMESTAMP_TOKEN<INTACT:TRUSTED>") }, "\(pyhanko.verdicts)")
            #expect(pyhanko.verdicts.last?.has("EXTENDED_WITH_LTA_UPDATES") == true)

            // In content order (-raw), each table cell whole; long digests wrap: compare without whitespace.
            let text = try ExternalTool.run("pdftotext", ["-raw", file.path, "-"]).output
            let compact = text.filter { !$0.isWhitespace }
            #expect(compact.contains(contract.number))
            #expect(compact.contains(contract.original.sha256), "original SHA-256 missing")
            #expect(compact.contains(record.signedSHA256), "signed SHA-256 missing")
            #expect(compact.contains(record.auditHead.hash), "chain head hash missing")
            #expect(compact.contains(contract.template.digest), "template digest missing")
            for type in Set(record.events.map(\.type)) { #expect(compact.contains(type), "event \(type) missing") }
            #expect(compact.contains("127.0.0.1") && compact.contains("ServiceTests"), "signing event's IP/user agent missing")
            for signature in record.signatures { #expect(compact.contains(signature.sha256), "certificate fingerprint missing") }
            #expect(compact.contains(language == "zh" ? "出证报告" : "CertificateofCompletion"))

            #expect(EvidenceReport.check(evidencePDF: completed.evidencePDF, contract: completed.record,
                                         auditTrail: completed.trail, signedPDF: completed.signedPDF) == [])
        }

        let (a, b) = (reports[0], reports[1])
        // Another contract's evidence.
        let swapped = EvidenceReport.check(evidencePDF: b.evidencePDF, contract: a.record, auditTrail: a.trail, signedPDF: a.signedPDF)
        #expect(swapped.count == 1 && swapped[0].contains("is not the report of contract \(a.contract.number)"), "\(swapped)")
        // An edited event (its IP changed): the chain breaks.
        var edited = a.trail
        let signing = try #require(edited.events.firstIndex { $0.type == "signer.signed" })
        edited.events[signing].ip = "10.0.0.9"
        let editedProblems = EvidenceReport.check(evidencePDF: a.evidencePDF, contract: a.record, auditTrail: edited, signedPDF: a.signedPDF)
        #expect(editedProblems.count == 1 && editedProblems[0].contains("audit chain is broken"), "\(editedProblems)")
        // The signed PDF of another contract.
        let otherPDF = EvidenceReport.check(evidencePDF: a.evidencePDF, contract: a.record, auditTrail: a.trail, signedPDF: b.signedPDF)
        #expect(otherPDF.count == 1 && otherPDF[0].contains("does not begin with the document the contract completed with"), "\(otherPDF)")
        // A byte changed after the seal: the seal breaks.
        var tampered = a.evidencePDF
        let sealed = try #require(EvidenceReport.render(try EvidenceReport.record(contract: a.record, auditTrail: a.trail, signedPDF: a.signedPDF)).count)
        tampered[sealed + 200] ^= 0x01
        #expect(!EvidenceReport.check(evidencePDF: tampered, contract: a.record, auditTrail: a.trail, signedPDF: a.signedPDF).isEmpty)
        // The bare render, without the platform's seal.
        let bare = EvidenceReport.check(evidencePDF: Array(a.evidencePDF.prefix(sealed)), contract: a.record, auditTrail: a.trail, signedPDF: a.signedPDF)
        #expect(bare.contains { $0.contains("exactly one approval signature") }, "\(bare)")
    }

    @Test("Before completion there is no evidence report (contract_not_completed); the download makes a missing one")
    func onDemand() async throws {
        let fixture = try await ServiceFixture.make()
        let (_, issued) = try await fixture.merchantAndContract()
        await #expect(throws: ServiceError.contractNotCompleted) { _ = try await fixture.service.evidencePDF(contractID: issued.contract.id) }
        let done = try await fixture.service.sign(contractID: issued.contract.id, role: .merchant, evidence: ServiceFixture.evidence)
        #expect(done.evidence == nil)
        let download = try await fixture.service.evidencePDF(contractID: done.id)
        let stored = try #require(try await fixture.service.contract(id: done.id).evidence)
        #expect(download.document == stored && DigestAlgorithm.sha256.hash(download.bytes).hexString == stored.sha256)
        #expect(download.fileName == "\(done.number)-evidence.pdf")
        #expect(try await fixture.service.evidencePDF(contractID: done.id).bytes == download.bytes, "the stored report, not a new one")
        #expect(await fixture.service.sealPendingEvidenceReports() == 0)
    }
}
