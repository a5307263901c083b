import Foundation
@testable import SignetArchive
import SignetCrypto
import SignetPKI
import SignetServiceTestSupport
import SignetTemplates
import SignetTestSupport
import Testing

/// An archive of completed contracts verifies, and each kind of tampering fails with a
/// named check and a clear reason.
@Suite struct ArchiveVerifierTests {
    /// The failed checks as `check` (archive) or `contract/check` names.
    static func failedChecks(_ report: ArchiveVerificationReport) -> Set<String> {
        Set(report.checks.filter { !$0.passed }.map(\.name)
            + report.contracts.flatMap { contract in contract.checks.filter { !$0.passed }.map { "contract/\($0.name)" } })
    }

    @Test func sealedArchivePasses() async throws {
        let fixture = try await ArchiveFixture.shared.value
        let report = await fixture.verify(fixture.archive)
        #expect(report.outcome == .passed, "\(report.failures)")
        #expect(report.contracts.count == 4)
        #expect(Set(report.checks.map(\.name)).isSuperset(of: ["mimetype", "entries", "manifest", "signature", "timestamp", "files-listed", "digests", "sums"]))
        #expect(report.contracts.allSatisfy {
            $0.checks.map(\.name) == ["files", "digests", "fields", "signed-pdf", "signed-prefix", "audit-chain", "re-render"]
        })
        let locales = Set(fixture.contracts.map(\.record.locale))
        #expect(locales.isSuperset(of: ["zh-CN", "en"]))
        #expect(Set(fixture.contracts.map(\.record.merchantID)).count == 2)
    }

    @Test func manifestRoundTripIsStrict() throws {
        let manifest = ASiCManifest(references: [
            .init(uri: "contracts/ctr_1/signed.pdf", mimeType: "application/pdf", sha256: DigestAlgorithm.sha256.hash([1, 2, 3])),
        ])
        #expect(try ASiCManifest.parse(manifest.xml()) == manifest)
        var spaced = manifest.xml()
        spaced.insert(UInt8(ascii: " "), at: spaced.count - 2)
        #expect(throws: ArchiveError.self) { try ASiCManifest.parse(spaced) }
        let unsafe = ASiCManifest(references: [.init(uri: "../etc/passwd", mimeType: "application/pdf", sha256: [UInt8](repeating: 0, count: 32))])
        #expect(throws: ArchiveError.self) { try ASiCManifest.parse(unsafe.xml()) }
    }

    /// A changed byte in a PDF, a JSON file and a template file: each fails its digest.
    @Test(arguments: ["signed.pdf", "fields.json", "template/body.txt"])
    func changedByteIsDetected(file: String) async throws {
        let fixture = try await ArchiveFixture.shared.value
        let id = fixture.contracts[0].record.contractID
        let target = ArchiveLayout.contractFolder(id) + file
        let tampered = fixture.directory.file("changed-\(file.replacingOccurrences(of: "/", with: "-")).asice")
        var changed = false
        try ArchiveRewriter.rewrite(fixture.archive, to: tampered) { path, bytes in
            guard path == target else { return [(path, bytes)] }
            var edited = bytes
            edited[edited.count / 2] ^= 0x01
            changed = true
            return [(path, edited)]
        }
        #expect(changed)
        let report = await fixture.verify(tampered)
        #expect(report.outcome == .failed)
        let digests = try #require(report.contracts.first { $0.contractID == id }?.checks.first { $0.name == "digests" })
        #expect(!digests.passed && digests.detail.contains("\(file) does not match its manifest SHA-256"), "\(digests.detail)")
    }

    @Test func removedFileIsDetected() async throws {
        let fixture = try await ArchiveFixture.shared.value
        let id = fixture.contracts[1].record.contractID
        let tampered = fixture.directory.file("removed.asice")
        try ArchiveRewriter.rewrite(fixture.archive, to: tampered) { path, bytes in
            path == ArchiveLayout.contractFolder(id) + "evidence.pdf" ? [] : [(path, bytes)]
        }
        let report = await fixture.verify(tampered)
        #expect(report.outcome == .failed)
        let listed = try #require(report.checks.first { $0.name == "files-listed" })
        #expect(!listed.passed && listed.detail.contains("(removed): contracts/\(id)/evidence.pdf"), "\(listed.detail)")
        #expect(Self.failedChecks(report).contains("contract/files"))
    }

    @Test func addedFileIsDetected() async throws {
        let fixture = try await ArchiveFixture.shared.value
        let id = fixture.contracts[0].record.contractID
        let tampered = fixture.directory.file("added.asice")
        try ArchiveRewriter.rewrite(fixture.archive, to: tampered) { path, bytes in
            path == ArchiveLayout.readmePath ? [(path, bytes), (ArchiveLayout.contractFolder(id) + "note.txt", Array("later".utf8))] : [(path, bytes)]
        }
        let report = await fixture.verify(tampered)
        #expect(report.outcome == .failed)
        let listed = try #require(report.checks.first { $0.name == "files-listed" })
        #expect(!listed.passed && listed.detail.contains("(added): contracts/\(id)/note.txt"), "\(listed.detail)")
    }

    /// The attacker edits a file and recomputes SHA256SUMS and the manifest but cannot sign.
    @Test func relistedManifestFailsTheSignature() async throws {
        let fixture = try await ArchiveFixture.shared.value
        let id = fixture.contracts[0].record.contractID
        let tampered = fixture.directory.file("relisted.asice")
        try ArchiveRewriter.rewrite(fixture.archive, to: tampered) { path, bytes in
            guard path == ArchiveLayout.contractFolder(id) + "audit-trail.json" else { return [(path, bytes)] }
            var trail = try ArchiveJSON.decode(ArchivedAuditTrail.self, from: bytes)
            trail.events.swapAt(0, 1)
            return [(path, try ArchiveJSON.encode(trail))]
        }
        try ArchiveRewriter.relist(tampered)
        let report = await fixture.verify(tampered)
        #expect(report.outcome == .failed)
        let failed = Self.failedChecks(report)
        #expect(failed.contains("signature"), "\(report.failures)")
        #expect(!failed.contains("sums") && !failed.contains("contract/digests"))
        #expect(failed.contains("contract/audit-chain"))
        #expect(report.checks.first { $0.name == "signature" }?.detail.contains("does not cover META-INF/ASiCManifest.xml") == true)
    }

    /// Reordered or edited events in an archive re-sealed by the real seal: the chain check
    /// alone fails.
    @Test(arguments: ["reordered", "edited"])
    func auditChainTamperingIsDetected(kind: String) async throws {
        let fixture = try await ArchiveFixture.shared.value
        var contracts = fixture.contracts
        if kind == "reordered" {
            contracts[2].auditTrail.events.swapAt(1, 2)
        } else {
            contracts[2].auditTrail.events[1].ip = "198.51.100.7"
        }
        let tampered = fixture.directory.file("audit-\(kind).asice")
        try await ArchiveFixture.write(contracts, seal: fixture.seal, to: tampered)
        let report = await fixture.verify(tampered)
        #expect(report.outcome == .failed)
        #expect(Self.failedChecks(report) == ["contract/audit-chain"], "\(report.failures)")
        let detail = report.contracts[2].checks.first { $0.name == "audit-chain" }?.detail ?? ""
        #expect(detail.contains(kind == "reordered" ? "out of order" : "edited"), "\(detail)")
    }

    /// fields.json's fill changed and everything re-sealed by the real seal: only the
    /// re-render shows that the original was not made from these fields.
    @Test func reRenderFromChangedFieldsIsDetected() async throws {
        let fixture = try await ArchiveFixture.shared.value
        var contracts = fixture.contracts
        let key = try #require(contracts[0].record.fill.keys.sorted().first { contracts[0].record.fill[$0].flatMap { if case .string = $0 { true } else { false } } == true })
        contracts[0].record.fill[key] = .string("篡改")
        let tampered = fixture.directory.file("rerender.asice")
        try await ArchiveFixture.write(contracts, seal: fixture.seal, to: tampered)
        let report = await fixture.verify(tampered)
        #expect(report.outcome == .failed)
        #expect(Self.failedChecks(report) == ["contract/re-render"], "\(report.failures)")
        let detail = report.contracts[0].checks.first { $0.name == "re-render" }?.detail ?? ""
        #expect(detail.contains("fill") || detail.contains("field"), "\(detail)")
    }

    @Test func manifestSignedByAnotherKeyIsDetected() async throws {
        let fixture = try await ArchiveFixture.shared.value
        let other = try TemporaryDirectory()
        let keys = try KeyDirectory.create(at: other.file("keys").path, options: KeyDirectory.CreationOptions())
        let seal = try ArchiveFixture.platformSeal(keys, timestamps: try keys.makeTimeStampAuthority())
        let foreign = fixture.directory.file("foreign.asice")
        try await ArchiveFixture.write(fixture.contracts, seal: seal, to: foreign)
        let report = await fixture.verify(foreign)
        #expect(report.outcome == .failed)
        #expect(Self.failedChecks(report) == ["signature", "timestamp"], "\(report.failures)")
        // Trusting the other root instead fails every contract's PDF signatures.
        let otherReport = await ArchiveVerifier(trustRoots: [keys.root]).verify(archiveAt: foreign)
        #expect(otherReport.outcome == .failed && Self.failedChecks(otherReport) == ["contract/signed-pdf"], "\(otherReport.failures)")
    }

    @Test func notAZipIsUnreadable() async throws {
        let fixture = try await ArchiveFixture.shared.value
        let file = fixture.directory.file("not-a-zip.asice")
        try Data("%PDF-1.7 not an archive".utf8).write(to: file)
        let report = await fixture.verify(file)
        #expect(report.outcome == .unreadable && report.exitStatus == 4)
        #expect(report.checks.first?.detail.contains("not a ZIP") == true)
    }

    @Test func zipWithoutMimetypeFirstIsUnreadable() async throws {
        let fixture = try await ArchiveFixture.shared.value
        let file = fixture.directory.file("mimetype-last.asice")
        var entries = try ArchiveRewriter.entries(of: fixture.archive)
        entries.append(entries.removeFirst())
        try ArchiveRewriter.write(entries, to: file)
        let report = await fixture.verify(file)
        #expect(report.outcome == .unreadable && report.exitStatus == 4)
        #expect(report.checks.first { $0.name == "mimetype" }?.detail.contains("the first entry is not mimetype") == true, "\(report.failures)")
    }

    @Test func unsafeEntryNamesFailWithoutCrashing() async throws {
        let fixture = try await ArchiveFixture.shared.value
        let file = fixture.directory.file("zip-slip.asice")
        try ArchiveRewriter.rewrite(fixture.archive, to: file) { path, bytes in
            path == ArchiveLayout.readmePath ? [(path, bytes), ("../../evil.txt", [1]), ("/etc/evil", [2]), (path, bytes)] : [(path, bytes)]
        }
        let report = await fixture.verify(file)
        #expect(report.outcome == .failed)
        let entries = try #require(report.checks.first { $0.name == "entries" })
        #expect(!entries.passed && entries.detail.contains("../../evil.txt") && entries.detail.contains("occurs twice"), "\(entries.detail)")
    }

    @Test func failedWriteLeavesNoFile() async throws {
        let fixture = try await ArchiveFixture.shared.value
        let directory = try TemporaryDirectory()
        let destination = directory.file("out.asice")
        let writer = try ArchiveWriter(destination: destination, seal: fixture.seal, generator: "tests")
        try writer.add(fixture.contracts[0])
        #expect(throws: ArchiveError.self) { try writer.add(fixture.contracts[0]) }
        writer.abandon()
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path).isEmpty)
        do {
            let dropped = try ArchiveWriter(destination: destination, seal: fixture.seal, generator: "tests")
            try dropped.add(fixture.contracts[1])
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path).isEmpty)
    }
}
