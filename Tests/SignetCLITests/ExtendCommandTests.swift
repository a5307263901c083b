import Foundation
import SignetTestSupport
import Testing

@Suite("signet extend")
struct ExtendCommandTests {
    private func signet(_ arguments: [String], in dir: TemporaryDirectory) throws -> ToolResult {
        try ExternalTool.run(try RepositoryPaths.signetExecutable().path, arguments, currentDirectory: dir.url)
    }

    /// A development PKI in `dir` and `signed.pdf`, sealed at B-LTA.
    private func prepare(_ dir: TemporaryDirectory) throws {
        let keys = try signet(["keys", "init"], in: dir)
        try #require(keys.status == 0, "\(keys.combinedOutput)")
        let contract = RepositoryPaths.fixtures.appendingPathComponent("pdf/cairo-pango.pdf").path
        let signed = try signet(["sign", contract, "signed.pdf", "--key", "keys/seal.key.pem", "--cert", "keys/seal.cert.pem",
                                 "--chain", "keys/chain.pem", "--level", "B-LTA", "--field", "platform"], in: dir)
        try #require(signed.status == 0, "\(signed.combinedOutput)")
    }

    /// `signet verify --format json` of `file`: the outcome and the kinds of its signatures.
    private func verify(_ file: String, in dir: TemporaryDirectory) throws -> (outcome: String?, kinds: [String]) {
        let result = try signet(["verify", file, "--trust", "keys/root-ca.cert.pem", "--format", "json"], in: dir)
        let report = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any], "\(result.combinedOutput)")
        let kinds = (report["signatures"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String }
        return (report["outcome"] as? String, kinds)
    }

    @Test("Extends a B-LTA contract twice: each run appends validation data and a document timestamp; Signet and pyHanko's AdES engine pass it")
    func extendsTwice() throws {
        let dir = try TemporaryDirectory()
        try prepare(dir)
        let once = try signet(["extend", "signed.pdf", "once.pdf", "--keys", "keys"], in: dir)
        #expect(once.status == 0 && once.output.contains("extended once.pdf: validation data and a document timestamp"), "\(once.combinedOutput)")
        #expect(once.output.contains("renew before"), "\(once.combinedOutput)")
        let twice = try signet(["extend", "once.pdf", "twice.pdf", "--trust", "keys/root-ca.cert.pem"], in: dir)
        #expect(twice.status == 0, "\(twice.combinedOutput)")

        let signed = try Data(contentsOf: dir.file("signed.pdf")), extended = try Data(contentsOf: dir.file("twice.pdf"))
        #expect(extended.prefix(signed.count) == signed, "the input's bytes stay a prefix")
        let report = try verify("twice.pdf", in: dir)
        #expect(report.outcome == "passed" && report.kinds == ["approval", "documentTimestamp", "documentTimestamp", "documentTimestamp"],
                "\(report)")
        #expect(try QPDF.check(dir.file("twice.pdf")).passed)
        let ades = try PyHankoAdES.validate(dir.file("twice.pdf"), trusting: [dir.file("keys/root-ca.cert.pem")])
        #expect(ades.verdicts.map(\.field) == ["platform"], "\(ades.raw.combinedOutput)")
        #expect(ades.verdicts.allSatisfy { $0.passes && $0.bottomLine && $0.modificationLevel == "LTA_UPDATES" }, "\(ades.verdicts)")
    }

    @Test("--tsa URL: the new document timestamp comes from an external TSA")
    func externalTSA() throws {
        let dir = try TemporaryDirectory()
        try prepare(dir)
        let server = try ExternalTSAFixture.start(in: dir)
        defer { server.stop() }
        let result = try signet(["extend", "signed.pdf", "out.pdf", "--tsa", server.url("ok")], in: dir)
        #expect(result.status == 0, "\(result.combinedOutput)")
        #expect(try verify("out.pdf", in: dir).outcome == "passed")
        let refused = try signet(["extend", "signed.pdf", "bad.pdf", "--tsa", server.url("http-500")], in: dir)
        #expect(refused.status == 1 && refused.errorOutput.contains("HTTP 500"), "\(refused.combinedOutput)")
        #expect(!FileManager.default.fileExists(atPath: dir.file("bad.pdf").path), "a failed extension writes nothing")
    }

    @Test("Refuses, exits non-zero and writes nothing: a tampered file, an untrusted one, a file without signature; usage errors exit 64")
    func refusals() throws {
        let dir = try TemporaryDirectory()
        try prepare(dir)
        var tampered = try Data(contentsOf: dir.file("signed.pdf"))
        tampered[400] ^= 0x01  // inside the original document, which every signature covers
        try tampered.write(to: dir.file("tampered.pdf"))
        let broken = try signet(["extend", "tampered.pdf", "out.pdf"], in: dir)
        #expect(broken.status == 1 && broken.errorOutput.contains("does not verify"), "\(broken.combinedOutput)")

        let other = try TemporaryDirectory()
        let otherKeys = try signet(["keys", "init", "--org", "Someone Else"], in: other)
        try #require(otherKeys.status == 0)
        let untrusted = try signet(["extend", "signed.pdf", "out.pdf", "--trust", other.file("keys/root-ca.cert.pem").path], in: dir)
        #expect(untrusted.status == 1 && untrusted.errorOutput.contains("indeterminate"), "\(untrusted.combinedOutput)")

        let unsigned = RepositoryPaths.fixtures.appendingPathComponent("pdf/cairo-pango.pdf").path
        let nothing = try signet(["extend", unsigned, "out.pdf"], in: dir)
        #expect(nothing.status == 1 && nothing.errorOutput.contains("noSignature"), "\(nothing.combinedOutput)")
        #expect(!FileManager.default.fileExists(atPath: dir.file("out.pdf").path), "nothing may be written")

        try Data("keep me".utf8).write(to: dir.file("existing.pdf"))
        let exists = try signet(["extend", "signed.pdf", "existing.pdf"], in: dir)
        #expect(exists.status == 1 && exists.errorOutput.contains("--force"), "\(exists.combinedOutput)")
        #expect(try String(contentsOf: dir.file("existing.pdf"), encoding: .utf8) == "keep me")

        let noKeys = try signet(["extend", "signed.pdf", "out.pdf", "--keys", "nowhere"], in: dir)
        #expect(noKeys.status == 1 && noKeys.errorOutput.contains("nowhere/ not found"), "\(noKeys.combinedOutput)")
        #expect(try signet(["extend", "signed.pdf", "signed.pdf"], in: dir).status == 64)
        #expect(try signet(["extend", "signed.pdf", "out.pdf", "--tsa", "ftp://example"], in: dir).status == 64)
    }
}
