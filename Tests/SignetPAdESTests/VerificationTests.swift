import Foundation
import SignetCrypto
import SignetPAdES
import SignetTestSupport
import Testing

@Suite("Verification of Signet-signed contracts")
struct VerificationTests {
    @Test("A B-LTA contract passes: TOTAL_PASSED at level PAdES-B-LTA, with its document timestamp")
    func bltaPasses() async throws {
        let pki = try VerificationPKI()
        let signed = try await pki.padesSigner(try pki.signer()).sign(
            try VerificationSupport.base(), level: .bLTA, request: SignatureRequest(metadata: VerificationSupport.metadata))
        let report = VerificationSupport.verify(signed, pki.options())
        #expect(report.outcome == .passed, "\(ValidationReportFormatter.text(report))")
        #expect(report.exitStatus == 0)
        try #require(report.signatures.count == 2)
        let signature = report.signatures[0]
        #expect(signature.kind == .approval)
        #expect(signature.indication == .totalPassed)
        #expect(signature.level == "PAdES-B-LTA")
        #expect(signature.subFilter == "ETSI.CAdES.detached")
        #expect(signature.signingCertificateBinding == "signing-certificate-v2")
        #expect(signature.signer?.commonName == "张三")
        #expect(signature.signer?.organization == "示例商户有限公司")
        #expect(signature.signer?.organizationIdentifier == "NTRCN-91310000MA1FL8TQ6X")
        #expect(signature.claims.reason == "同意《商户服务协议》")
        #expect(signature.coverage.kind == .entireRevision)
        #expect(signature.modifications.verdict == .allowed)
        #expect(signature.trust.status == .trusted)
        #expect(signature.trust.chain.count == 3)
        #expect(signature.revocation.map(\.status) == [.good, .good])
        #expect(signature.timestamps.map(\.status) == [.valid])
        #expect(signature.proofOfExistence != nil)
        let timestamp = report.signatures[1]
        #expect(timestamp.kind == .documentTimestamp)
        #expect(timestamp.indication == .totalPassed)
        #expect(timestamp.coverage.kind == .entireFile)
        #expect(timestamp.modifications.verdict == .untouched)
        #expect(timestamp.signer?.commonName == "Verify Test TSA")
    }

    @Test("Each level is recognized, and B-B/B-T without embedded revocation data are INDETERMINATE/TRY_LATER",
          arguments: PAdESLevel.allCases)
    func levels(level: PAdESLevel) async throws {
        let pki = try VerificationPKI()
        let signed = try await pki.padesSigner(try pki.signer()).sign(
            try VerificationSupport.base("ghostscript.pdf"), level: level, request: SignatureRequest(metadata: VerificationSupport.metadata))
        let strict = VerificationSupport.verify(signed, pki.options())
        let signature = try #require(strict.signatures.first)
        #expect(signature.level == "PAdES-\(level.rawValue)", "\(ValidationReportFormatter.text(strict))")
        if level >= .bLT {
            #expect(strict.outcome == .passed, "\(ValidationReportFormatter.text(strict))")
        } else {
            // The signer's certificate names a CRL the file does not carry.
            #expect(strict.outcome == .indeterminate)
            #expect(signature.subIndication == .tryLater, "\(ValidationReportFormatter.text(strict))")
            #expect(signature.revocation.first?.status == .unknown)
            let relaxed = VerificationSupport.verify(signed, pki.options(requireRevocationData: false))
            #expect(relaxed.outcome == .passed, "\(ValidationReportFormatter.text(relaxed))")
        }
    }

    @Test("Merchant then platform, extended to B-LTA: both signatures and the document timestamp pass")
    func twoSignatures() async throws {
        let pki = try VerificationPKI()
        let merchant = try pki.padesSigner(try pki.signer())
        let platform = try pki.padesSigner(try pki.signer("Signet Platform Seal", organization: "Signet Platform Ltd", creditCode: nil))
        let once = try await merchant.sign(try VerificationSupport.base(), level: .bT,
                                           request: SignatureRequest(fieldName: "merchant", metadata: VerificationSupport.metadata))
        let twice = try await platform.sign(once, level: .bLTA, request: SignatureRequest(
            fieldName: "platform", metadata: SignatureMetadata(signerName: "Signet Platform Ltd", reason: "Countersigned")))
        let report = VerificationSupport.verify(twice, pki.options())
        #expect(report.outcome == .passed, "\(ValidationReportFormatter.text(report))")
        #expect(report.signatures.map(\.fieldName) == ["merchant", "platform", report.signatures.last?.fieldName])
        #expect(report.signatures.map(\.kind) == [.approval, .approval, .documentTimestamp])
        #expect(report.signatures[0].modifications.verdict == .allowed)
        #expect(report.signatures[0].level == "PAdES-B-LTA")
        #expect(report.signatures[1].level == "PAdES-B-LTA")
    }

    @Test("The JSON report round-trips and carries the schema version; the text names signer, organization and verdict")
    func reportForms() async throws {
        let pki = try VerificationPKI()
        let signed = try await pki.padesSigner(try pki.signer()).sign(
            try VerificationSupport.base(), level: .bLTA, request: SignatureRequest(metadata: VerificationSupport.metadata))
        let report = VerificationSupport.verify(signed, pki.options())
        let json = try ValidationReportFormatter.json(report)
        let decoded = try ValidationReportFormatter.decode(json: Data(json.utf8))
        #expect(decoded.schemaVersion == ValidationReport.currentSchemaVersion)
        #expect(decoded.outcome == report.outcome)
        #expect(decoded.signatures.map(\.indication) == report.signatures.map(\.indication))
        #expect(decoded.signatures.first?.signer == report.signatures.first?.signer)
        #expect(try ValidationReportFormatter.json(decoded) == json, "encoding is stable")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["schemaVersion"] as? Int == 1)
        #expect(object["outcome"] as? String == "passed")
        let first = try #require((object["signatures"] as? [[String: Any]])?.first)
        #expect(first["indication"] as? String == "TOTAL_PASSED")
        #expect((first["claims"] as? [String: Any])?["signingTime"] is String)

        let text = ValidationReportFormatter.text(report)
        for needle in ["PASSED", "张三", "示例商户有限公司", "NTRCN-91310000MA1FL8TQ6X", "同意《商户服务协议》", "PAdES-B-LTA",
                       "Verify Test TSA", "trusted root", "TOTAL_PASSED"] {
            #expect(text.contains(needle), "text report lacks \(needle)")
        }
    }

    @Test("A PDF without signatures is not valid: outcome noSignature, exit status 3")
    func unsignedIsNotValid() throws {
        let report = VerificationSupport.verify(try VerificationSupport.base(), ValidationOptions())
        #expect(report.outcome == .noSignature)
        #expect(report.exitStatus == 3)
        #expect(report.signatures.isEmpty)
        #expect(report.indication == .totalFailed)
        #expect(report.subIndication == .formatFailure)
    }

    @Test("--at in the past before the signer's certificate existed: TOTAL_FAILED/NOT_YET_VALID")
    func validationBeforeIssuance() async throws {
        let pki = try VerificationPKI()
        let signed = try await pki.padesSigner(try pki.signer()).sign(
            try VerificationSupport.base(), level: .bLT, request: SignatureRequest(metadata: VerificationSupport.metadata))
        let report = VerificationSupport.verify(signed, pki.options(at: pki.now.addingTimeInterval(-10 * VerificationPKI.day)))
        let signature = try #require(report.signatures.first)
        #expect(signature.indication == .totalFailed)
        #expect(signature.subIndication == .notYetValid, "\(ValidationReportFormatter.text(report))")
    }
}
