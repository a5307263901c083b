import Foundation
import SignetTestSupport
import Testing

@Suite("signet demo (the main job)")
struct DemoCommandTests {
    @Test("Renders and signs every sample to B-LTA; pyHanko validates each offline; a second run reuses the PKI")
    func rendersAndSigns() throws {
        let dir = try TemporaryDirectory("signet-demo")
        let signet = try RepositoryPaths.signetExecutable().path
        let arguments = ["demo", "--out", "out", "--keys", "keys", "--templates", RepositoryPaths.templates.path]
        let first = try ExternalTool.run(signet, arguments, currentDirectory: dir.url)
        #expect(first.status == 0, "\(first.combinedOutput)")
        let lines = first.output.split(separator: "\n")
        #expect(lines.count == 6, "three rendered and three signed contracts: \(first.output)")
        let check = try ExternalTool.run("sha256sum", ["-c", "-"], input: first.stdout, currentDirectory: dir.url)
        #expect(check.status == 0, "\(check.combinedOutput)")
        #expect(first.errorOutput.contains("created a development PKI"))

        let root = dir.file("keys/root-ca.cert.pem").path
        let signed = lines.map { String($0.split(separator: " ").last!) }.filter { $0.hasSuffix(".signed.pdf") }
        #expect(signed.count == 3)
        for file in signed {
            let ades = try ExternalTool.run("pyhanko", ["sign", "adesverify", "--trust", root, "--trust-replace", file], currentDirectory: dir.url)
            let verdicts = PyHanko.parse(ades.output)
            #expect(verdicts.map(\.fieldName) == ["merchant", "platform"], "\(file): \(ades.combinedOutput)")
            #expect(verdicts.allSatisfy { $0.isIntactAndTrusted && $0.has("TIMESTAMP_TOKEN<INTACT:TRUSTED>") }, "\(file): \(ades.combinedOutput)")
        }

        let rootBefore = try Data(contentsOf: dir.file("keys/root-ca.cert.pem"))
        let second = try ExternalTool.run(signet, arguments, currentDirectory: dir.url)
        #expect(second.status == 0, "\(second.combinedOutput)")
        #expect(!second.errorOutput.contains("created a development PKI") && !second.errorOutput.contains("issued a development seal"))
        #expect(try Data(contentsOf: dir.file("keys/root-ca.cert.pem")) == rootBefore)
        // Rendering is deterministic across runs; signatures (fresh keys, times) are not.
        #expect(second.output.split(separator: "\n").filter { !$0.hasSuffix(".signed.pdf") }
            == lines.filter { !$0.hasSuffix(".signed.pdf") })
    }
}
