import Foundation
import SignetCrypto
import SignetPAdES
import SignetTestSupport
import Testing

/// PDFs signed with every kind of algorithm OpenSSL 3 can check (SHA-3, RSA-PSS, EdDSA,
/// brainpool and P-521 curves, plain ECDSA): verified, not "unsupported"; a wrong value is
/// SIG_CRYPTO_FAILURE and a changed signed byte HASH_FAILURE; pyHanko agrees where it can.
@Suite("Signature algorithms in PDFs")
struct AlgorithmVerificationTests {
    private func write(_ pdf: [UInt8], _ dir: TemporaryDirectory, _ name: String) throws -> URL {
        let file = dir.file(name)
        try Data(pdf).write(to: file)
        return file
    }

    private func check(_ signature: SignatureValidationResult, _ kind: ValidationCheck.Kind) -> ValidationCheck.Outcome? {
        let outcomes = signature.checks.filter { $0.kind == kind }.map(\.outcome)
        return outcomes.contains(.failed) ? .failed : outcomes.first
    }

    @Test("Valid: TOTAL_PASSED with the algorithm named; flipped value: SIG_CRYPTO_FAILURE; changed byte: HASH_FAILURE",
          arguments: AlgorithmPDF.all)
    func algorithm(_ testCase: AlgorithmPDF) async throws {
        let pki = try VerificationPKI()
        let options = pki.options(requireRevocationData: false)
        let dir = try TemporaryDirectory("signet-algorithm")
        let signed = try await testCase.sign(pki)

        let report = VerificationSupport.verify(signed, options)
        let signature = try #require(report.signatures.first)
        #expect(signature.indication == .totalPassed, "\(ValidationReportFormatter.text(report))")
        #expect(signature.signatureAlgorithm == testCase.algorithm)
        #expect(signature.digestAlgorithm == testCase.digest.rawValue)
        for kind in [ValidationCheck.Kind.integrity, .signatureValue, .cryptographicConstraints] {
            #expect(check(signature, kind) == .passed, "\(kind): \(signature.checks.filter { $0.kind == kind })")
        }

        let badValue = try ContentsSurgery.flippingSignatureValue(signed)
        let badValueReport = VerificationSupport.verify(badValue, options)
        #expect(badValueReport.signatures.first?.indication == .totalFailed)
        #expect(badValueReport.signatures.first?.subIndication == .sigCryptoFailure, "\(ValidationReportFormatter.text(badValueReport))")

        var badByte = signed
        let stream = try #require(VerificationSupport.find("stream\n", in: signed))
        badByte[stream + 12] ^= 0x01
        let badByteReport = VerificationSupport.verify(badByte, options)
        #expect(badByteReport.signatures.first?.indication == .totalFailed)
        #expect(badByteReport.signatures.first?.subIndication == .hashFailure, "\(ValidationReportFormatter.text(badByteReport))")

        if case .notRun = testCase.pyHanko { return }
        // Like Signet's options here: the test CRLs are nowhere to fetch.
        let noRevocation = ["--no-revocation-check"]
        let theirs = try PyHanko.validate(try write(signed, dir, "signed.pdf"), trusting: [pki.rootFile], extraArguments: noRevocation)
        if case .invalidUnknownOID = testCase.pyHanko {
            #expect(theirs.verdicts.first?.status.first == "INVALID", "pyHanko's documented behaviour changed: \(theirs.raw.combinedOutput)")
            return
        }
        #expect(theirs.verdicts.first?.isIntactAndTrusted == true, "pyHanko: \(theirs.raw.combinedOutput)")
        for (name, tampered) in [("value.pdf", badValue), ("byte.pdf", badByte)] {
            let rejected = try PyHanko.validate(try write(tampered, dir, name), trusting: [pki.rootFile], extraArguments: noRevocation)
            #expect(rejected.raw.status != 0, "pyHanko accepts \(name): \(rejected.raw.combinedOutput)")
            #expect(!rejected.verdicts.contains { $0.status.first?.hasPrefix("INTACT") == true }, "\(name): \(rejected.raw.combinedOutput)")
        }
    }

    @Test("A signature algorithm the key cannot use is SIG_CRYPTO_FAILURE; an unknown one INDETERMINATE/CRYPTO_CONSTRAINTS_FAILURE")
    func mismatchedAndUnknown() async throws {
        let pki = try VerificationPKI()
        let options = pki.options(requireRevocationData: false)
        let signed = try await AlgorithmPDF.all.first { $0.algorithm == "RSA PKCS#1 v1.5 with SHA3-256" }!.sign(pki)
        // id-rsassa-pkcs1-v1_5-with-sha3-256 (…4.3.14) becomes id-ecdsa-with-sha3-256
        // (…4.3.10, with an RSA key) or the unassigned …4.3.127: same length, same CMS.
        let oid: [UInt8] = [0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x0E]
        let (cms, _) = try ContentsSurgery.cms(signed)
        let at = try #require(ByteSearch.offset(of: oid, in: cms)) + oid.count - 1

        let ecdsa = VerificationSupport.verify(try ContentsSurgery.setting(signed, cmsOffset: at, to: 0x0A), options)
        let mismatch = try #require(ecdsa.signatures.first)
        #expect(mismatch.indication == .totalFailed)
        #expect(mismatch.subIndication == .sigCryptoFailure, "\(ValidationReportFormatter.text(ecdsa))")
        #expect(mismatch.signatureAlgorithm == "ECDSA with SHA3-256")
        #expect(mismatch.reasons.first?.contains("cannot have been made with the signer's key") == true, "\(mismatch.reasons)")

        let unknown = VerificationSupport.verify(try ContentsSurgery.setting(signed, cmsOffset: at, to: 0x7F), options)
        let refused = try #require(unknown.signatures.first)
        #expect(refused.indication == .indeterminate)
        #expect(refused.subIndication == .cryptoConstraintsFailure, "\(ValidationReportFormatter.text(unknown))")
        #expect(refused.signatureAlgorithm == nil)
    }

    @Test("DSA (OpenSSL's PKCS#7): 2048 bits passes; 1024 bits without proof of existence is CRYPTO_CONSTRAINTS_FAILURE_NO_POE",
          arguments: [2048, 1024])
    func dsa(bits: Int) async throws {
        let pki = try VerificationPKI()
        let dir = try TemporaryDirectory("signet-dsa")
        let params = dir.file("params.pem").path, keyFile = dir.file("dsa.key").path
        for arguments in [["-genparam", "-algorithm", "DSA", "-pkeyopt", "dsa_paramgen_bits:\(bits)", "-out", params],
                          ["-paramfile", params, "-out", keyFile]] {
            let result = try ExternalTool.run("openssl", ["genpkey"] + arguments)
            try #require(result.status == 0, "\(result.combinedOutput)")
        }
        let (key, certificate) = try pki.signer(using: try PrivateKey(contentsOfFile: keyFile))
        let signed = try await SignatureCrafter.opensslPKCS7(try VerificationSupport.base(), subFilter: "adbe.pkcs7.detached", key: key,
                                                             certificate: certificate, chain: [pki.issuing.certificate])
        let report = VerificationSupport.verify(signed, pki.options(requireRevocationData: false))
        let signature = try #require(report.signatures.first)
        #expect(signature.signatureAlgorithm == "DSA with SHA-256")
        #expect(check(signature, .signatureValue) == .passed)
        if bits >= 2048 {
            #expect(signature.indication == .totalPassed, "\(ValidationReportFormatter.text(report))")
        } else {
            #expect(signature.subIndication == .cryptoConstraintsFailureNoPOE, "\(ValidationReportFormatter.text(report))")
            #expect(signature.reasons.first?.contains("a 1024-bit DSA key") == true, "\(signature.reasons)")
        }
    }
}
