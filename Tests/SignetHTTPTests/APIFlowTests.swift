import AsyncHTTPClient
import Foundation
import HTTPTypes
import SignetTemplates
import NIOHTTP1
import SignetCrypto
import SignetHTTP
import SignetService
import SignetTestSupport
import Synchronization
import Testing

extension LiveService {
    /// The REST API end to end on a real server: merchant → contract → merchant signature
    /// (service level) → automatic countersignature → completed, judged by qpdf, pdfsig (OCSP
    /// answered by this server), pyHanko, Signet's own verify over HTTP, pdftotext, and every
    /// response checked against /openapi.json.
    @Suite("REST API (live)")
    struct APIFlowTests {
        @Test("The full flow over HTTP; the signed PDF passes qpdf, pdfsig (trusted through this server's OCSP), pyHanko and /v1/verify")
        func fullFlow() async throws {
            let api = try await APIHarness.start()
            defer { Task { try? await api.stop() } }
            let (merchant, contract) = try await api.merchantAndContract()
            let merchantID = try #require(merchant["id"] as? String)
            let contractID = try #require(contract["id"] as? String)
            #expect(contract["state"] as? String == "sent")
            #expect((contract["number"] as? String)?.hasPrefix("SN-") == true)
            let signers = try #require(contract["signers"] as? [[String: Any]])
            #expect((signers.first?["signing_url"] as? String)?.hasPrefix(api.baseURL + "/s/") == true)

            #expect(try await api.call(.GET, "/v1/merchants/\(merchantID)").status == 200)
            let found = try await api.call(.GET, "/v1/merchants?external_id=m-1001")
            #expect((found.json["data"] as? [[String: Any]])?.first?["id"] as? String == merchantID)
            #expect(try await api.call(.GET, "/v1/templates").status == 200)
            let template = try await api.call(.GET, "/v1/templates/merchant-service-agreement")
            let schema = try #require(template.json["fields_schema"] as? [String: Any])
            #expect(schema["additionalProperties"] as? Bool == false)
            #expect(((schema["properties"] as? [String: Any])?["settlement_cycle"] as? [String: Any])?["enum"] as? [String] == ["T1", "D1", "T3"])
            #expect(try await api.call(.GET, "/v1/contracts/\(contractID)").json["state"] as? String == "sent")

            // The original: ETag, Content-Digest, 304, and the merchant's fields in its text.
            let original = try await api.call(.GET, "/v1/contracts/\(contractID)/document.pdf")
            #expect(original.status == 200 && original.header("Content-Type") == "application/pdf")
            let sha = DigestAlgorithm.sha256.hash(original.body)
            #expect(original.header("ETag") == "\"\(sha.hexString)\"")
            #expect(original.header("Content-Digest") == "sha-256=:\(Data(sha).base64EncodedString()):")
            let documents = try #require(contract["documents"] as? [String: Any])
            #expect((documents["original"] as? [String: Any])?["sha256"] as? String == sha.hexString)
            #expect(try await api.call(.GET, "/v1/contracts/\(contractID)/document.pdf", headers: [("If-None-Match", "\"\(sha.hexString)\"")]).status == 304)
            let originalFile = api.directory.file("original.pdf")
            try Data(original.body).write(to: originalFile)
            let text = try ExternalTool.run("pdftotext", ["-layout", originalFile.path, "-"])
            let flattened = text.output.replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "\n", with: "")
            for value in ["杭州青禾餐饮管理有限公司", "91330102MA28GH6T7K", "林晓禾", "13857112468", "青禾小馆"] {
                #expect(flattened.contains(value), "pdftotext lacks \(value)")
            }

            let notYet = try await api.call(.GET, "/v1/contracts/\(contractID)/signed.pdf")
            #expect(notYet.status == 409 && notYet.code == "signed_document_not_ready")

            // The merchant signs (service level); the platform countersigns at once.
            let completed = try await api.service.sign(contractID: contractID, role: .merchant, evidence: SigningEvidence(
                origin: RequestOrigin(actor: "signer:merchant", ip: "127.0.0.1", userAgent: "APIFlowTests"), authentication: "service"))
            #expect(completed.state == .completed)
            let shown = try await api.call(.GET, "/v1/contracts/\(contractID)")
            #expect(shown.json["state"] as? String == "completed")

            let signed = try await api.call(.GET, "/v1/contracts/\(contractID)/signed.pdf")
            #expect(signed.status == 200)
            let signedFile = api.directory.file("signed.pdf")
            try Data(signed.body).write(to: signedFile)
            let qpdf = try QPDF.check(signedFile)
            #expect(qpdf.passed, "\(qpdf.raw.combinedOutput)")
            let pdfsig = try PDFSig.verify(signedFile, trusting: [api.rootFile])
            let approvals = pdfsig.verdicts.filter { $0.signatureType == "ETSI.CAdES.detached" }
            #expect(approvals.map(\.fieldName) == ["merchant", "platform"], "\(pdfsig.raw.combinedOutput)")
            #expect(approvals.allSatisfy { $0.isValid && $0.isTrusted }, "\(pdfsig.raw.combinedOutput)")
            #expect(pdfsig.raw.combinedOutput.contains("Certificate is Trusted"))
            let pyhanko = try PyHanko.validate(signedFile, trusting: [api.rootFile])
            #expect(pyhanko.raw.status == 0, "\(pyhanko.raw.combinedOutput)")
            #expect(pyhanko.verdicts.allSatisfy { $0.isIntactAndTrusted }, "\(pyhanko.verdicts)")
            let verified = try await api.call(.POST, "/v1/verify", body: signed.body, contentType: "application/pdf")
            #expect(verified.status == 200)
            #expect(verified.json["indication"] as? String == "TOTAL_PASSED", "\(String(decoding: verified.body, as: UTF8.self).prefix(2000))")

            let trail = try await api.call(.GET, "/v1/contracts/\(contractID)/audit-trail")
            #expect(trail.json["chain_valid"] as? Bool == true)
            let events = try #require(trail.json["events"] as? [[String: Any]])
            #expect(events.map { $0["type"] as? String } == ["contract.created", "contract.sent", "signer.link_issued", "signer.signed",
                                                             "contract.signed", "signer.signed", "contract.completed"])
            #expect(trail.json["head_hash"] as? String == events.last?["hash"] as? String)
            let timeline = try await api.call(.GET, "/v1/merchants/\(merchantID)/timeline")
            #expect((timeline.json["data"] as? [[String: Any]])?.count == events.count)
            let listed = try await api.call(.GET, "/v1/contracts?merchant_id=\(merchantID)&state=completed")
            #expect((listed.json["data"] as? [[String: Any]])?.count == 1)
            let mine = try await api.call(.GET, "/v1/merchants/\(merchantID)/contracts")
            #expect((mine.json["data"] as? [[String: Any]])?.first?["state"] as? String == "completed")

            try api.conformance.check()
        }

        @Test("Illegal transitions over HTTP: 409 with a code, and the contract, its trail and the blobs are unchanged")
        func illegalTransitions() async throws {
            let api = try await APIHarness.start()
            defer { Task { try? await api.stop() } }
            let (_, contract) = try await api.merchantAndContract()
            let id = try #require(contract["id"] as? String)
            #expect(try await api.call(.POST, "/v1/contracts/\(id)/void", json: ["reason": "withdrawn"]).json["state"] as? String == "voided")

            func unchanged(_ method: NIOHTTP1.HTTPMethod, _ path: String, json: Any? = nil, code: String) async throws {
                let before = try await api.call(.GET, "/v1/contracts/\(id)", record: false).body
                let trail = try await api.call(.GET, "/v1/contracts/\(id)/audit-trail", record: false).body
                let blobs = try blobNames(api)
                let reply = try await api.call(method, path, json: json)
                #expect(reply.status == 409 && reply.code == code, "\(method) \(path): \(reply.status) \(String(decoding: reply.body, as: UTF8.self))")
                #expect(reply.header("Content-Type") == "application/problem+json")
                #expect(try await api.call(.GET, "/v1/contracts/\(id)", record: false).body == before)
                #expect(try await api.call(.GET, "/v1/contracts/\(id)/audit-trail", record: false).body == trail)
                #expect(try blobNames(api) == blobs)
            }
            try await unchanged(.POST, "/v1/contracts/\(id)/void", json: ["reason": "again"], code: "invalid_state")
            try await unchanged(.POST, "/v1/contracts/\(id)/send", code: "invalid_state")
            try await unchanged(.POST, "/v1/contracts/\(id)/signers/merchant/link", code: "invalid_state")
            await #expect(throws: ServiceError.invalidState(state: .voided, action: "signed")) {
                _ = try await api.service.sign(contractID: id, role: .merchant, evidence: SigningEvidence(origin: .system, authentication: "service"))
            }

            // Completed: void after signing and a second signature are refused.
            let (_, second) = try await api.merchantAndContract(externalID: "m-1002")
            let done = try #require(second["id"] as? String)
            _ = try await api.service.sign(contractID: done, role: .merchant, evidence: SigningEvidence(origin: .system, authentication: "service"))
            let refused = try await api.call(.POST, "/v1/contracts/\(done)/void", json: ["reason": "too late"])
            #expect(refused.status == 409 && refused.code == "invalid_state")
            await #expect(throws: ServiceError.alreadySigned(role: .merchant)) {
                _ = try await api.service.sign(contractID: done, role: .merchant, evidence: SigningEvidence(origin: .system, authentication: "service"))
            }
            #expect(APIProblem(ServiceError.alreadySigned(role: .merchant)).status.code == 409)
            #expect(APIProblem(ServiceError.signingInProgress(role: .merchant)).status.code == 409)

            // A new link for a sent contract replaces the old one.
            let (_, third) = try await api.merchantAndContract(externalID: "m-1003")
            let thirdID = try #require(third["id"] as? String)
            let link = try await api.call(.POST, "/v1/contracts/\(thirdID)/signers/merchant/link")
            #expect(link.status == 201 && (link.json["url"] as? String)?.hasPrefix(api.baseURL + "/s/") == true)
            let platformLink = try await api.call(.POST, "/v1/contracts/\(thirdID)/signers/platform/link")
            #expect(platformLink.status == 404 && platformLink.code == "signer_not_found")
            try api.conformance.check()
        }

        @Test("The background jobs expire a contract past expires_at (audit event, links dead) and publish contracts by state")
        func expiryJob() async throws {
            let offset = Mutex<TimeInterval>(0)
            let api = try await APIHarness.start(clock: { Date().addingTimeInterval(offset.withLock { $0 }) })
            defer { Task { try? await api.stop() } }
            let (_, contract) = try await api.merchantAndContract()
            let id = try #require(contract["id"] as? String)
            let token = try #require(((contract["signers"] as? [[String: Any]])?.first?["signing_url"] as? String)?.split(separator: "/").last)
            // The counts go to this test, not the process-wide metrics registry other tests read.
            let published = Mutex<[ContractState: Int]>([:])
            let jobs = BackgroundJobs(service: api.service, logger: api.log.logger()) { counts in published.withLock { $0 = counts } }
            await jobs.runOnce()
            #expect(try await api.call(.GET, "/v1/contracts/\(id)").json["state"] as? String == "sent", "not yet due")
            offset.withLock { $0 = 8 * 86_400 }
            await jobs.runOnce()
            #expect(try await api.call(.GET, "/v1/contracts/\(id)").json["state"] as? String == "expired")
            #expect(published.withLock { $0 } == [.expired: 1], "contracts by state, from the database")
            let trail = try await api.call(.GET, "/v1/contracts/\(id)/audit-trail")
            #expect((trail.json["events"] as? [[String: Any]])?.last?["type"] as? String == "contract.expired")
            #expect(trail.json["chain_valid"] as? Bool == true)
            #expect(try await api.service.storage.contracts.contract(linkTokenHash: SigningLink.tokenHash(String(token))) == nil, "the link died")
            let link = try await api.call(.POST, "/v1/contracts/\(id)/signers/merchant/link")
            #expect(link.status == 409 && link.code == "invalid_state")
            try api.conformance.check()
        }

        @Test("Lists: newest first, limit and an opaque cursor, filters")
        func pagination() async throws {
            let api = try await APIHarness.start()
            defer { Task { try? await api.stop() } }
            let (merchant, first) = try await api.merchantAndContract()
            let merchantID = try #require(merchant["id"] as? String)
            var ids = [try #require(first["id"] as? String)]
            for _ in 0..<2 {
                let created = try await api.call(.POST, "/v1/contracts", json: [
                    "merchant_id": merchantID, "template_id": "merchant-service-agreement", "fields": try APIHarness.sampleFields(),
                    "draft": true] as [String: Any])
                #expect(created.status == 201 && created.json["state"] as? String == "draft")
                ids.append(try #require(created.json["id"] as? String))
            }
            let page1 = try await api.call(.GET, "/v1/contracts?limit=2")
            #expect((page1.json["data"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [ids[2], ids[1]])
            #expect(page1.json["has_more"] as? Bool == true)
            let cursor = try #require(page1.json["next_cursor"] as? String)
            let page2 = try await api.call(.GET, "/v1/contracts?limit=2&cursor=\(cursor)")
            #expect((page2.json["data"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [ids[0]])
            #expect(page2.json["has_more"] as? Bool == false)
            let drafts = try await api.call(.GET, "/v1/contracts?state=draft&merchant_id=\(merchantID)")
            #expect((drafts.json["data"] as? [[String: Any]])?.count == 2)
            let future = try await api.call(.GET, "/v1/contracts?created_after=2099-01-01T00:00:00Z")
            #expect((future.json["data"] as? [[String: Any]])?.isEmpty == true)
            let sent = try await api.call(.POST, "/v1/contracts/\(ids[1])/send")
            #expect(sent.json["state"] as? String == "sent")
            #expect(((sent.json["signers"] as? [[String: Any]])?.first?["signing_url"] as? String)?.contains("/s/") == true)
            try api.conformance.check()
        }

        @Test("Restart: stop the server mid-way, start it on the same data, everything is there and the flow continues")
        func restart() async throws {
            let first = try await APIHarness.start()
            let (merchant, contract) = try await first.merchantAndContract()
            let id = try #require(contract["id"] as? String)
            let before = try await first.call(.GET, "/v1/contracts/\(id)").body
            try await first.stop()
            let second = try await APIHarness.start(reusing: first)
            defer { Task { try? await second.stop() } }
            #expect(try await second.call(.GET, "/v1/contracts/\(id)").body == before)
            #expect(try await second.call(.GET, "/v1/merchants/\(try #require(merchant["id"] as? String))").status == 200)
            _ = try await second.service.sign(contractID: id, role: .merchant, evidence: SigningEvidence(origin: .system, authentication: "service"))
            #expect(try await second.call(.GET, "/v1/contracts/\(id)").json["state"] as? String == "completed")
            #expect(try await second.call(.GET, "/v1/contracts/\(id)/audit-trail").json["chain_valid"] as? Bool == true)
            try second.conformance.check()
        }
    }
}

/// Every blob file name under the harness's data directory.
func blobNames(_ api: APIHarness) throws -> Set<String> {
    let root = api.directory.file("data/blobs")
    guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
    return Set(enumerator.compactMap { ($0 as? URL)?.lastPathComponent }.filter { $0.count == 64 })
}

extension LiveService {
    /// The API against its own document with a third-party fuzzer, and the logs of a journey.
    @Suite("REST API against its OpenAPI document (live)")
    struct APISchemathesisTests {
        @Test("A short schemathesis run against the running server: no 5xx, no response that breaks the schema")
        func schemathesis() async throws {
            let api = try await APIHarness.start()
            defer { Task { try? await api.stop() } }
            _ = try await api.merchantAndContract()
            let result = try ExternalTool.run(RepositoryPaths.root.appendingPathComponent("scripts/schemathesis.sh").path,
                                              [api.baseURL, api.apiKey, "5"],
                                              environment: ["SCHEMATHESIS_TIME_LIMIT": "900", "SCHEMATHESIS_SEED": "20261206"])
            #expect(result.status == 0, "\(result.combinedOutput.suffix(6000))")
            #expect(!result.combinedOutput.contains(api.apiKey), "the key is not printed")
            let serverErrors = api.log.lines.filter { $0.contains(#""status":5"#) }
            #expect(serverErrors.isEmpty, "\(serverErrors.prefix(5))")
        }

        @Test("Findings of the schemathesis runs stay fixed: an external_id query outside the documented pattern is 400 invalid_query, not an empty 200; an empty If-None-Match is documented and answered 200")
        func schemathesisFindings() async throws {
            let api = try await APIHarness.start()
            defer { Task { try? await api.stop() } }
            _ = try await api.merchantAndContract()
            // schemathesis (negative_data_rejection, seed 20261206): GET /v1/merchants?external_id=×ø answered 200 with an empty list.
            for bad in ["%C3%97%C3%B8%C2%9B", "a%20b", String(repeating: "x", count: 65)] {
                let reply = try await api.call(.GET, "/v1/merchants?external_id=\(bad)")
                #expect(reply.status == 400 && reply.code == "invalid_query", "\(bad): \(reply.status) \(reply.code ?? "")")
            }
            let found = try await api.call(.GET, "/v1/merchants?external_id=m-1001")
            #expect(found.status == 200 && (found.json["data"] as? [[String: Any]])?.count == 1)
            // schemathesis (negative_data_rejection): an empty If-None-Match was documented as invalid (minLength 1) but
            // answered 200 with the document; it matches nothing, and the document now says so.
            let contractID = try #require((try await api.call(.GET, "/v1/contracts").json["data"] as? [[String: Any]])?.first?["id"] as? String)
            let document = try await api.call(.GET, "/v1/contracts/\(contractID)/document.pdf", headers: [("If-None-Match", "")])
            #expect(document.status == 200 && document.body.starts(with: Array("%PDF-".utf8)))
            // schemathesis (response_schema_conformance, a random seed): an unknown member named "" was reported as
            // errors[].field "", which the document forbade (minLength 1); the document allows it now, and the check holds.
            let unknown = try await api.call(.POST, "/v1/contracts/\(contractID)/send", json: #"{"": 1}"#)
            #expect(unknown.status == 400 && unknown.code == "invalid_request", "\(unknown.status) \(unknown.code ?? "")")
            #expect((unknown.json["errors"] as? [[String: Any]])?.first?["field"] as? String == "")
            try api.conformance.check()
        }

        @Test("A whole journey's logs hold no API key, signing token, field value or PDF digest")
        func secretsNeverLogged() async throws {
            let api = try await APIHarness.start()
            defer { Task { try? await api.stop() } }
            let (merchant, _) = try await api.merchantAndContract()
            // Created under an Idempotency-Key: the stored response (with the signing link) must not hold the token in the clear.
            let created = try await api.call(.POST, "/v1/contracts", json: [
                "merchant_id": try #require(merchant["id"] as? String), "template_id": "merchant-service-agreement",
                "fields": try APIHarness.sampleFields()] as [String: Any], headers: [("Idempotency-Key", "secret-test")])
            let contract = created.json
            let contractID = try #require(contract["id"] as? String)
            let url = try #require((contract["signers"] as? [[String: Any]])?.first?["signing_url"] as? String)
            let token = String(try #require(url.split(separator: "/").last))
            let link = try await api.call(.POST, "/v1/contracts/\(contractID)/signers/merchant/link")
            let newToken = String(try #require((link.json["url"] as? String)?.split(separator: "/").last))
            _ = try await api.service.sign(contractID: contractID, role: .merchant,
                                           evidence: SigningEvidence(origin: .system, authentication: "service"))
            _ = try await api.call(.GET, "/v1/contracts/\(contractID)/signed.pdf")
            // A well-formed key nobody issued, made now (never a literal in the source).
            let guessed = "sk_" + Base32.base64URL(SecureRandom.bytes(32))
            _ = try await api.call(.GET, "/v1/contracts", headers: [("Authorization", "Bearer \(guessed)")], auth: false)
            let secrets = [api.apiKey, token, newToken, guessed, "91330102MA28GH6T7K", "13857112468",
                           "finance@qinghe-dining.cn", "杭州青禾餐饮管理有限公司", "1202021109900125536",
                           try #require(merchant["external_id"] as? String)]
            let text = api.log.lines.joined(separator: "\n")
            #expect(api.log.lines.count >= 5, "the access log has the requests")
            for secret in secrets { #expect(!text.contains(secret), "the log contains \(secret.prefix(6))…") }
            let stored = try api.storedText()
            for secret in [api.apiKey, token, newToken] { #expect(!stored.contains(secret), "the database holds a secret in the clear") }
        }
    }
}
