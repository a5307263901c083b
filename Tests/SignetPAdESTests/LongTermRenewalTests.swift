import Foundation
import SignetCrypto
import SignetPAdES
import SignetPDF
import SignetTestSupport
import Testing
import SignetService
import SignetPKI

/// PAdES B-LTA renewal (issue 12, §5): a contract whose first TSA certificate lives only a
/// few days, renewed twice with a long-lived TSA, still passes with Signet and pyHanko's
/// AdES engine when judged after that certificate expired; the un-renewed file does not.
@Suite("Long-term renewal (B-LTA extension)")
struct LongTermRenewalTests {
    static let day: TimeInterval = 86_400

    /// A B-LTA contract sealed with the development PKI (OCSP and CRLs, as Signet issues
    /// them), whose signature and document timestamps come from a TSA whose certificate
    /// ends 3 days from now, and a renewal with the PKI's own 5-year TSA.
    struct Setup {
        let published: PublishedKeyDirectory
        let now = Date()
        let contract: [UInt8]
        let renewal: LongTermRenewal

        init() async throws {
            published = try PublishedKeyDirectory()
            let keys = published.keys
            let shortLived = try keys.timeStampAuthority(named: "Short-lived TSA", until: now.addingTimeInterval(3 * LongTermRenewalTests.day))
            let revocation = KeyDirectoryRevocationSource(keys: keys)
            let seal = PAdESSigner(cms: try CMSSigner(key: keys.seal.privateKey, certificate: keys.seal.certificate, chain: keys.seal.chain),
                                   timestampProvider: shortLived, revocationSource: revocation)
            contract = try await seal.sign(try VerificationSupport.base(), level: .bLTA, request: SignatureRequest(fieldName: "platform"))
            renewal = LongTermRenewal(timestampProvider: try keys.makeTimeStampAuthority(), revocationSource: revocation,
                                      validation: ValidationOptions(trustAnchors: [keys.root]))
        }

        /// The size of the unsigned base document.
        static var baseSize: Int { (try? VerificationSupport.base().count) ?? 0 }

        var rootFile: URL { published.rootFile }
        /// The common name of the renewal TSA's certificate.
        var renewalTSA: String? { published.keys.timeStamping.certificate.subject.commonName }

        /// Options trusting the PKI's root, judged at `time` (default now).
        func options(at time: Date? = nil) -> ValidationOptions {
            ValidationOptions(trustAnchors: [published.keys.root], validationTime: time.map { .fixed($0) } ?? .current)
        }
    }

    @Test("Renewed twice: passes with Signet (library and signet verify --at) and pyHanko's AdES engine after the first TSA certificate expired; the original does not")
    func renewedTwiceOutlivesTheFirstTSA() async throws {
        let setup = try await Setup()
        let once = try await setup.renewal.extend(setup.contract)
        let twice = try await setup.renewal.extend(once.pdf)
        #expect(Array(twice.pdf.prefix(setup.contract.count)) == setup.contract && Array(twice.pdf.prefix(once.pdf.count)) == once.pdf)
        #expect(once.addedValidationData && twice.addedValidationData)
        #expect(once.previous?.tsa.commonName == "Short-lived TSA" && once.added?.tsa.commonName == setup.renewalTSA)
        #expect(try #require(once.added?.expiry) > setup.now.addingTimeInterval(1000 * Self.day))

        // Two days after the short-lived TSA certificate ended, while the CRLs in the file
        // (7 days) are still current: pyHanko checks the newest timestamp's TSA at the
        // validation time with current revocation data (offline here, so from the file).
        let later = setup.now.addingTimeInterval(5 * Self.day)
        let renewed = VerificationSupport.verify(twice.pdf, setup.options(at: later))
        #expect(renewed.outcome == .passed, "\(ValidationReportFormatter.text(renewed))")
        #expect(renewed.signatures.map(\.kind) == [.approval, .documentTimestamp, .documentTimestamp, .documentTimestamp])
        let original = VerificationSupport.verify(setup.contract, setup.options(at: later))
        #expect(original.outcome == .indeterminate, "\(ValidationReportFormatter.text(original))")

        let dir = try TemporaryDirectory()
        try Data(twice.pdf).write(to: dir.file("renewed.pdf"))
        try Data(setup.contract).write(to: dir.file("original.pdf"))
        let at = ISO8601DateFormatter().string(from: later)
        let signet = try RepositoryPaths.signetExecutable().path
        let cliRenewed = try ExternalTool.run(signet, ["verify", dir.file("renewed.pdf").path, "--trust", setup.rootFile.path, "--at", at])
        #expect(cliRenewed.status == 0, "\(cliRenewed.combinedOutput)")
        let cliOriginal = try ExternalTool.run(signet, ["verify", dir.file("original.pdf").path, "--trust", setup.rootFile.path, "--at", at])
        #expect(cliOriginal.status == 2, "\(cliOriginal.combinedOutput)")

        let judge = SignatureJudge(published: setup.published)
        try judge.judgeAdES(twice.pdf, approvals: ["platform"], at: later)
        let adesOriginal = try PyHankoAdES.validate(dir.file("original.pdf"), trusting: [setup.rootFile], at: later)
        #expect(adesOriginal.verdicts.count == 1 && !adesOriginal.verdicts.contains { $0.indication == "TOTAL_PASSED" },
                "\(adesOriginal.raw.combinedOutput)")
        // The original passes today, so the difference is the renewal, not the setup.
        try judge.judgeAdES(setup.contract, approvals: ["platform"])
        // The OCSP responses' responder certificate is in the DSS: pyHanko needs proof it
        // existed to rely on them after the short-lived TSA certificate ended.
        let certificates = try DSSAddOnlyTests.dss(twice.pdf).dss[PDFName("Certs")]?.arrayValue ?? []
        let document = try PDFDocument(bytes: twice.pdf)
        let ders = try certificates.compactMap { item -> [UInt8]? in
            guard case .stream(let stream) = try document.current.resolve(item) else { return nil }
            return try document.decodedData(of: stream)
        }
        #expect(ders.contains(setup.published.keys.ocspResponder.certificate.der))
    }

    @Test("Scheduled renewal extends only contracts whose newest timestamp's TSA certificate expires within the window, and never a broken one")
    func renewDueExtendsOnlyWhatIsDue() async throws {
        let setup = try await Setup()
        let renewedLongAgo = try await setup.renewal.extend(setup.contract).pdf
        var tampered = setup.contract
        tampered[Setup.baseSize / 2] ^= 0x01  // inside the original document, signed by everything
        let outcomes = await setup.renewal.renewDue(
            [(id: "due", pdf: setup.contract), (id: "fresh", pdf: renewedLongAgo), (id: "tampered", pdf: tampered)], withinDays: 30)
        #expect(outcomes.map(\.id) == ["due", "fresh", "tampered"])
        guard outcomes.count == 3 else { return }
        guard case .extended(let extended) = outcomes[0].outcome else {
            Issue.record("the contract whose TSA certificate ends in 3 days must be extended: \(outcomes[0].outcome)")
            return
        }
        #expect(extended.previous?.tsa.commonName == "Short-lived TSA" && extended.added?.tsa.commonName == setup.renewalTSA)
        #expect(VerificationSupport.verify(extended.pdf, setup.options()).outcome == .passed)
        guard case .notDue(let newest) = outcomes[1].outcome else {
            Issue.record("a contract renewed with the 5-year TSA is not due: \(outcomes[1].outcome)")
            return
        }
        #expect(newest.tsa.commonName == setup.renewalTSA && newest.isDocumentTimestamp)
        guard case .failed(.doesNotVerify(stage: .input, outcome: let outcome, details: _)) = outcomes[2].outcome else {
            Issue.record("a tampered contract must be refused: \(outcomes[2].outcome)")
            return
        }
        #expect(outcome == "failed")
        // With a window shorter than 3 days, nothing is due.
        let none = await setup.renewal.renewDue([(id: "due", pdf: setup.contract)], withinDays: 1)
        if case .notDue = none.first?.outcome {} else { Issue.record("not due within 1 day: \(String(describing: none.first?.outcome))") }
    }

    @Test("A file that does not verify now is refused: tampered, untrusted, or its timestamp already lapsed")
    func refusesWhatDoesNotVerify() async throws {
        let setup = try await Setup()
        var tampered = setup.contract
        tampered[Setup.baseSize / 2] ^= 0x01  // inside the original document, signed by everything
        await #expect(throws: LongTermRenewalError.self) { _ = try await setup.renewal.extend(tampered) }

        let stranger = try VerificationPKI(name: "Someone Else")
        let untrusting = LongTermRenewal(timestampProvider: setup.renewal.timestampProvider, revocationSource: setup.renewal.revocationSource,
                                         validation: stranger.options())
        do {
            _ = try await untrusting.extend(setup.contract)
            Issue.record("a contract that does not chain to the anchors must be refused")
        } catch {
            guard case .doesNotVerify(.input, "indeterminate", _) = error else { Issue.record("\(error)"); return }
        }
        // A week after the short-lived TSA certificate ended, it is too late to renew.
        var late = setup.options()
        late.clock = { setup.now.addingTimeInterval(7 * Self.day) }
        let tooLate = LongTermRenewal(timestampProvider: setup.renewal.timestampProvider, revocationSource: setup.renewal.revocationSource, validation: late)
        await #expect(throws: LongTermRenewalError.self) { _ = try await tooLate.extend(setup.contract) }
    }
}
