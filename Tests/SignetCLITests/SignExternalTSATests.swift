import Foundation
import SignetTestSupport
import Testing

@Suite("signet sign --tsa URL (an external TSA: openssl ts -reply over HTTP)")
struct SignExternalTSATests {
    private func signet(_ arguments: [String], in dir: TemporaryDirectory) throws -> ToolResult {
        try ExternalTool.run(try RepositoryPaths.signetExecutable().path, arguments, currentDirectory: dir.url)
    }

    /// `Tests/Fixtures/tsa/tsa-server.py` over the TSA certificate of `signet keys init` in `dir`.
    private func startTSA(in dir: TemporaryDirectory) throws -> LocalHTTPFileServer {
        try ExternalTSAFixture.start(in: dir)
    }

    @Test("B-T with a token from an external TSA; an unreachable or misbehaving TSA fails closed and writes nothing")
    func signsWithExternalTSA() throws {
        let dir = try TemporaryDirectory()
        let keys = try signet(["keys", "init"], in: dir)
        try #require(keys.status == 0, "\(keys.combinedOutput)")
        let server = try startTSA(in: dir)
        defer { server.stop() }
        let contract = RepositoryPaths.fixtures.appendingPathComponent("pdf/cairo-pango.pdf").path
        let base = ["--key", "keys/seal.key.pem", "--cert", "keys/seal.cert.pem", "--chain", "keys/chain.pem", "--level", "B-T"]

        let signed = try signet(["sign", contract, "signed.pdf", "--tsa", server.url("ok")] + base, in: dir)
        #expect(signed.status == 0, "\(signed.combinedOutput)")
        let verify = try signet(["verify", "signed.pdf", "--trust", "keys/root-ca.cert.pem", "--no-revocation-check",
                                 "--format", "json"], in: dir)
        let report = try #require(try JSONSerialization.jsonObject(with: verify.stdout) as? [String: Any], "\(verify.combinedOutput)")
        #expect(report["outcome"] as? String == "passed", "\(verify.combinedOutput)")
        let signature = try #require((report["signatures"] as? [[String: Any]])?.first)
        #expect(signature["level"] as? String == "PAdES-B-T")
        let timestamps = signature["timestamps"] as? [[String: Any]] ?? []
        #expect(timestamps.map { $0["status"] as? String } == ["valid"], "\(verify.combinedOutput)")
        #expect(timestamps.first?["policy"] as? String == "1.3.6.1.4.1.99999.2.1")

        let failures: [(tsa: String, message: String)] = [
            ("http://127.0.0.1:1/ok", "the TSA could not be reached"),
            (server.url("garbage"), "malformed timestamp data"),
            (server.url("http-500"), "the TSA answered HTTP 500"),
            (server.url("wrong-nonce"), "nonce"),
        ]
        for (tsa, message) in failures {
            let result = try signet(["sign", contract, "out.pdf", "--tsa", tsa] + base, in: dir)
            #expect(result.status == 1 && result.errorOutput.contains(message), "\(tsa): \(result.combinedOutput)")
            #expect(!FileManager.default.fileExists(atPath: dir.file("out.pdf").path), "\(tsa): nothing may be written")
        }
    }
}
