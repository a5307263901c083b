import Foundation
import SignetTestSupport
import Testing

@Suite("signet keys")
struct KeysCommandTests {
    private func signet(_ arguments: [String], environment: [String: String] = [:], in dir: TemporaryDirectory) throws -> ToolResult {
        try ExternalTool.run(try RepositoryPaths.signetExecutable().path, arguments, environment: environment, currentDirectory: dir.url)
    }

    @Test("init creates 0600 keys, refuses a second run, --force replaces; show prints no key material")
    func initShowForce() throws {
        let dir = try TemporaryDirectory()
        let created = try signet(["keys", "init", "--org", "Signet Platform Co., Ltd."], in: dir)
        #expect(created.status == 0, "\(created.combinedOutput)")
        let keys = dir.file("keys")
        for name in ["root-ca", "issuing-ca", "tsa", "ocsp", "seal"] {
            let mode = try FileManager.default.attributesOfItem(atPath: keys.appendingPathComponent("\(name).key.pem").path)[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(name).key.pem")
            #expect(FileManager.default.fileExists(atPath: keys.appendingPathComponent("\(name).cert.pem").path))
        }
        for name in ["chain.pem", "issuing-ca.crl", "root-ca.crl", "pki.json"] {
            #expect(FileManager.default.fileExists(atPath: keys.appendingPathComponent(name).path), "\(name)")
        }
        let rootBefore = try Data(contentsOf: keys.appendingPathComponent("root-ca.cert.pem"))

        let again = try signet(["keys", "init"], in: dir)
        #expect(again.status == 1)
        #expect(again.errorOutput.contains("refusing to overwrite it without --force"), "\(again.combinedOutput)")
        #expect(try Data(contentsOf: keys.appendingPathComponent("root-ca.cert.pem")) == rootBefore)

        let show = try signet(["keys", "show"], in: dir)
        #expect(show.status == 0, "\(show.combinedOutput)")
        for needle in ["Signet Platform Co.\\, Ltd. Root CA", "EC P-256", "validity:", "timeStamping (critical)", "mode 600"] {
            #expect(show.output.contains(needle), "missing \(needle) in\n\(show.output)")
        }
        #expect(!show.combinedOutput.contains("PRIVATE KEY"))
        for name in ["root-ca", "issuing-ca", "tsa", "ocsp", "seal"] {
            let pem = try String(contentsOf: keys.appendingPathComponent("\(name).key.pem"), encoding: .utf8)
            for line in pem.split(separator: "\n") where !line.hasPrefix("-----") {
                #expect(!show.combinedOutput.contains(line), "keys show leaks \(name).key.pem")
            }
        }

        let forced = try signet(["keys", "init", "--force"], in: dir)
        #expect(forced.status == 0, "\(forced.combinedOutput)")
        #expect(try Data(contentsOf: keys.appendingPathComponent("root-ca.cert.pem")) != rootBefore)
        let openssl = try ExternalTool.run("openssl", ["verify", "-CAfile", keys.appendingPathComponent("root-ca.cert.pem").path,
                                                       "-untrusted", keys.appendingPathComponent("chain.pem").path,
                                                       keys.appendingPathComponent("seal.cert.pem").path])
        #expect(openssl.status == 0, "\(openssl.combinedOutput)")
    }

    @Test("The passphrase comes from SIGNET_KEY_PASSPHRASE; revoke needs it and publishes a CRL")
    func passphraseAndRevoke() throws {
        let dir = try TemporaryDirectory()
        let environment = ["SIGNET_KEY_PASSPHRASE": "s3cret pass"]
        let created = try signet(["keys", "init", "--dir", "pki"], environment: environment, in: dir)
        #expect(created.status == 0, "\(created.combinedOutput)")
        let keyText = try String(contentsOf: dir.file("pki/seal.key.pem"), encoding: .utf8)
        #expect(keyText.hasPrefix("-----BEGIN ENCRYPTED PRIVATE KEY-----"))

        let sealSerial = try ExternalTool.run("openssl", ["x509", "-in", dir.file("pki/seal.cert.pem").path, "-noout", "-serial"])
            .output.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "serial=", with: "")
        let withoutPassphrase = try signet(["keys", "revoke", "--dir", "pki", "--serial", sealSerial], in: dir)
        #expect(withoutPassphrase.status == 1)
        #expect(withoutPassphrase.errorOutput.contains("SIGNET_KEY_PASSPHRASE"), "\(withoutPassphrase.combinedOutput)")

        let revoked = try signet(["keys", "revoke", "--dir", "pki", "--serial", sealSerial, "--reason", "superseded"],
                                 environment: environment, in: dir)
        #expect(revoked.status == 0, "\(revoked.combinedOutput)")
        let crlText = try ExternalTool.run("openssl", ["crl", "-inform", "DER", "-in", dir.file("pki/issuing-ca.crl").path, "-noout", "-text"])
        #expect(crlText.output.contains("Serial Number: \(sealSerial)"), "\(crlText.output)")
        #expect(crlText.output.contains("Superseded"))
        let show = try signet(["keys", "show", "--dir", "pki"], in: dir)
        #expect(show.output.contains("encrypted"), "\(show.output)")
        #expect(show.output.contains("number 2, 1 revoked"), "\(show.output)")

        let unknownReason = try signet(["keys", "revoke", "--dir", "pki", "--serial", sealSerial, "--reason", "boredom"],
                                       environment: environment, in: dir)
        #expect(unknownReason.status != 0)
        let missing = try signet(["keys", "show", "--dir", "nowhere"], in: dir)
        #expect(missing.status == 1 && missing.errorOutput.contains("signet keys init"))
    }
}
