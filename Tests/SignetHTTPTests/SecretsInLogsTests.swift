import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SignetCrypto
import SignetPKI
import SignetService
import SignetServiceTestSupport
import SignetTestSupport
import Testing

extension LiveService {
    /// A whole journey against a real `signet serve` (access log on, codes by webhook as in
    /// production, an encrypted key directory, on PostgreSQL a database URL with a password):
    /// nothing it printed or logged holds any secret the journey used, in any obvious encoding.
    @Suite("Secrets never in logs (live)")
    struct SecretsInLogsTests {
        @Test("API → link → code → sign → countersign → downloads → webhooks → embedded link → console → export: no secret in the output")
        func wholeJourney() async throws {
            let dir = try TemporaryDirectory("signet-secrets-in-logs")
            let (keys, data) = (dir.file("keys"), dir.file("data"))
            let passphrase = "pp-" + Base32.base64URL(SecureRandom.bytes(18))
            var secrets: [(String, String)] = [("key passphrase", passphrase)]
            let storage: [String]
            if PostgresTestServer.backendIsPostgres {
                let server = try PostgresTestServer.shared()
                let role = "signet_" + Base32.lowercase(SecureRandom.bytes(10))
                let password = "pw-" + Base32.base64URL(SecureRandom.bytes(18))
                try server.psql("CREATE ROLE \(role) LOGIN PASSWORD '\(password)'")
                try server.psql("CREATE DATABASE \(role) OWNER \(role)")
                storage = ["--database", "postgres://\(role):\(password)@127.0.0.1:\(server.port)/\(role)?sslmode=disable"]
                secrets.append(("PostgreSQL password", password))
            } else {
                storage = ["--data", data.path]
            }
            let environment = [KeyDirectory.passphraseEnvironmentVariable: passphrase]
            let created = try ExternalTool.run(try RepositoryPaths.signetExecutable().path, ["apikeys", "create", "--name", "journey"] + storage,
                                               environment: environment)
            try #require(created.status == 0, "\(created.combinedOutput)")
            let apiKey = try #require(created.output.split(separator: "\n").last.map(String.init))
            secrets.append(("API key", apiKey))

            let receiver = try WebhookReceiver()
            let server = try ServeProcess(directory: dir.url, keys: keys, data: data, port: try ServeProcess.freePort(), storage: storage,
                                          extraArguments: ["--otp-notifier", "webhook"], environment: environment)
            let client = JourneyAPI(base: server.baseURL, key: apiKey)

            // A webhook endpoint, its secret, a rotation.
            let endpoint = try await client.call(.POST, "/v1/webhook-endpoints", ["url": receiver.url])
            try #require(endpoint.status == 201, "\(endpoint.text)")
            let endpointID = try #require(endpoint.json["id"] as? String)
            let firstSecret = try #require(endpoint.json["secret"] as? String)
            let rotated = try await client.call(.POST, "/v1/webhook-endpoints/\(endpointID)/rotate-secret")
            let secondSecret = try #require(rotated.json["secret"] as? String, "\(rotated.text)")
            try await receiver.control(["secrets": [secondSecret, firstSecret]])
            secrets += [("webhook secret", firstSecret), ("rotated webhook secret", secondSecret)]

            // A contract signed on its page: the code comes by webhook.
            let merchant = try await client.call(.POST, "/v1/merchants", APIHarness.merchantBody)
            let merchantID = try #require(merchant.json["id"] as? String, "\(merchant.text)")
            let contract = try await client.call(.POST, "/v1/contracts", [
                "merchant_id": merchantID, "template_id": "merchant-service-agreement", "fields": try APIHarness.sampleFields()])
            let contractID = try #require(contract.json["id"] as? String, "\(contract.text)")
            let token = try APIHarness.token(of: contract.json)
            let page = PageClient(base: server.baseURL)
            #expect(try await page.get("/s/\(token)").status == 200)
            #expect(try await page.post("/s/\(token)/code").status == 303)
            let code = try await Self.code(from: receiver, contractID: contractID)
            let verified = try await page.post("/s/\(token)/verify", ["code": code])
            #expect(verified.status == 303, "\(verified.text.prefix(300))")
            let review = try await page.get("/s/\(token)/review")
            let csrf = try #require(review.hidden("csrf"))
            let signed = try await page.post("/s/\(token)/sign", ["csrf": csrf, "document_sha256": try #require(review.hidden("document_sha256")),
                                                                  "consent": "yes"])
            #expect(signed.status == 303)
            #expect(try await page.get("/s/\(token)/done").status == 200)
            #expect(try await page.get("/s/\(token)/signed.pdf").status == 200)
            secrets += [("link token", token), ("one-time code", code), ("signer session", try #require(page.cookie("signet_session"))),
                        ("signer CSRF token", csrf)]
            for path in ["document.pdf", "signed.pdf", "evidence.pdf", "audit-trail"] {
                let reply = try await client.call(.GET, "/v1/contracts/\(contractID)/\(path)")
                #expect(reply.status == 200, "\(path): \(reply.status)")
            }

            // An embedded link, entered.
            let second = try await client.call(.POST, "/v1/contracts", [
                "merchant_id": merchantID, "template_id": "merchant-service-agreement", "fields": try APIHarness.sampleFields()])
            let secondID = try #require(second.json["id"] as? String)
            let embedded = try await client.call(.POST, "/v1/contracts/\(secondID)/signers/merchant/embedded-link")
            let embeddedURL = try #require(embedded.json["url"] as? String, "\(embedded.text)")
            let framed = PageClient(base: server.baseURL)
            #expect(try await framed.get(String(embeddedURL.dropFirst(server.baseURL.count))).status == 303)
            secrets += [("embedded link token", String(try #require(embeddedURL.split(separator: "/").last))),
                        ("embedded session", try #require(framed.cookie("signet_session")))]

            // The console: sign in, look, sign out.
            let console = PageClient(base: server.baseURL)
            let form = try await console.get("/console/login")
            let loginCSRF = try #require(form.hidden("csrf"))
            secrets += [("console login cookie", try #require(console.cookie("signet_console_login"))), ("console login CSRF", loginCSRF)]
            #expect(try await console.post("/console/login", ["api_key": apiKey, "csrf": loginCSRF]).status == 303)
            let consoleSession = try #require(console.cookie("signet_console"))
            let overview = try await console.get("/console")
            #expect(try await console.get("/console/contracts/\(contractID)").status == 200)
            let consoleCSRF = try #require(overview.hidden("csrf"))
            #expect(try await console.post("/console/logout", ["csrf": consoleCSRF]).status == 303)
            secrets += [("console session", consoleSession), ("console CSRF", consoleCSRF)]

            // An export, fetched.
            let export = try await client.call(.POST, "/v1/exports", ["merchant_id": merchantID])
            let exportID = try #require(export.json["id"] as? String, "\(export.text)")
            let deadline = Date().addingTimeInterval(TestTimeouts.exchange)
            var archive = try await client.call(.GET, "/v1/exports/\(exportID)/archive")
            while archive.status == 409, Date() < deadline {
                try await Task.sleep(for: .milliseconds(200))
                archive = try await client.call(.GET, "/v1/exports/\(exportID)/archive")
            }
            #expect(archive.status == 200, "\(archive.status)")
            // The webhooks went out, signed with the current secret.
            let delivered = try await receiver.wait { $0.contains { $0["type"] as? String == "contract.completed" } }
            // Signed with the current secret (and the previous one, still valid after a rotation).
            #expect(delivered.contains { $0["type"] as? String == "contract.completed" && ($0["verified_with"] as? [Int])?.contains(0) == true },
                    "\(delivered.map { "\($0["type"] ?? "") \($0["verified_with"] ?? "")" })")

            #expect(server.terminate() == 0)
            secrets += try Self.privateKeyLines(in: keys)
            // `signet apikeys create` prints the key on standard output (that is its job); its
            // log, standard error, must not.
            var output = server.listeningLine + "\n" + server.log + created.errorOutput
            for file in try FileManager.default.subpathsOfDirectory(atPath: dir.url.path) where file.hasSuffix(".log") {
                output += (try? String(contentsOfFile: dir.file(file).path, encoding: .utf8)) ?? ""
            }
            let requests = output.split(separator: "\n").filter { $0.contains("\"message\":\"request\"") }.count
            #expect(requests >= 30, "the access log is on: \(requests) request lines")
            var checked = 0
            for (name, secret) in secrets {
                for form in Self.encodings(of: secret, isCode: name == "one-time code") {
                    checked += 1
                    #expect(!output.contains(form), "the \(name) is in the output (as \(form.prefix(12))…)")
                }
            }
            #expect(secrets.count >= 20 && checked >= 60, "\(secrets.count) secrets, \(checked) forms")
            #expect(!output.contains("\"status\":5"), "no 5xx")
        }

        /// The code of the contract's `signer.otp_requested` webhook.
        static func code(from receiver: WebhookReceiver, contractID: String) async throws -> String {
            let deliveries = try await receiver.wait { deliveries in
                deliveries.contains { $0["type"] as? String == "signer.otp_requested" && (($0["body"] as? [String: Any])?["details"] as? [String: Any])?["code"] != nil }
            }
            let event = try #require(deliveries.first { $0["type"] as? String == "signer.otp_requested" }?["body"] as? [String: Any])
            #expect((event["data"] as? [String: Any])?["id"] as? String == contractID)
            return try #require((event["details"] as? [String: Any])?["code"] as? String)
        }

        /// The base64 lines of every private key file's PEM body (each 64 characters of key).
        static func privateKeyLines(in keys: URL) throws -> [(String, String)] {
            var lines: [(String, String)] = []
            for file in try FileManager.default.subpathsOfDirectory(atPath: keys.path) {
                guard let text = try? String(contentsOf: keys.appendingPathComponent(file), encoding: .utf8), text.contains("PRIVATE KEY-----") else { continue }
                for line in text.split(separator: "\n") where line.count >= 40 && !line.hasPrefix("-----") {
                    lines.append(("private key \(file)", String(line)))
                }
            }
            #expect(lines.count >= 5, "the key directory's private keys were read")
            return lines
        }

        /// A secret as it could appear: itself, base64, hex, percent-encoded; a six-digit code
        /// only where it is a value (quoted, or after `=`), not inside a longer number.
        static func encodings(of secret: String, isCode: Bool) -> [String] {
            if isCode { return ["\"\(secret)\"", "=\(secret)", "code\\\":\\\"\(secret)"] }
            let bytes = Array(secret.utf8)
            var forms = [secret, Data(bytes).base64EncodedString(), bytes.map { String(format: "%02x", $0) }.joined(),
                         Base32.base64URL(bytes)]
            if let escaped = secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics), escaped != secret { forms.append(escaped) }
            // The key of a `whsec_` secret is its base64 part.
            if secret.hasPrefix("whsec_") { forms.append(String(secret.dropFirst(6))) }
            return forms
        }
    }
}

/// The API of a `signet serve` process, with its key: JSON in, the reply as it came.
struct JourneyAPI {
    let base: String
    let key: String

    func call(_ method: NIOHTTP1.HTTPMethod, _ path: String, _ json: [String: Any]? = nil) async throws -> APIHarness.Reply {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(key)")
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: Array(try JSONSerialization.data(withJSONObject: json))))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(120))
        let body = try await response.body.collect(upTo: 100 << 20)
        return APIHarness.Reply(status: Int(response.status.code), headers: response.headers, body: Array(body.readableBytesView))
    }
}
