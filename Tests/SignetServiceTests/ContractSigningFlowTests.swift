import Foundation
import SignetCrypto
import SignetPKI
import SignetService
import SignetTemplates
import SignetTestSupport
import Testing

/// Signet's own contracts, signed end to end with the development PKI (event certificate,
/// platform seal, B-LTA), judged by the third-party validators.
@Suite("Contract signing flow")
struct ContractSigningFlowTests {
    /// A development PKI whose CRL/OCSP URLs point at a live local publisher of it.
    typealias PublishedPKI = PublishedKeyDirectory

    static let templateIDs = ["merchant-service-agreement", "payment-processing-agreement", "settlement-account-authorization"]

    func renderSample(_ id: String) throws -> RenderedContract {
        let store = TemplateStore(root: RepositoryPaths.templates)
        let template = try store.load(id: id)
        let sample = try #require(template.sample)
        return try ContractRenderer.render(template: template, fields: sample,
                                           metadata: ContractMetadata(number: "TEST-\(id)", issuedAt: "2026-11-01T10:00:00+08:00"))
    }

    @Test("Merchant + platform at B-LTA on every template: valid and trusted in pdfsig, pyHanko and qpdf", arguments: templateIDs)
    func signEveryTemplate(id: String) async throws {
        let contract = try renderSample(id)
        // The platform seals with the certificate of the legal entity the contract names.
        let pki = try PublishedPKI(organization: try #require(contract.fields["platform_name"]))
        let flow = try ContractSigningFlow(keys: pki.keys)
        let signed = try await flow.signAndCountersign(contract, signingEventID: "evt-\(id)")
        #expect(Array(signed.prefix(contract.pdf.count)) == contract.pdf, "the rendered contract's bytes must stay a prefix")

        let dir = try TemporaryDirectory()
        let file = dir.file("signed.pdf")
        try Data(signed).write(to: file)
        let qpdf = try QPDF.check(file)
        #expect(qpdf.passed, "\(qpdf.raw.combinedOutput)")

        // pdfsig checks OCSP online; the published PKI answers "good" (openssl ocsp).
        let pdfsig = try PDFSig.verify(file, trusting: [pki.rootFile])
        let approvals = pdfsig.verdicts.filter { $0.signatureType == "ETSI.CAdES.detached" }
        #expect(approvals.map(\.fieldName) == ["merchant", "platform"], "\(pdfsig.raw.combinedOutput)")
        #expect(approvals.allSatisfy { $0.isValid && $0.isTrusted }, "\(pdfsig.verdicts)")

        // pyHanko fetches CRLs/OCSP from the published PKI (hard-fail revocation checking).
        let pyhanko = try PyHanko.validate(file, trusting: [pki.rootFile])
        #expect(pyhanko.raw.status == 0, "\(pyhanko.raw.combinedOutput)")
        #expect(pyhanko.verdicts.map(\.fieldName) == ["merchant", "platform"])
        #expect(pyhanko.verdicts.allSatisfy { $0.isIntactAndTrusted && $0.has("TIMESTAMP_TOKEN<INTACT:TRUSTED>") }, "\(pyhanko.verdicts)")
        #expect(pyhanko.verdicts.last?.has("EXTENDED_WITH_LTA_UPDATES") == true)

        // Offline: everything a validator needs is in the file (DSS), nothing online.
        pki.server.stop()
        let ades = try ExternalTool.run("pyhanko", ["sign", "adesverify", "--trust", pki.rootFile.path, "--trust-replace", file.path])
        let offline = PyHanko.parse(ades.output)
        #expect(offline.count == 2)
        #expect(offline.allSatisfy { $0.isIntactAndTrusted && $0.has("TIMESTAMP_TOKEN<INTACT:TRUSTED>") }, "\(ades.combinedOutput)")
    }

    @Test("The seals are drawn inside the template's signature boxes")
    func sealsAreVisible() async throws {
        let pki = try PublishedPKI()
        let contract = try renderSample("merchant-service-agreement")
        let signed = try await ContractSigningFlow(keys: pki.keys).signAndCountersign(contract, signingEventID: "evt-visible")
        let dir = try TemporaryDirectory()
        try Data(contract.pdf).write(to: dir.file("before.pdf"))
        try Data(signed).write(to: dir.file("after.pdf"))
        for page in Set(contract.signatureBoxes.map(\.page)) {
            let boxes = contract.signatureBoxes.filter { $0.page == page }
            let before = try GrayPage.render(dir.file("before.pdf"), page: page)
            let after = try GrayPage.render(dir.file("after.pdf"), page: page)
            let changed = after.differingPixels(from: before)
            for box in boxes {
                let inBox = changed.filter { box.rect.contains(pointX: $0.x, y: $0.y, in: after, slack: 1.5) }
                #expect(inBox.count > 200, "\(box.role): the seal must be drawn in its box (\(inBox.count) pixels changed there)")
            }
            // Nothing outside the boxes changed (1.5 points of anti-aliasing slack).
            let outside = changed.filter { pixel in !boxes.contains { $0.rect.contains(pointX: pixel.x, y: pixel.y, in: after, slack: 1.5) } }
            #expect(outside.isEmpty, "page \(page): \(outside.count) pixels changed outside the signature boxes")
        }
    }

    @Test("The platform signs with the seal of the entity the contract names, never another entity's")
    func sealMustMatchPlatform() async throws {
        let pki = try PublishedPKI(organization: "Another Company Ltd")
        let contract = try renderSample("merchant-service-agreement")
        let flow = try ContractSigningFlow(keys: pki.keys)
        let merchant = try await flow.signAsMerchant(contract, signingEventID: "evt-mismatch")
        await #expect(throws: ContractSigningError.self) {
            _ = try await flow.countersignAsPlatform(merchant.pdf, contract: contract)
        }
        // Once the entity has its own seal, the same countersignature goes through with it.
        let entity = try #require(contract.fields["platform_name"])
        let issued = try pki.keys.issueSeal(organization: entity, registrationNumber: contract.fields["platform_credit_code"])
        let signed = try await flow.countersignAsPlatform(merchant.pdf, contract: contract)
        let dir = try TemporaryDirectory()
        try Data(signed).write(to: dir.file("signed.pdf"))
        let pyhanko = try PyHanko.validate(dir.file("signed.pdf"), trusting: [pki.rootFile])
        #expect(pyhanko.verdicts.count == 2 && pyhanko.verdicts.allSatisfy(\.isIntactAndTrusted), "\(pyhanko.raw.combinedOutput)")
        #expect(try pki.keys.seal(for: entity)?.certificate == issued.certificate)
        #expect(throws: KeyDirectoryError.self) { try pki.keys.issueSeal(organization: entity) }
    }

    @Test("The merchant's event certificate names the merchant, its credit code and the signer")
    func eventCertificateBindsMerchant() async throws {
        let pki = try PublishedPKI()
        let contract = try renderSample("merchant-service-agreement")
        let merchant = try await ContractSigningFlow(keys: pki.keys).signAsMerchant(contract, signingEventID: "evt-binding")
        let subject = merchant.certificate.subject
        #expect(subject.organization == contract.fields["merchant_name"])
        #expect(subject.commonName == contract.fields["merchant_legal_rep"])
        let code = try #require(contract.fields["merchant_credit_code"])
        #expect(subject.rfc2253.contains(code))
        #expect(merchant.certificate.isIssued(by: pki.keys.issuingAuthority.certificate))
    }
}

extension PDFRect {
    /// Whether pixel (x, y) of `page` (origin top-left) lies inside this rectangle (PDF
    /// points, origin bottom-left), with `slack` points of tolerance.
    func contains(pointX x: Int, y: Int, in page: GrayPage, slack: Double) -> Bool {
        let scale = 72.0 / page.dpi
        let px = (Double(x) + 0.5) * scale
        let py = Double(page.height) * scale - (Double(y) + 0.5) * scale
        return px >= self.x - slack && px <= self.x + width + slack && py >= self.y - slack && py <= self.y + height + slack
    }
}
