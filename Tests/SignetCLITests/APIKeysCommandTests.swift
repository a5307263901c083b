import Foundation
import SignetTestSupport
import Testing

@Suite("signet apikeys")
struct APIKeysCommandTests {
    private func signet(_ arguments: [String], in dir: TemporaryDirectory) throws -> ToolResult {
        try ExternalTool.run(try RepositoryPaths.signetExecutable().path, arguments, currentDirectory: dir.url)
    }

    @Test("create prints the key alone on its last line and stores only its SHA-256; list never shows it; revoke marks it")
    func createListRevoke() throws {
        let dir = try TemporaryDirectory()
        let created = try signet(["apikeys", "create", "--name", "onboarding", "--data", "data"], in: dir)
        #expect(created.status == 0, "\(created.combinedOutput)")
        let key = try #require(created.output.split(separator: "\n").last.map(String.init))
        #expect(key.wholeMatch(of: /sk_[A-Za-z0-9_-]{43}/) != nil, "\(created.output)")
        #expect(created.output.split(separator: "\n").count == 1, "standard output is the key alone")

        let database = try Data(contentsOf: dir.file("data/signet.sqlite"))
            + ((try? Data(contentsOf: dir.file("data/signet.sqlite-wal"))) ?? Data())
        #expect(database.range(of: Data(key.utf8)) == nil, "the key is not stored")
        let sha = SHA256Hex.of(Array(key.utf8))
        #expect(database.range(of: Data(sha.utf8)) != nil, "its SHA-256 is")

        let list = try signet(["apikeys", "list", "--data", "data"], in: dir)
        #expect(list.status == 0 && list.output.contains("onboarding") && list.output.contains("active"), "\(list.combinedOutput)")
        #expect(!list.combinedOutput.contains(key))
        let id = try #require(list.output.split(separator: "\t").first.map(String.init))
        #expect(id.hasPrefix("key_"))

        #expect(try signet(["apikeys", "revoke", id, "--data", "data"], in: dir).status == 0)
        #expect(try signet(["apikeys", "list", "--data", "data"], in: dir).output.contains("revoked"))
        let again = try signet(["apikeys", "revoke", id, "--data", "data"], in: dir)
        #expect(again.status == 1 && again.errorOutput.contains("no active key"), "\(again.combinedOutput)")
        let empty = try signet(["apikeys", "create", "--name", " ", "--data", "data"], in: dir)
        #expect(empty.status != 0 && empty.output.isEmpty, "a blank name is refused and no key printed")
    }
}

/// SHA-256 as lower-case hex, through openssl (an oracle, not Signet's own digest).
enum SHA256Hex {
    static func of(_ bytes: [UInt8]) -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("sha-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: file) }
        try? Data(bytes).write(to: file)
        let result = try? ExternalTool.run("openssl", ["dgst", "-sha256", "-r", file.path])
        return String(result?.output.prefix(64) ?? "")
    }
}
