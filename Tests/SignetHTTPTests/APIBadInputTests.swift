import AsyncHTTPClient
import Foundation
import SignetCrypto
import HTTPTypes
import SignetTemplates
import NIOHTTP1
import SignetService
import SignetTestSupport
import Testing

extension LiveService {
    /// Bad requests get the documented 4xx problem with a code — never a 5xx — and change
    /// nothing; idempotency keys replay, refuse and block as the draft says; API keys.
    @Suite("REST API bad input (live)")
    struct APIBadInputTests {
        struct Case: Sendable, CustomStringConvertible {
            let name: String
            let method: NIOHTTP1.HTTPMethod
            let path: String
            var json: String?
            var body: [UInt8]?
            var contentType: String?
            var headers: [(String, String)] = []
            var auth = true
            let status: Int
            let code: String
            var fields: [String] = []
            var description: String { name }
        }

        @Test("A table of bad requests: each its documented status and code, nothing stored")
        func badInputTable() async throws {
            let api = try await APIHarness.start()
            defer { Task { try? await api.stop() } }
            let (merchant, contract) = try await api.merchantAndContract()
            let merchantID = try #require(merchant["id"] as? String)
            let contractID = try #require(contract["id"] as? String)
            let fields = try APIHarness.sampleFields()
            func json(_ object: [String: Any]) throws -> String { String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self) }
            var badFields = fields
            badFields["single_limit"] = "lots"
            badFields["start_date"] = "2025-02-30"
            badFields["merchant_name"] = "另一家公司有限公司"
            let encrypted = try encryptedPDF(api)
            // A well-formed API key nobody issued, made at run time.
            let unissuedKey = "sk_" + Base32.base64URL(SecureRandom.bytes(32))
            let cases: [Case] = [
                Case(name: "malformed JSON", method: .POST, path: "/v1/merchants", json: "{\"external_id\": ", status: 400, code: "invalid_json"),
                Case(name: "invalid UTF-8", method: .POST, path: "/v1/merchants", body: [0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x7D],
                     contentType: "application/json", status: 400, code: "invalid_json"),
                Case(name: "not an object", method: .POST, path: "/v1/merchants", json: "[1,2]", status: 400, code: "invalid_request"),
                Case(name: "wrong types and unknown member", method: .POST, path: "/v1/merchants",
                     json: try json(["external_id": 12, "name": ["x"], "registration": ["credit_code": "91330102MA28GH6T7K"],
                                     "legal_representative": "林晓禾", "contact": ["name": "陈思远"], "admin": true]),
                     status: 400, code: "invalid_request", fields: ["admin", "external_id", "name"]),
                Case(name: "missing members", method: .POST, path: "/v1/merchants", json: "{}", status: 400, code: "invalid_request",
                     fields: ["contact", "external_id", "legal_representative", "name", "registration"]),
                Case(name: "wrong content type", method: .POST, path: "/v1/merchants", json: try json(APIHarness.merchantBody),
                     contentType: "text/plain", status: 415, code: "unsupported_media_type"),
                Case(name: "bad credit code", method: .POST, path: "/v1/merchants",
                     json: try json(APIHarness.merchantBody.merging(["external_id": "m-x", "registration": ["credit_code": "91330102MA28GH6T7A"]]) { $1 }),
                     status: 422, code: "validation_failed", fields: ["registration.credit_code"]),
                Case(name: "duplicate external id", method: .POST, path: "/v1/merchants", json: try json(APIHarness.merchantBody),
                     status: 409, code: "merchant_exists"),
                Case(name: "oversized JSON", method: .POST, path: "/v1/merchants",
                     json: "{\"name\": \"" + String(repeating: "a", count: 1_100_000) + "\"}", status: 413, code: "body_too_large"),
                Case(name: "deeply nested JSON", method: .POST, path: "/v1/contracts",
                     json: String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000), status: 400, code: "invalid_json"),
                Case(name: "field errors all at once", method: .POST, path: "/v1/contracts",
                     json: try json(["merchant_id": merchantID, "template_id": "merchant-service-agreement", "fields": badFields]),
                     status: 422, code: "validation_failed",
                     fields: ["fields.merchant_name", "fields.single_limit", "fields.start_date"]),
                Case(name: "fields of the wrong type", method: .POST, path: "/v1/contracts",
                     json: try json(["merchant_id": merchantID, "template_id": "merchant-service-agreement", "fields": "all of them"]),
                     status: 400, code: "invalid_request", fields: ["fields"]),
                Case(name: "unknown template", method: .POST, path: "/v1/contracts",
                     json: try json(["merchant_id": merchantID, "template_id": "no-such-template", "fields": fields]),
                     status: 404, code: "template_not_found"),
                Case(name: "unknown template version", method: .POST, path: "/v1/contracts",
                     json: try json(["merchant_id": merchantID, "template_id": "merchant-service-agreement", "template_version": "9.9.9", "fields": fields]),
                     status: 404, code: "template_not_found"),
                Case(name: "unknown merchant", method: .POST, path: "/v1/contracts",
                     json: try json(["merchant_id": "mer_aaaaaaaaaaaaaaaaaaaaaaaaaa", "template_id": "merchant-service-agreement", "fields": fields]),
                     status: 404, code: "merchant_not_found"),
                Case(name: "unknown contract id", method: .GET, path: "/v1/contracts/ctr_aaaaaaaaaaaaaaaaaaaaaaaaaa", status: 404, code: "contract_not_found"),
                Case(name: "path traversal in an id", method: .GET, path: "/v1/contracts/..%2F..%2Fetc%2Fpasswd", status: 404, code: "contract_not_found"),
                Case(name: "unknown document", method: .GET, path: "/v1/documents/doc_aaaaaaaaaaaaaaaaaaaaaaaaaa.pdf", status: 404, code: "document_not_found"),
                Case(name: "unknown route", method: .GET, path: "/v1/nothing-here", status: 404, code: "not_found"),
                Case(name: "method not allowed", method: .DELETE, path: "/v1/contracts/\(contractID)", status: 405, code: "method_not_allowed"),
                Case(name: "bad limit", method: .GET, path: "/v1/contracts?limit=1000", status: 400, code: "invalid_query"),
                Case(name: "bad cursor", method: .GET, path: "/v1/contracts?cursor=bogus", status: 400, code: "invalid_query"),
                Case(name: "bad state filter", method: .GET, path: "/v1/contracts?state=happy", status: 400, code: "invalid_query"),
                Case(name: "void without reason", method: .POST, path: "/v1/contracts/\(contractID)/void", json: "{}", status: 400,
                     code: "invalid_request", fields: ["reason"]),
                Case(name: "missing key", method: .GET, path: "/v1/contracts", auth: false, status: 401, code: "unauthorized"),
                Case(name: "malformed key", method: .GET, path: "/v1/contracts", headers: [("Authorization", "Basic dXNlcjpwYXNz")], auth: false,
                     status: 401, code: "unauthorized"),
                Case(name: "unknown key", method: .GET, path: "/v1/contracts", headers: [("Authorization", "Bearer \(unissuedKey)")], auth: false, status: 401, code: "unauthorized"),
                Case(name: "verify: not a PDF", method: .POST, path: "/v1/verify", body: Array("hello".utf8), contentType: "application/pdf",
                     status: 422, code: "not_a_pdf"),
                Case(name: "verify: wrong content type", method: .POST, path: "/v1/verify", body: Array("%PDF-1.7".utf8), contentType: "text/plain",
                     status: 415, code: "unsupported_media_type"),
                Case(name: "document: not a PDF", method: .POST, path: "/v1/merchants/\(merchantID)/documents", body: Array("GIF89a....".utf8),
                     contentType: "application/pdf", status: 422, code: "not_a_pdf"),
                Case(name: "document: broken PDF", method: .POST, path: "/v1/merchants/\(merchantID)/documents",
                     body: Array("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF".utf8), contentType: "application/pdf", status: 422, code: "damaged_pdf"),
                Case(name: "document: encrypted PDF", method: .POST, path: "/v1/merchants/\(merchantID)/documents", body: encrypted,
                     contentType: "application/pdf", status: 422, code: "encrypted_pdf"),
                Case(name: "document: JSON instead of PDF", method: .POST, path: "/v1/merchants/\(merchantID)/documents", json: "{}",
                     status: 415, code: "unsupported_media_type"),
                Case(name: "idempotency key too long", method: .POST, path: "/v1/merchants", json: try json(APIHarness.merchantBody),
                     headers: [("Idempotency-Key", String(repeating: "k", count: 300))], status: 400, code: "invalid_header"),
            ]
            let contractsBefore = try await api.call(.GET, "/v1/contracts?limit=100", record: false).body
            let blobs = try blobNames(api)
            for item in cases {
                let reply = try await api.call(item.method, item.path, json: item.json, body: item.body, contentType: item.contentType,
                                               headers: item.headers, auth: item.auth,
                                               // 413s carry huge bodies; unknown routes and methods are not in the document.
                                               record: ![413, 404, 405].contains(item.status) || item.code != "not_found" && item.status == 404)
                let text = String(decoding: reply.body.prefix(600), as: UTF8.self)
                #expect(reply.status == item.status && reply.code == item.code, "\(item): \(reply.status) \(text)")
                #expect(reply.header("Content-Type") == "application/problem+json", "\(item)")
                if !item.fields.isEmpty {
                    let errors = (reply.json["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
                    #expect(Set(item.fields).isSubset(of: Set(errors)), "\(item): \(errors)")
                }
            }
            // Bodies declared past the limits are refused from the request head (nothing read).
            for (path, type, length) in [("/v1/verify", "application/pdf", 50_000_001), ("/v1/merchants/\(merchantID)/documents", "application/pdf", 60 << 20),
                                         ("/v1/contracts", "application/json", 1_000_001)] {
                let (status, body) = try api.rawOversized("POST", path, contentType: type, declaredLength: length)
                #expect(status == 413 && String(decoding: body, as: UTF8.self).contains("body_too_large"), "\(path): \(status)")
            }
            #expect(try await api.call(.GET, "/v1/contracts?limit=100", record: false).body == contractsBefore, "no contract created or changed")
            #expect(try blobNames(api) == blobs, "no blob written")
            let unknown = try await api.call(.GET, "/v1/contracts", headers: [("Authorization", "Bearer \(unissuedKey)")], auth: false)
            let missing = try await api.call(.GET, "/v1/contracts", auth: false)
            #expect(unknown.json["detail"] as? String == missing.json["detail"] as? String, "no hint which part of the key was wrong")
            try api.conformance.check()
        }

        @Test("Idempotency-Key: replay, reuse with another body, concurrent use; one contract")
        func idempotency() async throws {
            let api = try await APIHarness.start()
            defer { Task { try? await api.stop() } }
            let merchant = try await api.call(.POST, "/v1/merchants", json: APIHarness.merchantBody, headers: [("Idempotency-Key", "m-1")])
            let merchantID = try #require(merchant.json["id"] as? String)
            let replayed = try await api.call(.POST, "/v1/merchants", json: APIHarness.merchantBody, headers: [("Idempotency-Key", "m-1")])
            #expect(replayed.status == 201 && replayed.body == merchant.body && replayed.header("Idempotent-Replayed") == "true", "\(replayed.status) \(String(decoding: replayed.body, as: UTF8.self))")
            var other = APIHarness.merchantBody
            other["external_id"] = "m-other"
            let reused = try await api.call(.POST, "/v1/merchants", json: other, headers: [("Idempotency-Key", "m-1")])
            #expect(reused.status == 422 && reused.code == "idempotency_key_reused")

            let body = String(decoding: try JSONSerialization.data(withJSONObject: [
                "merchant_id": merchantID, "template_id": "merchant-service-agreement", "fields": try APIHarness.sampleFields()] as [String: Any]),
                as: UTF8.self)
            let replies = try await withThrowingTaskGroup(of: APIHarness.Reply.self) { group in
                for _ in 0..<8 { group.addTask { try await api.call(.POST, "/v1/contracts", json: body, headers: [("Idempotency-Key", "c-1")]) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let created = replies.filter { $0.status == 201 }
            #expect(!created.isEmpty && Set(created.map(\.body)).count == 1, "every success is the same response")
            #expect(replies.allSatisfy { $0.status == 201 || ($0.status == 409 && $0.code == "idempotency_key_in_use") },
                    "\(replies.map { "\($0.status) \($0.code ?? "")" })")
            #expect(replies.contains { $0.status == 409 }, "a retry while the first is still rendering gets 409")
            let after = try await api.call(.POST, "/v1/contracts", json: body, headers: [("Idempotency-Key", "c-1")])
            #expect(after.status == 201 && after.body == created[0].body, "same key + same body replays the first response")
            let list = try await api.call(.GET, "/v1/contracts")
            #expect((list.json["data"] as? [[String: Any]])?.count == 1, "one contract")
            try api.conformance.check()
        }

        @Test("A revoked API key gets 401 at once")
        func revokedKey() async throws {
            let api = try await APIHarness.start()
            defer { Task { try? await api.stop() } }
            #expect(try await api.call(.GET, "/v1/templates").status == 200)
            #expect(try await api.service.apiKeyRegistry.revoke(id: api.apiKeyID))
            let refused = try await api.call(.GET, "/v1/templates")
            #expect(refused.status == 401 && refused.code == "unauthorized")
            try api.conformance.check()
        }

        @Test("Paper contracts: a scan sealed as a certified copy (B-LTA), listed and downloadable, verified by pyHanko")
        func paperDocuments() async throws {
            let api = try await APIHarness.start()
            defer { Task { try? await api.stop() } }
            let (merchant, contract) = try await api.merchantAndContract()
            let merchantID = try #require(merchant["id"] as? String)
            let scan = try await api.call(.GET, "/v1/contracts/\(try #require(contract["id"] as? String))/document.pdf").body
            let uploaded = try await api.call(.POST, "/v1/merchants/\(merchantID)/documents?title=Paper%20MSA%202019", body: scan,
                                              contentType: "application/pdf")
            #expect(uploaded.status == 201, "\(String(decoding: uploaded.body, as: UTF8.self))")
            #expect(uploaded.json["original_sha256"] as? String == DigestAlgorithm.sha256.hash(scan).hexString)
            #expect(uploaded.json["title"] as? String == "Paper MSA 2019")
            let listed = try await api.call(.GET, "/v1/merchants/\(merchantID)/documents")
            #expect((listed.json["data"] as? [[String: Any]])?.count == 1)
            let url = try #require(uploaded.json["url"] as? String)
            let sealed = try await api.call(.GET, url)
            #expect(sealed.status == 200 && Array(sealed.body.prefix(scan.count)) == scan)
            let file = api.directory.file("certified.pdf")
            try Data(sealed.body).write(to: file)
            let pyhanko = try PyHanko.validate(file, trusting: [api.rootFile])
            #expect(pyhanko.raw.status == 0 && pyhanko.verdicts.count == 1, "\(pyhanko.raw.combinedOutput)")
            #expect(String(decoding: sealed.body, as: UTF8.self).contains("certified copy of the paper original"), "the reason is in the signature dictionary")
            try api.conformance.check()
        }

        /// A PDF encrypted with qpdf (a user password).
        func encryptedPDF(_ api: APIHarness) throws -> [UInt8] {
            let plain = api.directory.file("plain.pdf"), locked = api.directory.file("locked.pdf")
            try Data("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n".utf8).write(to: plain)
            let result = try ExternalTool.run("qpdf", ["--encrypt", "user", "owner", "256", "--", plain.path, locked.path])
            guard result.status == 0 || result.status == 3 else { throw OracleSetupError(description: result.combinedOutput) }
            return Array(try Data(contentsOf: locked))
        }
    }
}
