import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SignetHTTP
import SignetService
import Testing

@Suite("Access log")
struct AccessLogTests {
    @Test("One JSON line per request with method, route template, status, duration and request id — no key, query, header or body value")
    func accessLineHoldsNoSecrets() async throws {
        let log = LogCapture()
        // The bearer key is made now, never a literal in the source.
        let secrets = ["sk_" + Base32.base64URL(SecureRandom.bytes(32)), "tok_query_secret_77", "merchant_phone_13800138000", "张三的签名", "root-ca"]
        try await TestApplication.make(log: log).test(.router) { client in
            var headers = HTTPFields()
            headers[.authorization] = "Bearer \(secrets[0])"
            headers[.contentType] = "application/json"
            headers[.requestID] = "trace-log-1"
            let body = ByteBuffer(string: #"{"fields":{"merchant_phone":"\#(secrets[2])","name":"\#(secrets[3])"}}"#)
            try await client.execute(uri: "/pki/ocsp?token=\(secrets[1])&signature=abc", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .ok)  // the responder's malformedRequest answer
            }
            // A concrete path with a parameter is logged by its template.
            try await client.execute(uri: "/pki/cert/\(secrets[4]).cer?token=\(secrets[1])", method: .get, headers: headers) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/v1/contracts/ctr_\(secrets[1])", method: .get, headers: headers) { response in
                #expect(response.status == .notFound)
            }
        }
        let lines = log.lines
        for secret in secrets + ["Bearer", "authorization", "merchant_phone", "signature"] {
            #expect(!lines.contains { $0.contains(secret) }, "\(secret) in \(lines)")
        }
        let requests = try log.objects().filter { $0["message"] as? String == "request" }
        #expect(requests.map { $0["route"] as? String } == ["/pki/ocsp", "/pki/cert/{name}.cer", "unmatched"], "\(lines)")
        #expect(requests.map { $0["method"] as? String } == ["POST", "GET", "GET"])
        #expect(requests.map { $0["status"] as? Int } == [200, 200, 404])
        #expect(requests.allSatisfy { $0["request_id"] as? String == "trace-log-1" })
        #expect(requests.allSatisfy { ($0["duration_ms"] as? Double).map { $0 >= 0 } == true })
        #expect(requests.allSatisfy { $0["time"] is String && $0["level"] as? String == "info" })
    }
}
