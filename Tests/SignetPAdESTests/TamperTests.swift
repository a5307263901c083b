import Foundation
import SignetCrypto
import SignetPAdES
import SignetPDF
import SignetTestSupport
import Testing

/// Signet-signed contracts, tampered with after signing, must fail with the right
/// sub-indication; certificate problems must give the right ETSI answer.
@Suite("Tampered and problematic signatures")
struct TamperTests {
    let metadata = VerificationSupport.metadata

    private func signedBLTA(_ pki: VerificationPKI) async throws -> [UInt8] {
        try await pki.padesSigner(try pki.signer()).sign(try VerificationSupport.base(), level: .bLTA, request: SignatureRequest(metadata: metadata))
    }

    private func describe(_ report: ValidationReport) -> String { ValidationReportFormatter.text(report) }

    // MARK: - Bytes

    @Test("One flipped byte in the signed page content: TOTAL_FAILED/HASH_FAILURE for the signature and the timestamp")
    func flippedByte() async throws {
        let pki = try VerificationPKI()
        var pdf = try await signedBLTA(pki)
        // A byte inside the first stream's data (the page content), same length, so the
        // structure stays readable and only the digest changes.
        let stream = try #require(VerificationSupport.find("stream\n", in: pdf))
        let offset = stream + 7 + 5
        pdf[offset] ^= 0x01
        let report = VerificationSupport.verify(pdf, pki.options())
        #expect(report.outcome == .failed)
        #expect(report.exitStatus == 1)
        #expect(report.signatures.count == 2)
        for signature in report.signatures {
            #expect(signature.indication == .totalFailed)
            #expect(signature.subIndication == .hashFailure, "\(describe(report))")
        }
        #expect(report.signatures[0].reasons.first?.contains("changed") == true)
    }

    @Test("An edited /ByteRange: TOTAL_FAILED/FORMAT_FAILURE whether the gap moves or the end misses the revision")
    func editedByteRange() async throws {
        let pki = try VerificationPKI()
        let pdf = try await pki.padesSigner(try pki.signer()).sign(try VerificationSupport.base(), level: .bT, request: SignatureRequest(metadata: metadata))
        let (range, numbers) = try #require(VerificationSupport.firstByteRange(pdf))
        let original = String(decoding: pdf[range], as: UTF8.self)
        // The gap starts one byte early (it would swallow the byte before /Contents), or the
        // second range stops 5 bytes short of the end of the revision.
        for values in [[0, numbers[1] - 1, numbers[2], numbers[3]], [0, numbers[1], numbers[2], numbers[3] - 5]] {
            var edited = "/ByteRange [\(values.map(String.init).joined(separator: " "))]"
            edited += String(repeating: " ", count: max(0, original.utf8.count - edited.utf8.count))
            try #require(edited.utf8.count == original.utf8.count)
            var copy = pdf
            copy.replaceSubrange(range, with: Array(edited.utf8))
            let report = VerificationSupport.verify(copy, pki.options(requireRevocationData: false))
            let signature = try #require(report.signatures.first)
            #expect(signature.indication == .totalFailed)
            #expect(signature.subIndication == .formatFailure, "\(values): \(describe(report))")
            #expect(signature.coverage.kind == .anomalous)
        }
    }

    @Test("A removed /Contents (key renamed) and an emptied /Contents (zeros): TOTAL_FAILED/FORMAT_FAILURE")
    func removedContents() async throws {
        let pki = try VerificationPKI()
        let pdf = try await pki.padesSigner(try pki.signer()).sign(try VerificationSupport.base(), level: .bB, request: SignatureRequest(metadata: metadata))
        let (_, numbers) = try #require(VerificationSupport.firstByteRange(pdf))
        let gapStart = numbers[1], gapEnd = numbers[2]

        var renamed = pdf
        let keyStart = try #require((0..<gapStart).reversed().first { i in
            pdf[i] == UInt8(ascii: "/") && Array(pdf[i..<min(i + 9, pdf.count)]) == Array("/Contents".utf8)
        })
        renamed.replaceSubrange(keyStart..<(keyStart + 9), with: Array("/Contentz".utf8))
        let first = VerificationSupport.verify(renamed, pki.options(requireRevocationData: false))
        let signature = try #require(first.signatures.first)
        #expect(signature.indication == .totalFailed)
        #expect(signature.subIndication == .formatFailure, "\(describe(first))")
        #expect(signature.reasons.contains { $0.contains("no /Contents") })

        var zeroed = pdf
        zeroed.replaceSubrange((gapStart + 1)..<(gapEnd - 1), with: [UInt8](repeating: UInt8(ascii: "0"), count: gapEnd - gapStart - 2))
        let second = VerificationSupport.verify(zeroed, pki.options(requireRevocationData: false))
        #expect(second.signatures.first?.indication == .totalFailed)
        #expect(second.signatures.first?.subIndication == .formatFailure, "\(describe(second))")
    }

    // MARK: - Later revisions

    @Test("An appended update that changes the page content: TOTAL_FAILED/FORMAT_FAILURE with a page-content finding")
    func changedPageContent() async throws {
        let pki = try VerificationPKI()
        let signed = try await signedBLTA(pki)
        let document = try PDFDocument(bytes: signed)
        let page = try document.current.page(at: 0)
        var update = try PDFIncrementalUpdate(document: document)
        let content = update.add(.stream(PDFStream(dictionary: PDFDictionary(), rawData: Array("BT /F1 24 Tf 72 700 Td (PAID IN FULL) Tj ET".utf8))))
        var dictionary = page.dictionary
        dictionary[.contents] = .reference(content)
        try update.set(.dictionary(dictionary), for: page.reference)
        let tampered = try update.write().bytes

        let report = VerificationSupport.verify(tampered, pki.options())
        #expect(report.outcome == .failed, "\(describe(report))")
        for signature in report.signatures {
            #expect(signature.indication == .totalFailed)
            #expect(signature.subIndication == .formatFailure)
            #expect(signature.modifications.verdict == .disallowed)
            #expect(signature.modifications.findings.contains { !$0.allowed && $0.category == "pageContent" }, "\(signature.modifications)")
        }
    }

    @Test("An appended annotation after signing: TOTAL_FAILED/FORMAT_FAILURE with an annotation finding")
    func appendedAnnotation() async throws {
        let pki = try VerificationPKI()
        let signed = try await signedBLTA(pki)
        let document = try PDFDocument(bytes: signed)
        let view = document.current
        let page = try view.page(at: 0)
        var update = try PDFIncrementalUpdate(document: document)
        let annotation = update.add(.dictionary([
            .type: .name("Annot"), .subtype: .name("FreeText"), PDFName("Rect"): [72, 600, 400, 640],
            .contents: .string(PDFString("Amount: 0.00")), PDFName("DA"): .string(PDFString("/Helv 12 Tf 0 g")),
        ]))
        var dictionary = page.dictionary
        dictionary[PDFName("Annots")] = .array(try view.annotations(of: page) + [.reference(annotation)])
        try update.set(.dictionary(dictionary), for: page.reference)
        let tampered = try update.write().bytes

        let report = VerificationSupport.verify(tampered, pki.options())
        #expect(report.outcome == .failed, "\(describe(report))")
        let signature = try #require(report.signatures.first)
        #expect(signature.subIndication == .formatFailure)
        #expect(signature.modifications.findings.contains { !$0.allowed && ($0.category == "annotation" || $0.category == "pageAnnotations") },
                "\(signature.modifications)")
    }

    // MARK: - Trust

    @Test("A signer from an unknown root: INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND, with another root and with none")
    func unknownRoot() async throws {
        let pki = try VerificationPKI()
        let other = try VerificationPKI(name: "Someone Else")
        let signed = try await signedBLTA(pki)
        for options in [other.options(), ValidationOptions()] {
            let report = VerificationSupport.verify(signed, options)
            #expect(report.outcome == .indeterminate)
            #expect(report.exitStatus == 2)
            let signature = try #require(report.signatures.first)
            #expect(signature.subIndication == .noCertificateChainFound, "\(describe(report))")
            #expect(signature.trust.status == .untrusted)
            #expect(signature.trust.chain.count == 3, "the chain the file carries is still shown")
            #expect(signature.level == "PAdES-B-LTA", "the level describes what the file carries")
        }
    }

    // MARK: - Revocation

    @Test("A revoked signer with its CRL embedded: REVOKED_NO_POE, or REVOKED when the signature is proven made after the revocation")
    func revokedSigner() async throws {
        let pki = try VerificationPKI()
        let signer = try pki.signer(from: -30, to: 300)
        let revocation = RevokedCertificate(serialNumber: signer.1.serialNumber, revocationDate: pki.now.addingTimeInterval(-2 * VerificationPKI.day),
                                            reason: .keyCompromise)
        let crls = try pki.crls(issuedAt: -1, revoked: [revocation])
        let tsa = try pki.timeStampAuthority()
        let padesSigner = try pki.padesSigner(signer, tsa: tsa, crls: crls)

        // Signed (and timestamped) now, after the revocation: nothing proves it existed before.
        let plain = try await padesSigner.sign(try VerificationSupport.base(), level: .bLT, request: SignatureRequest(metadata: metadata))
        let report = VerificationSupport.verify(plain, pki.options())
        let signature = try #require(report.signatures.first)
        #expect(signature.indication == .indeterminate, "\(describe(report))")
        #expect(signature.subIndication == .revokedNoPOE)
        #expect(signature.revocation.first?.status == .revoked)
        #expect(signature.revocation.first?.revocationReason == "keyCompromise")

        // The document already carried a trusted document timestamp from after the revocation
        // when it was signed: the signature was provably made with a revoked certificate.
        let stamped = try await DocumentTimestamper(provider: tsa).timestamp(try VerificationSupport.base())
        let proven = try await padesSigner.sign(stamped, level: .bLT, request: SignatureRequest(metadata: metadata))
        let provenReport = VerificationSupport.verify(proven, pki.options())
        let approval = try #require(provenReport.signatures.first { $0.kind == .approval })
        #expect(approval.indication == .totalFailed, "\(describe(provenReport))")
        #expect(approval.subIndication == .revoked)
        #expect(provenReport.exitStatus == 1)
    }

    @Test("A signer revoked after a trusted signature timestamp proved the signature: TOTAL_PASSED")
    func revokedAfterProofOfExistence() async throws {
        let pki = try VerificationPKI()
        let signer = try pki.signer(from: -30, to: 300)
        let revocation = RevokedCertificate(serialNumber: signer.1.serialNumber, revocationDate: pki.now.addingTimeInterval(-2 * VerificationPKI.day))
        let crls = try pki.crls(issuedAt: -1, revoked: [revocation])
        let padesSigner = try pki.padesSigner(signer, tsa: try pki.timeStampAuthority(clockOffset: -5), crls: crls)
        let signed = try await padesSigner.sign(try VerificationSupport.base(), level: .bLT, request: SignatureRequest(metadata: metadata))
        let report = VerificationSupport.verify(signed, pki.options())
        let signature = try #require(report.signatures.first)
        #expect(signature.indication == .totalPassed, "\(describe(report))")
        #expect(signature.revocation.first?.status == .revoked)
        #expect(signature.proofOfExistence.map { $0.time < revocation.revocationDate } == true)
    }

    // MARK: - Expiry

    @Test("An expired signer without a timestamp: INDETERMINATE/OUT_OF_BOUNDS_NO_POE; with a timestamp from inside its validity: TOTAL_PASSED")
    func expiredSigner() async throws {
        let pki = try VerificationPKI()
        let signer = try pki.signer(from: -30, to: -10)

        let unstamped = try await pki.padesSigner(signer).sign(try VerificationSupport.base(), level: .bB, request: SignatureRequest(metadata: metadata))
        let report = VerificationSupport.verify(unstamped, pki.options())
        let signature = try #require(report.signatures.first)
        #expect(signature.indication == .indeterminate, "\(describe(report))")
        #expect(signature.subIndication == .outOfBoundsNoPOE)
        #expect(signature.proofOfExistence == nil)

        // Timestamped 20 days ago, while valid; revocation data issued before it expired.
        let stampedSigner = try pki.padesSigner(signer, tsa: try pki.timeStampAuthority(clockOffset: -20), crls: try pki.crls(issuedAt: -15))
        let stamped = try await stampedSigner.sign(try VerificationSupport.base(), level: .bLT, request: SignatureRequest(metadata: metadata))
        let passing = VerificationSupport.verify(stamped, pki.options())
        let good = try #require(passing.signatures.first)
        #expect(good.indication == .totalPassed, "\(describe(passing))")
        #expect(good.level == "PAdES-B-LT")
        let proof = try #require(good.proofOfExistence)
        #expect(proof.time < signer.1.notAfter)
        #expect(proof.source.contains("signature timestamp"))
    }

    @Test("An expired signer whose signature covers a trusted document timestamp from after the expiry: TOTAL_FAILED/EXPIRED")
    func provenExpired() async throws {
        let pki = try VerificationPKI()
        let signer = try pki.signer(from: -30, to: -10)
        let tsa = try pki.timeStampAuthority()
        let stamped = try await DocumentTimestamper(provider: tsa).timestamp(try VerificationSupport.base())
        let signed = try await pki.padesSigner(signer, tsa: tsa).sign(stamped, level: .bLT, request: SignatureRequest(metadata: metadata))
        let report = VerificationSupport.verify(signed, pki.options())
        let approval = try #require(report.signatures.first { $0.kind == .approval })
        #expect(approval.indication == .totalFailed, "\(describe(report))")
        #expect(approval.subIndication == .expired)
    }
}

@Suite("Hidden and removed content after signing")
struct HiddenChangesTests {
    @Test("PDF objects appended after the last %%EOF without a cross-reference section fail every signature")
    func objectsAfterEOF() async throws {
        let pki = try VerificationPKI()
        var signed = try await pki.padesSigner(try pki.signer()).sign(
            try VerificationSupport.base(), level: .bLTA, request: SignatureRequest(metadata: VerificationSupport.metadata))
        #expect(VerificationSupport.verify(signed, pki.options()).outcome == .passed)
        signed += Array("4 0 obj\n<< /Type /Page /Contents 99 0 R >>\nendobj\n99 0 obj\n<< /Length 20 >>\nstream\nBT (VOID) Tj ET\nendstream\nendobj\n".utf8)
        let report = VerificationSupport.verify(signed, pki.options())
        #expect(report.outcome == .failed, "\(ValidationReportFormatter.text(report))")
        for signature in report.signatures {
            #expect(signature.subIndication == .formatFailure)
            #expect(signature.reasons.contains { $0.contains("after the last %%EOF") })
        }

        // Trailing bytes without PDF syntax are no signature's either: not passed
        // (DamagedFileVerdictTests covers them, and harmless padding, in full).
        var padded = try await pki.padesSigner(try pki.signer()).sign(
            try VerificationSupport.base(), level: .bLTA, request: SignatureRequest(metadata: VerificationSupport.metadata))
        padded += Array("-- end of transmission --\n".utf8)
        let trailing = VerificationSupport.verify(padded, pki.options())
        #expect(trailing.outcome == .failed, "\(ValidationReportFormatter.text(trailing))")
        #expect(trailing.signatures.allSatisfy { $0.subIndication == .formatFailure })
    }

    @Test("A signature removed from the form by a later update is still reported, and fails")
    func removedSignatureField() async throws {
        let pki = try VerificationPKI()
        let signed = try await pki.padesSigner(try pki.signer()).sign(
            try VerificationSupport.base(), level: .bB, request: SignatureRequest(fieldName: "merchant", metadata: VerificationSupport.metadata))
        let document = try PDFDocument(bytes: signed)
        let view = document.current
        let form = try #require(try view.acroForm())
        var dictionary = form.dictionary
        dictionary[PDFName("Fields")] = .array([])
        var update = try PDFIncrementalUpdate(document: document)
        if let reference = form.reference {
            try update.set(.dictionary(dictionary), for: reference)
        } else {
            var catalog = try view.catalog()
            catalog.dictionary[PDFName("AcroForm")] = .dictionary(dictionary)
            try update.set(.dictionary(catalog.dictionary), for: catalog.reference)
        }
        let stripped = try update.write().bytes
        let report = VerificationSupport.verify(stripped, pki.options(requireRevocationData: false))
        #expect(report.outcome == .failed, "\(ValidationReportFormatter.text(report))")
        let signature = try #require(report.signatures.first)
        #expect(signature.fieldName == "merchant")
        #expect(signature.inFinalForm == false)
        #expect(signature.modifications.verdict == .disallowed)
        #expect(signature.warnings.contains { $0.contains("no longer points at this signature") })
    }
}
