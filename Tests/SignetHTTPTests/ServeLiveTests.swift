import Foundation
import SignetCrypto
import SignetPKI
import SignetService
import SignetStore
import SignetTemplates
import SignetTestSupport
import Testing

extension LiveService {
    /// `signet serve` as a process on a loopback port, judged by third-party clients: pdfsig
    /// (NSS) checking revocation online against it, `openssl ocsp`, `openssl ts`, `openssl crl`.
    @Suite("signet serve (live)")
    struct ServeLiveTests {
        @Test("A contract signed with a PKI pointing at the running server: pdfsig trusts both signatures through its OCSP; openssl ocsp, ts and crl agree")
        func pdfsigTrustsThroughTheServer() async throws {
            let dir = try TemporaryDirectory("signet-serve-live")
            let template = try TemplateStore(root: RepositoryPaths.templates).load(id: "merchant-service-agreement")
            let contract = try ContractRenderer.render(template: template, fields: try #require(template.sample),
                                                       metadata: ContractMetadata(number: "SN-2026-000001", issuedAt: "2026-12-01T10:00:00+08:00"))
            let port = try ServeProcess.freePort()
            var options = KeyDirectory.CreationOptions()
            options.organization = try #require(contract.fields["platform_name"])
            options.baseURL = "http://127.0.0.1:\(port)"
            let keysURL = dir.file("keys")
            let keys = try KeyDirectory.create(at: keysURL.path, options: options)
            let server = try ServeProcess(directory: dir.url, keys: keysURL, data: dir.file("data"), port: port)

            // Both signatures, their timestamps from the server's TSA over HTTP; the event
            // certificate recorded in the server's database (the issuing CA's registry its OCSP
            // answers from), as the service's own signings are.
            let tsa = TimeStampClient(url: try #require(URL(string: server.baseURL + "/tsa")))
            let serverStorage = try await SQLiteStorage.open(directory: dir.file("data").path)
            defer { Task { try? await serverStorage.close() } }
            let flow = ContractSigningFlow(pki: try await ContractSigningFlow.servicePKI(keys: keys, storage: serverStorage.storage),
                                           timestamps: tsa)
            let signed = try await flow.signAndCountersign(contract, signingEventID: "evt-live-1")
            let file = dir.file("signed.pdf")
            try Data(signed).write(to: file)
            #expect(try Curl.metric(#"signet_http_requests_total{method="POST",route="/tsa",status="200"}"#, at: server.baseURL) >= 2)

            // NSS asks in RFC 6960's GET form (base64 in the path) for requests this small.
            let ocspGET = #"signet_http_requests_total{method="GET",route="/pki/ocsp/**",status="200"}"#
            let ocspBefore = try Curl.metric(ocspGET, at: server.baseURL)
            let pdfsig = try PDFSig.verify(file, trusting: [URL(fileURLWithPath: keys.path(KeyDirectory.Role.rootCA.certificateFile))])
            let approvals = pdfsig.verdicts.filter { $0.signatureType == "ETSI.CAdES.detached" }
            #expect(approvals.map(\.fieldName) == ["merchant", "platform"], "\(pdfsig.raw.combinedOutput)")
            #expect(approvals.allSatisfy { $0.isValid && $0.isTrusted }, "\(pdfsig.verdicts)")
            // pdfsig's revocation checks really reached this server: one per signer certificate
            // (the merchant's event certificate, the platform seal).
            let ocspAfter = try Curl.metric(ocspGET, at: server.baseURL)
            #expect(ocspAfter >= ocspBefore + 2, "pdfsig's OCSP requests did not reach the server: \(server.log)")

            // openssl's OCSP client on the seal certificate, signed by the delegated responder.
            let ocsp = try ExternalTool.run("openssl", [
                "ocsp", "-issuer", keys.path(KeyDirectory.Role.issuingCA.certificateFile), "-cert", keys.path(KeyDirectory.Role.seal.certificateFile),
                "-url", server.baseURL + "/pki/ocsp", "-CAfile", keys.path(KeyDirectory.Role.rootCA.certificateFile)])
            #expect(ocsp.status == 0, "\(ocsp.combinedOutput)")
            #expect(ocsp.output.contains("seal.cert.pem: good") && ocsp.combinedOutput.contains("Response verify OK"), "\(ocsp.combinedOutput)")

            // openssl ts: a query posted with curl, the reply verified against the root.
            let query = dir.file("q.tsq"), reply = dir.file("r.tsr")
            try #require(try ExternalTool.run("openssl", ["ts", "-query", "-data", file.path, "-sha256", "-cert", "-out", query.path]).status == 0)
            let posted = try ExternalTool.run("curl", ["--silent", "--fail", "-H", "Content-Type: application/timestamp-query",
                                                       "--data-binary", "@" + query.path, "-o", reply.path, server.baseURL + "/tsa"])
            #expect(posted.status == 0, "\(posted.combinedOutput)")
            let verified = try ExternalTool.run("openssl", ["ts", "-verify", "-in", reply.path, "-queryfile", query.path,
                                                            "-CAfile", keys.path(KeyDirectory.Role.rootCA.certificateFile),
                                                            "-untrusted", keys.path(KeyDirectory.Role.issuingCA.certificateFile)])
            #expect(verified.combinedOutput.contains("Verification: OK"), "\(verified.combinedOutput)")

            // The issuing CA's CRL parses and verifies with openssl.
            let crlFile = dir.file("issuing.crl")
            try Curl.get(server.baseURL + "/pki/crl/issuing-ca.crl").write(to: crlFile)
            let crl = try ExternalTool.run("openssl", ["crl", "-inform", "DER", "-in", crlFile.path, "-noout", "-nextupdate",
                                                       "-CAfile", keys.path(KeyDirectory.File.chain)])
            #expect(crl.status == 0 && crl.combinedOutput.contains("verify OK") && crl.output.contains("nextUpdate="), "\(crl.combinedOutput)")

            #expect(server.terminate() == 0, "\(server.log)")
            let ocspLines = server.log.split(separator: "\n").filter { $0.contains(#""route":"/pki/ocsp"#) }
            #expect(ocspLines.count >= Int(ocspAfter), "the access log has every OCSP request")
        }

        @Test("serve creates a PKI pointing at its own address when --keys holds none, and serves its root")
        func createsThePKI() throws {
            let dir = try TemporaryDirectory("signet-serve-create")
            let port = try ServeProcess.freePort()
            let server = try ServeProcess(directory: dir.url, keys: dir.file("keys"), data: dir.file("data"), port: port)
            #expect(server.listeningLine.contains("http://127.0.0.1:\(port)"), "\(server.listeningLine)")
            let keys = try KeyDirectory.load(from: dir.file("keys").path)
            #expect(keys.manifest.urls?.base == "http://127.0.0.1:\(port)")
            #expect(Array(try Curl.get(server.baseURL + "/pki/root-ca.cer")) == keys.root.der)
            #expect(FileManager.default.fileExists(atPath: dir.file("data").path))
            #expect(server.terminate() == 0)
            #expect(server.log.contains("created a development PKI"))
        }

        @Test("SIGTERM while a request is in flight: the request completes normally, new connections are refused, exit 0")
        func gracefulShutdown() throws {
            let dir = try TemporaryDirectory("signet-serve-shutdown")
            let port = try ServeProcess.freePort()
            let server = try ServeProcess(directory: dir.url, keys: dir.file("keys"), data: dir.file("data"), port: port)
            let query = try TimeStampRequest(digest: DigestAlgorithm.sha256.hash([1, 2, 3]), algorithm: .sha256).derEncoded()

            // A time-stamp query whose body is only half sent.
            let connection = try #require(LoopbackConnection(port: port))
            try connection.send(Array("POST /tsa HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/timestamp-query\r\nContent-Length: \(query.count)\r\n\r\n".utf8))
            try connection.send(Array(query.prefix(10)))
            // Wait until the server handles it: in flight are this request and the /metrics one asking.
            // (Bounded only so that a broken server fails the test instead of hanging it.)
            var polls = 0
            while try Curl.metric("signet_http_requests_in_flight", at: server.baseURL) < 2, polls < 3000 { polls += 1; usleep(20_000) }
            try #require(polls < 3000, "the half-sent request never reached a handler")

            server.send(SIGTERM)
            // Shutdown has begun when the listener is gone.
            polls = 0
            while LoopbackConnection(port: port) != nil, polls < 3000 { polls += 1; usleep(20_000) }
            try #require(polls < 3000, "the server kept accepting connections after SIGTERM")
            #expect(server.isRunning, "the server waits for the request in flight")

            try connection.send(Array(query.dropFirst(10)))
            let response = connection.readToEnd()
            let text = String(decoding: response, as: UTF8.self)
            #expect(text.hasPrefix("HTTP/1.1 200"), "\(text.prefix(300))")
            #expect(text.lowercased().contains("content-type: application/timestamp-reply"))
            let body = try #require(response.split(separator: Array("\r\n\r\n".utf8)).dropFirst().first)
            #expect(try TimeStampResponse(berEncoded: Array(body)).status == .granted)
            #expect(server.terminate() == 0, "\(server.log)")
        }
    }
}
