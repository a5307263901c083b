import Foundation
import SignetTestSupport
import Testing

/// `signet templates`, `signet render` and `signet demo`, run as a user would.
@Suite("signet templates / render / demo")
struct TemplateCommandsTests {
    func signet(_ arguments: [String], input: Data? = nil) throws -> ToolResult {
        try ExternalTool.run(try RepositoryPaths.signetExecutable().path, arguments, input: input,
                             currentDirectory: RepositoryPaths.root)
    }

    var templatesOption: [String] { ["--templates", RepositoryPaths.templates.path] }

    func sample(_ id: String) -> String {
        RepositoryPaths.templates.appendingPathComponent("\(id)/1.0.0/sample.json").path
    }

    @Test("templates list and show")
    func listAndShow() throws {
        let list = try signet(["templates", "list"] + templatesOption)
        #expect(list.status == 0, "\(list.errorOutput)")
        for id in ["merchant-service-agreement", "payment-processing-agreement", "settlement-account-authorization"] {
            #expect(list.output.contains(id))
        }
        let show = try signet(["templates", "show", "merchant-service-agreement", "--version", "1.0.0"] + templatesOption)
        #expect(show.status == 0, "\(show.errorOutput)")
        #expect(show.output.contains("merchant_credit_code"))
        #expect(show.output.contains("GB 32100-2015 check character"))
        #expect(show.output.contains("merchant  甲方"))
        let json = try signet(["templates", "show", "payment-processing-agreement", "--json"] + templatesOption)
        let object = try #require(try JSONSerialization.jsonObject(with: json.stdout) as? [String: Any])
        #expect(object["id"] as? String == "payment-processing-agreement")
        #expect((object["fields"] as? [Any])?.isEmpty == false)
        let missing = try signet(["templates", "show", "no-such-template"] + templatesOption)
        #expect(missing.status != 0 && missing.errorOutput.contains("no template 'no-such-template'"))
    }

    @Test("templates lock --check passes on the repository")
    func lockCheck() throws {
        let result = try signet(["templates", "lock", "--check"] + templatesOption)
        #expect(result.status == 0, "\(result.combinedOutput)")
        #expect(result.output.contains("ok       merchant-service-agreement@1.0.0"))
    }

    @Test("render prints the SHA-256 of the file it wrote, pages and signature boxes")
    func render() throws {
        let directory = try TemporaryDirectory("signet-cli")
        let out = directory.file("contract.pdf").path
        let result = try signet(["render", "--template", "merchant-service-agreement", "--version", "1.0.0", "--fields", sample("merchant-service-agreement"),
                                 "--out", out, "--number", "SN-2025-000001", "--issued-at", "2025-03-01T10:00:00+08:00", "--json"]
                                + templatesOption)
        #expect(result.status == 0, "\(result.combinedOutput)")
        let report = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
        let digest = try ExternalTool.run("sha256sum", [out]).output.prefix(64)
        #expect(report["sha256"] as? String == String(digest))
        #expect((report["pageCount"] as? Int ?? 0) >= 4)
        let boxes = try #require(report["signatureBoxes"] as? [[String: Any]])
        #expect(boxes.map { $0["role"] as? String } == ["merchant", "platform"])
        #expect((boxes[0]["rect"] as? [String: Any])?["width"] as? Double == 190)
        let template = try #require(report["template"] as? [String: Any])
        #expect(template["version"] as? String == "1.0.0" && (template["digest"] as? String)?.count == 64)

        let text = try signet(["render", "--template", "merchant-service-agreement", "--version", "1.0.0", "--fields", sample("merchant-service-agreement"),
                               "--out", out, "--number", "SN-2025-000001", "--issued-at", "2025-03-01T10:00:00+08:00"] + templatesOption)
        #expect(text.output.contains("sha256:    \(digest)"))
        #expect(text.output.contains("signature: merchant on page"))
    }

    @Test("invalid fields: non-zero exit and every error listed, as text and as JSON")
    func invalidFields() throws {
        let directory = try TemporaryDirectory("signet-cli")
        var fields = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: sample("merchant-service-agreement")))) as? [String: Any])
        fields["merchant_credit_code"] = "91330102MA28GH6T7X"
        fields["settlement_account_no"] = "abc"
        fields["start_date"] = "2025-02-29"
        fields["unknown_thing"] = "x"
        fields.removeValue(forKey: "merchant_name")
        let file = directory.file("fields.json")
        try JSONSerialization.data(withJSONObject: fields).write(to: file)
        let arguments = ["render", "--template", "merchant-service-agreement", "--version", "1.0.0", "--fields", file.path,
                         "--out", directory.file("x.pdf").path] + templatesOption

        let text = try signet(arguments)
        #expect(text.status == 1)
        for expected in ["merchant_name: is required [required]", "merchant_credit_code:", "[credit_code_check_character]",
                         "settlement_account_no:", "start_date:", "unknown_thing:"] {
            #expect(text.errorOutput.contains(expected), "\(expected) missing from:\n\(text.errorOutput)")
        }
        #expect(!FileManager.default.fileExists(atPath: directory.file("x.pdf").path))

        let json = try signet(arguments + ["--json"])
        #expect(json.status == 1)
        let report = try #require(try JSONSerialization.jsonObject(with: json.stdout) as? [String: Any])
        #expect(report["error"] as? String == "invalid_fields")
        #expect(report["code"] as? String == "render.invalid_fields")
        let errors = try #require(report["errors"] as? [[String: String]])
        #expect(errors.map { $0["code"] ?? "" } == ["required", "credit_code_check_character", "invalid_bank_account", "invalid_date", "unknown_field"])
        #expect(errors.allSatisfy { $0["field"] != nil && !($0["message"] ?? "").isEmpty })

        let notJSON = directory.file("broken.json")
        try Data("{".utf8).write(to: notJSON)
        let broken = try signet(["render", "--template", "merchant-service-agreement", "--version", "1.0.0", "--fields", notJSON.path, "--out", "/dev/null", "--json"] + templatesOption)
        #expect(broken.status == 1 && broken.output.contains("invalid_fields_file"))
        let brokenReport = try #require(try JSONSerialization.jsonObject(with: broken.stdout) as? [String: Any])
        #expect(brokenReport["code"] as? String == "field_values.malformed")
    }

    @Test("demo renders every sample into the directory, byte-identical across processes")
    func demo() throws {
        let first = try TemporaryDirectory("signet-demo")
        let second = try TemporaryDirectory("signet-demo")
        let a = try signet(["demo", "--render-only", "--out", first.url.path] + templatesOption)
        let b = try signet(["demo", "--render-only", "--out", second.url.path] + templatesOption)
        #expect(a.status == 0 && b.status == 0, "\(a.errorOutput)\(b.errorOutput)")
        let lines = a.output.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(a.output.replacingOccurrences(of: first.url.path, with: "") == b.output.replacingOccurrences(of: second.url.path, with: ""))
        // The printed hashes are those of the files (sha256sum -c agrees).
        let check = try ExternalTool.run("sha256sum", ["-c", "-"], input: a.stdout)
        #expect(check.status == 0, "\(check.combinedOutput)")
    }
}
