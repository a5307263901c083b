import Foundation
import SignetCrypto
import SignetPAdES
import SignetPDF
import SignetTestSupport
import Testing

/// Signature formats Signet does not write: certification (DocMDP) signatures, and PKCS#7
/// signatures made by OpenSSL (adbe.pkcs7.detached, adbe.pkcs7.sha1).
@Suite("Verification of other signature formats")
struct VerificationFormatsTests {
    private func describe(_ report: ValidationReport) -> String { ValidationReportFormatter.text(report) }

    @Test("A certification signature with DocMDP P=1 fails when another signature follows; with P=2 that is allowed")
    func certificationPermissions() async throws {
        let pki = try VerificationPKI()
        let (key, certificate) = try pki.signer()
        let cms = try CMSSigner(key: key, certificate: certificate, chain: [pki.issuing.certificate, pki.root.certificate])
        let approver = try pki.padesSigner(try pki.signer("李四"))
        let options = pki.options(requireRevocationData: false)
        for p in [1, 2] {
            let certified = try await SignatureCrafter.certify(try VerificationSupport.base(), p: p, signer: cms)
            let alone = VerificationSupport.verify(certified, options)
            #expect(alone.outcome == .passed, "P=\(p) alone: \(describe(alone))")
            #expect(alone.signatures.first?.certification?.permissions == p)

            let countersigned = try await approver.sign(certified, level: .bB, request: SignatureRequest(fieldName: "approval"))
            let report = VerificationSupport.verify(countersigned, options)
            let certification = try #require(report.signatures.first)
            if p == 1 {
                #expect(certification.indication == .totalFailed, "\(describe(report))")
                #expect(certification.subIndication == .formatFailure)
                #expect(certification.modifications.findings.contains { !$0.allowed && $0.message.contains("DocMDP") })
            } else {
                #expect(certification.indication == .totalPassed, "\(describe(report))")
            }
            #expect(report.signatures.last?.indication == .totalPassed)
        }
    }

    @Test("adbe.pkcs7.detached made by OpenSSL (with signing-time, without ESS): passes; a changed byte: HASH_FAILURE")
    func opensslDetached() async throws {
        let pki = try VerificationPKI()
        let (key, certificate) = try pki.signer()
        let signed = try await SignatureCrafter.opensslPKCS7(try VerificationSupport.base(), subFilter: "adbe.pkcs7.detached", key: key,
                                                             certificate: certificate, chain: [pki.issuing.certificate])
        let report = VerificationSupport.verify(signed, pki.options(requireRevocationData: false))
        let signature = try #require(report.signatures.first)
        #expect(signature.indication == .totalPassed, "\(describe(report))")
        #expect(signature.level == "PKCS7-B")
        #expect(signature.claims.cmsSigningTime != nil)

        var changed = signed
        let offset = try #require(VerificationSupport.find("stream\n", in: signed)) + 9
        changed[offset] ^= 0x02
        let broken = VerificationSupport.verify(changed, pki.options(requireRevocationData: false))
        #expect(broken.signatures.first?.subIndication == .hashFailure, "\(describe(broken))")
    }

    @Test("adbe.pkcs7.sha1 made by OpenSSL: intact, but SHA-1 without proof of existence is CRYPTO_CONSTRAINTS_FAILURE_NO_POE")
    func opensslSHA1() async throws {
        let pki = try VerificationPKI()
        let (key, certificate) = try pki.signer()
        let signed = try await SignatureCrafter.opensslPKCS7(try VerificationSupport.base(), subFilter: "adbe.pkcs7.sha1", key: key,
                                                             certificate: certificate, chain: [pki.issuing.certificate])
        let report = VerificationSupport.verify(signed, pki.options(requireRevocationData: false))
        let signature = try #require(report.signatures.first)
        #expect(signature.indication == .indeterminate, "\(describe(report))")
        #expect(signature.subIndication == .cryptoConstraintsFailureNoPOE)
        #expect(signature.checks.contains { $0.kind == .integrity && $0.outcome == .passed && $0.message.contains("SHA-1") })

        var changed = signed
        let offset = try #require(VerificationSupport.find("stream\n", in: signed)) + 9
        changed[offset] ^= 0x02
        let broken = VerificationSupport.verify(changed, pki.options(requireRevocationData: false))
        #expect(broken.signatures.first?.subIndication == .hashFailure, "\(describe(broken))")
    }
}
