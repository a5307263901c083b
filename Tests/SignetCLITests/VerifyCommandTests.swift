import Foundation
import SignetTestSupport
import Testing

@Suite("signet verify")
struct VerifyCommandTests {
    private func signet(_ arguments: [String]) throws -> ToolResult {
        try ExternalTool.run(try RepositoryPaths.signetExecutable().path, ["verify"] + arguments)
    }

    private func corpus(_ path: String) -> String { RepositoryPaths.corpus.appendingPathComponent(path).path }

    private func json(_ result: ToolResult) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any], "\(result.combinedOutput)")
    }

    @Test("Exit status 0 when every signature passes; the JSON has the documented shape")
    func passed() throws {
        let result = try signet([corpus("pyhanko/pades-lta-dss-indirect-arrs-test.pdf"),
                                 "--trust", corpus("trust/pyhanko-testing-ca-root.cert.pem"), "--format", "json"])
        #expect(result.status == 0, "\(result.combinedOutput)")
        let report = try json(result)
        #expect(report["schemaVersion"] as? Int == 1)
        #expect(report["outcome"] as? String == "passed")
        #expect(report["indication"] as? String == "TOTAL_PASSED")
        for key in ["file", "policy", "validationTime", "signatures", "summary", "generator"] {
            #expect(report[key] != nil, "missing \(key)")
        }
        let file = try #require(report["file"] as? [String: Any])
        #expect(file["name"] as? String == "pades-lta-dss-indirect-arrs-test.pdf")
        #expect((file["sha256"] as? String)?.count == 64)
        let signatures = try #require(report["signatures"] as? [[String: Any]])
        #expect(signatures.count == 2)
        let first = signatures[0]
        for key in ["index", "kind", "fieldName", "subFilter", "claims", "coverage", "signer", "trust", "revocation", "timestamps",
                    "modifications", "level", "indication", "checks", "reasons", "warnings", "proofOfExistence"] {
            #expect(first[key] != nil, "signature lacks \(key)")
        }
        #expect(first["kind"] as? String == "approval")
        #expect(first["level"] as? String == "PAdES-B-LTA")
        #expect(signatures[1]["kind"] as? String == "documentTimestamp")
        let checks = try #require(first["checks"] as? [[String: Any]])
        #expect(checks.allSatisfy { $0["kind"] is String && $0["outcome"] is String && $0["message"] is String })
    }

    @Test("Exit status 1 when a signature fails, 2 when indeterminate, 3 without signature, 4 for an unreadable file")
    func exitStatuses() throws {
        let failed = try signet([corpus("dss/siwa.pdf"), "--trust", corpus("trust/siwa-selfsigned-mladenov.cert.pem"), "--format", "json"])
        #expect(failed.status == 1, "\(failed.combinedOutput)")
        #expect(try json(failed)["subIndication"] as? String == "FORMAT_FAILURE")

        let indeterminate = try signet([corpus("dss/pdf-signed-original.pdf")])
        #expect(indeterminate.status == 2, "\(indeterminate.combinedOutput)")
        #expect(indeterminate.output.contains("RESULT: INDETERMINATE"))
        #expect(indeterminate.output.contains("NO_CERTIFICATE_CHAIN_FOUND"))

        let unsigned = try signet([RepositoryPaths.fixtures.appendingPathComponent("pdf/cairo-pango.pdf").path])
        #expect(unsigned.status == 3, "\(unsigned.combinedOutput)")
        #expect(unsigned.output.contains("NO SIGNATURE"))

        let dir = try TemporaryDirectory()
        let garbage = dir.file("garbage.pdf")
        try Data("definitely not a PDF".utf8).write(to: garbage)
        let unreadable = try signet([garbage.path, "--format", "json"])
        #expect(unreadable.status == 4, "\(unreadable.combinedOutput)")
        #expect(try json(unreadable)["outcome"] as? String == "unreadable")
        #expect(try json(unreadable)["indication"] as? String == "TOTAL_FAILED")
        #expect((try json(unreadable)["file"] as? [String: Any])?["structureProblemCode"] as? String == "pdf.missing_header")

        let missing = try signet([dir.file("missing.pdf").path])
        #expect(missing.status == 4)
        #expect(missing.errorOutput.contains("cannot read"))

        let corrupted = try signet([corpus("dss/pdf-signed-corrupted.pdf")])
        #expect(corrupted.status == 1, "a broken structure with a signature in it fails, it is not 'unreadable'")
        #expect(corrupted.output.contains("HASH_FAILURE"))
    }

    @Test("Unsigned, cut short and appended-to files: the JSON always has indication and subIndication, exit 3, 1 or 4")
    func damagedAndUnsigned() throws {
        for name in ["ghostscript.pdf", "libreoffice-writer.pdf", "cairo-pango.pdf"] {
            let result = try signet([RepositoryPaths.fixtures.appendingPathComponent("pdf/\(name)").path, "--format", "json"])
            #expect(result.status == 3, "\(name): \(result.combinedOutput)")
            let report = try json(result)
            #expect(report["outcome"] as? String == "noSignature")
            #expect(report["indication"] as? String == "TOTAL_FAILED", "\(name)")
            #expect(report["subIndication"] as? String == "FORMAT_FAILURE", "\(name)")
        }

        let original = try Data(contentsOf: URL(fileURLWithPath: corpus("dss/pdf-signed-original.pdf")))
        let signatureAt = try #require(original.range(of: Data("/ByteRange".utf8))).lowerBound
        let dir = try TemporaryDirectory()
        var cases: [(String, Data, Int32)] = [10, 30, 50, 70, 90].map { percent in
            let cut = original.prefix(original.count * percent / 100)
            return ("cut at \(percent) %", cut, cut.count > signatureAt ? 1 : 4)
        }
        cases.append(("one byte short", original.prefix(original.count - 1), 1))
        var generator = SystemRandomNumberGenerator()
        cases.append(("4 KB appended", original + Data((0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }), 1))
        for (label, bytes, status) in cases {
            let file = dir.file("damaged.pdf")
            try bytes.write(to: file)
            let result = try signet([file.path, "--format", "json"])
            #expect(result.status == status, "\(label): \(result.combinedOutput.prefix(2000))")
            let report = try json(result)
            #expect(report["indication"] as? String == "TOTAL_FAILED", "\(label)")
            #expect(report["subIndication"] as? String == "FORMAT_FAILURE", "\(label)")
            #expect(report["outcome"] as? String == (status == 1 ? "failed" : "unreadable"), "\(label)")
            let fileSummary = try #require(report["file"] as? [String: Any])
            #expect(fileSummary["damage"] is String, "\(label): \(fileSummary)")
        }
        let text = try signet([dir.file("damaged.pdf").path])
        #expect(text.output.contains("RESULT: FAILED (TOTAL_FAILED / FORMAT_FAILURE)"), "\(text.output)")
        #expect(text.output.contains("DAMAGED FILE"))
    }

    @Test("--at claimed and --no-revocation-check validate an expired signer at its claimed time")
    func relaxedOptions() throws {
        let file = corpus("pyhanko/pades-with-old-style-signing-cert-attr.pdf")
        let anchor = corpus("trust/pyhanko-testing-ca-root.cert.pem")
        let strict = try signet([file, "--trust", anchor])
        #expect(strict.status == 2, "\(strict.combinedOutput)")
        let relaxed = try signet([file, "--trust", anchor, "--at", "claimed", "--no-revocation-check", "--format", "json"])
        #expect(relaxed.status == 0, "\(relaxed.combinedOutput)")
        let policy = try #require(try json(relaxed)["policy"] as? [String: Any])
        #expect(policy["validationTimeMode"] as? String == "claimed")
        #expect(policy["revocationDataRequired"] as? Bool == false)

        let fixed = try signet([file, "--trust", anchor, "--at", "2021-06-01T00:00:00Z", "--no-revocation-check", "--format", "json"])
        #expect(fixed.status == 0, "\(fixed.combinedOutput)")
        #expect(try json(fixed)["validationTime"] as? String == "2021-06-01T00:00:00Z")
    }

    @Test("Usage errors exit with 64: bad --at, bad --format, unreadable --trust, no file")
    func usageErrors() throws {
        let file = corpus("dss/pdf-signed-original.pdf")
        for arguments in [[file, "--at", "yesterday"], [file, "--format", "xml"], [file, "--trust", "/nonexistent/root.pem"], []] {
            let result = try signet(arguments)
            #expect(result.status == 64, "\(arguments): \(result.status) \(result.combinedOutput)")
            #expect(!result.errorOutput.isEmpty)
        }
    }

    @Test("--system-trust adds the OS bundle: a self-signed test signer stays untrusted")
    func systemTrust() throws {
        let result = try signet([corpus("pyhanko/minimal-two-fields-signed-twice.pdf"), "--system-trust", "--format", "json"])
        #expect(result.status == 2, "\(result.combinedOutput)")
        let policy = try #require(try json(result)["policy"] as? [String: Any])
        #expect(((policy["trustAnchors"] as? [Any])?.count ?? 0) > 10)
    }
}
