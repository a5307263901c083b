import Foundation
import SignetArchive
import SignetTestSupport
import Testing

/// The archive checked by hand with the tools an auditor has (unzip, sha256sum, openssl,
/// python's XML parser), with the exact commands of README.txt, and through `signet
/// verify-archive`.
@Suite struct ArchiveOracleTests {
    @Test func mimetypeIsFirstAndStored() async throws {
        let fixture = try await ArchiveFixture.shared.value
        let listing = try ExternalTool.run("zipinfo", ["-v", fixture.archive.path])
        try #require(listing.status == 0, "\(listing.combinedOutput)")
        let first = try #require(listing.output.components(separatedBy: "Central directory entry #1:").dropFirst().first)
        #expect(first.contains("\n  mimetype\n"), "\(first.prefix(300))")
        #expect(first.contains("compression method:                             none (stored)"))
        #expect(first.contains("offset of local header from start of archive:   0\n"))
        #expect(first.contains("length of extra field:                          0 bytes"))
        let test = try ExternalTool.run("unzip", ["-tq", fixture.archive.path])
        #expect(test.status == 0, "\(test.combinedOutput)")
        // A third reader (ZIPStreamWriter wrote it, ZIPFoundation and Info-ZIP read it above).
        let python = try ExternalTool.run("python3", ["-c", """
            import sys, zipfile
            with zipfile.ZipFile(sys.argv[1]) as z:
                assert z.testzip() is None
                assert z.namelist()[0] == 'mimetype' and z.infolist()[0].compress_type == zipfile.ZIP_STORED
                print(len(z.namelist()))
            """, fixture.archive.path])
        #expect(python.status == 0, "\(python.combinedOutput)")
    }

    @Test func manualChecksOfReadmePass() async throws {
        let fixture = try await ArchiveFixture.shared.value
        let work = try TemporaryDirectory()
        // README.txt's steps: unzip, sha256sum -c, openssl cms -verify, openssl ts -verify.
        let checks = try ArchiveHandChecks.run(fixture.archive, root: fixture.rootPEM, in: work.url)
        #expect(checks.failures.isEmpty, "\(checks.failures)")
        let archive = checks.unpacked
        // The manifest is well-formed XML in the ETSI namespace, listing SHA256SUMS.
        let xml = try ExternalTool.run("python3", ["-c", """
            import xml.etree.ElementTree as ET, sys
            root = ET.parse('META-INF/ASiCManifest.xml').getroot()
            ns = {'asic': 'http://uri.etsi.org/02918/v1.2.1#', 'ds': 'http://www.w3.org/2000/09/xmldsig#'}
            assert root.tag == '{http://uri.etsi.org/02918/v1.2.1#}ASiCManifest', root.tag
            assert root.find('asic:SigReference', ns).get('URI') == 'META-INF/signature001.p7s'
            refs = root.findall('asic:DataObjectReference', ns)
            assert any(r.get('URI') == 'SHA256SUMS' for r in refs)
            assert all(r.find('ds:DigestMethod', ns).get('Algorithm') == 'http://www.w3.org/2001/04/xmlenc#sha256' for r in refs)
            print(len(refs))
            """], currentDirectory: archive)
        #expect(xml.status == 0, "\(xml.combinedOutput)")
        // The revocation data is in the SignedData: CRLs and OCSP responses (RFC 5940).
        let print = try ArchiveHandChecks.shell("openssl cms -cmsout -print -inform DER -in META-INF/signature001.p7s", in: archive)
        #expect(print.output.contains("id-ri-ocsp-response") || print.output.contains("1.3.6.1.5.5.7.16.2"), "\(print.output.prefix(2000))")
        #expect(print.output.contains("crls:"))
        // A signed PDF passes pdfsig.
        let id = fixture.contracts[1].record.contractID
        let pdfsig = try ExternalTool.run("pdfsig", ["contracts/\(id)/signed.pdf"], currentDirectory: archive)
        #expect(pdfsig.output.contains("Signature is Valid"), "\(pdfsig.combinedOutput)")
    }

    @Test func verifyArchiveCommand() async throws {
        let fixture = try await ArchiveFixture.shared.value
        let signet = try RepositoryPaths.signetExecutable().path
        let passed = try ExternalTool.run(signet, ["verify-archive", fixture.archive.path, "--trust", fixture.rootPEM.path])
        #expect(passed.status == 0, "\(passed.combinedOutput)")
        #expect(passed.output.contains("Result: PASSED (4 contract(s), 0 failed)"))
        let json = try ExternalTool.run(signet, ["verify-archive", fixture.archive.path, "--trust", fixture.rootPEM.path, "--format", "json"])
        #expect(json.status == 0)
        let object = try JSONSerialization.jsonObject(with: json.stdout) as? [String: Any]
        #expect(object?["outcome"] as? String == "passed")

        let tampered = fixture.directory.file("cli-tampered.asice")
        try ArchiveRewriter.rewrite(fixture.archive, to: tampered) { path, bytes in
            path.hasSuffix("/original.pdf") ? [(path, bytes + [0x0A])] : [(path, bytes)]
        }
        let failed = try ExternalTool.run(signet, ["verify-archive", tampered.path, "--trust", fixture.rootPEM.path])
        #expect(failed.status == 1 && failed.output.contains("[FAILED] digests: original.pdf does not match"), "\(failed.combinedOutput)")

        let notZip = fixture.directory.file("cli-not-zip.asice")
        try Data("hello".utf8).write(to: notZip)
        #expect(try ExternalTool.run(signet, ["verify-archive", notZip.path, "--trust", fixture.rootPEM.path]).status == 4)
        #expect(try ExternalTool.run(signet, ["verify-archive", fixture.archive.path]).status == 64)
        let help = try ExternalTool.run(signet, ["verify-archive", "--help"])
        #expect(help.output.contains("Exit status: 0 every check passed"))
    }
}
