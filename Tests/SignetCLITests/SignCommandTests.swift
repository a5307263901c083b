import Foundation
import SignetTestSupport
import Testing

@Suite("signet sign")
struct SignCommandTests {
    private func signet(_ arguments: [String], in dir: TemporaryDirectory) throws -> ToolResult {
        try ExternalTool.run(try RepositoryPaths.signetExecutable().path, arguments, currentDirectory: dir.url)
    }

    /// A development PKI and a rendered contract in `dir`.
    private func prepare(_ dir: TemporaryDirectory) throws {
        let keys = try signet(["keys", "init", "--org", "星河支付有限公司", "--credit-code", "91330106MA2KX7Q38P"], in: dir)
        try #require(keys.status == 0, "\(keys.combinedOutput)")
        let sample = try FileManager.default.contentsOfDirectory(
            at: RepositoryPaths.templates.appendingPathComponent("merchant-service-agreement"), includingPropertiesForKeys: nil)
            .filter { $0.hasDirectoryPath }.sorted { $0.path < $1.path }.last!.appendingPathComponent("sample.json")
        let render = try signet(["render", "--templates", RepositoryPaths.templates.path, "--template", "merchant-service-agreement",
                                 "--fields", sample.path, "--number", "CLI-0001", "--issued-at", "2026-11-01T10:00:00+08:00",
                                 "--out", "contract.pdf"], in: dir)
        try #require(render.status == 0, "\(render.combinedOutput)")
    }

    @Test("Signs at B-LTA with a visible seal; pyHanko validates the result offline from its DSS")
    func signsWithSeal() throws {
        let dir = try TemporaryDirectory()
        try prepare(dir)
        let result = try signet(["sign", "contract.pdf", "signed.pdf", "--key", "keys/seal.key.pem", "--cert", "keys/seal.cert.pem",
                                 "--chain", "keys/chain.pem", "--level", "B-LTA", "--field", "platform",
                                 "--page", "1", "--rect", "350,80,190,110", "--seal-text", "星河支付有限公司", "--reason", "Countersigned"], in: dir)
        #expect(result.status == 0, "\(result.combinedOutput)")
        #expect(result.output.contains("B-LTA"))
        let contract = try Data(contentsOf: dir.file("contract.pdf"))
        let signed = try Data(contentsOf: dir.file("signed.pdf"))
        #expect(signed.prefix(contract.count) == contract, "the input's bytes stay a prefix")
        #expect(try QPDF.check(dir.file("signed.pdf")).passed)
        let ades = try ExternalTool.run("pyhanko", ["sign", "adesverify", "--trust", dir.file("keys/root-ca.cert.pem").path,
                                                    "--trust-replace", dir.file("signed.pdf").path])
        let verdicts = PyHanko.parse(ades.output)
        #expect(verdicts.map(\.fieldName) == ["platform"], "\(ades.combinedOutput)")
        #expect(verdicts.allSatisfy { $0.isIntactAndTrusted && $0.has("TIMESTAMP_TOKEN<INTACT:TRUSTED>") }, "\(ades.combinedOutput)")
    }

    @Test("Errors are clear, exit non-zero and write nothing")
    func errorsWriteNothing() throws {
        let dir = try TemporaryDirectory()
        try prepare(dir)
        let base = ["--key", "keys/seal.key.pem", "--cert", "keys/seal.cert.pem", "--chain", "keys/chain.pem"]
        let missing = try signet(["sign", "nope.pdf", "out.pdf"] + base, in: dir)
        #expect(missing.status == 1 && missing.errorOutput.contains("nope.pdf"), "\(missing.combinedOutput)")

        try Data("not a pdf".utf8).write(to: dir.file("garbage.pdf"))
        let garbage = try signet(["sign", "garbage.pdf", "out.pdf"] + base, in: dir)
        #expect(garbage.status == 1 && garbage.errorOutput.contains("not a readable PDF"), "\(garbage.combinedOutput)")

        let qpdf = try ExternalTool.run("qpdf", ["--encrypt", "u", "o", "256", "--", dir.file("contract.pdf").path, dir.file("enc.pdf").path])
        try #require(qpdf.status == 0)
        let encrypted = try signet(["sign", "enc.pdf", "out.pdf"] + base, in: dir)
        #expect(encrypted.status == 1 && encrypted.errorOutput.contains("encrypted PDFs are not supported"), "\(encrypted.combinedOutput)")

        let badRect = try signet(["sign", "contract.pdf", "out.pdf", "--page", "1", "--rect", "1,2,3"] + base, in: dir)
        #expect(badRect.status == 64, "usage errors exit 64: \(badRect.combinedOutput)")
        let sameFile = try signet(["sign", "contract.pdf", "contract.pdf"] + base, in: dir)
        #expect(sameFile.status == 64, "\(sameFile.combinedOutput)")

        let wrongKey = try signet(["sign", "contract.pdf", "out.pdf", "--key", "keys/tsa.key.pem", "--cert", "keys/seal.cert.pem"], in: dir)
        #expect(wrongKey.status == 1 && wrongKey.errorOutput.contains("does not match"), "\(wrongKey.combinedOutput)")
        #expect(!FileManager.default.fileExists(atPath: dir.file("out.pdf").path), "a failed signing must not leave an output file")

        try Data("keep me".utf8).write(to: dir.file("existing.pdf"))
        let exists = try signet(["sign", "contract.pdf", "existing.pdf", "--level", "B-B"] + base, in: dir)
        #expect(exists.status == 1 && exists.errorOutput.contains("--force"), "\(exists.combinedOutput)")
        #expect(try String(contentsOf: dir.file("existing.pdf"), encoding: .utf8) == "keep me")
    }
}
