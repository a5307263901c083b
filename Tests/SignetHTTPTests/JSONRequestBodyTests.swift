import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SignetHTTP
import Testing

@Suite("JSON request bodies")
struct JSONRequestBodyTests {
    struct Signer: Decodable { let role: String; let name: String }
    struct Payload: Decodable { let merchantID: String; let limit: Int; let signers: [Signer]
        enum CodingKeys: String, CodingKey { case merchantID = "merchant_id", limit, signers }
    }

    static func app() throws -> some ApplicationProtocol {
        try TestApplication.make(configuration: ServerConfiguration(port: 0, jsonBodyLimit: 200)) { router in
            router.post("/test/payload") { request, context in
                let payload = try await JSONRequestBody.decode(Payload.self, from: request, context: context)
                return "\(payload.merchantID) \(payload.signers.count)"
            }
        }
    }

    @Test("Each bad body gets its problem, naming the member but never its value", arguments: [
        ("application/json", #"{"merchant_id":"mer_1","limit":3,"signers":[]}"#, 200, "", ""),
        ("application/json; charset=utf-8", #"{"merchant_id":"mer_1","limit":3,"signers":[]}"#, 200, "", ""),
        ("text/plain", #"{"merchant_id":"mer_1","limit":3,"signers":[]}"#, 415, "unsupported_media_type", ""),
        ("application/json", #"{"merchant_id":"mer_1","#, 400, "invalid_json", ""),
        ("application/json", "\u{FF}\u{FE}", 400, "invalid_json", ""),
        ("application/json", #"{"merchant_id":"secret-value-x","limit":"3","signers":[]}"#, 400, "invalid_request", "limit"),
        ("application/json", #"{"limit":3,"signers":[]}"#, 400, "invalid_request", "merchant_id"),
        ("application/json", #"{"merchant_id":null,"limit":3,"signers":[]}"#, 400, "invalid_request", "merchant_id"),
        ("application/json", #"{"merchant_id":"m","limit":3,"signers":[{"role":"merchant","name":7}]}"#, 400, "invalid_request", "signers[0].name"),
        ("application/json", #"{"merchant_id":"m","limit":3,"signers":[],"pad":""# + String(repeating: "x", count: 200) + #""}"#, 413, "body_too_large", ""),
    ])
    func problems(contentType: String, body: String, status: Int, code: String, field: String) async throws {
        try await Self.app().test(.router) { client in
            try await client.execute(uri: "/test/payload", method: .post, headers: [.contentType: contentType],
                                     body: ByteBuffer(string: body)) { response in
                #expect(response.status.code == status, "\(String(buffer: response.body))")
                guard status != 200 else { return }
                let problem = try ProblemTests.expectProblem(response, status: response.status, code: code)
                #expect(!String(buffer: response.body).contains("secret-value-x"))
                let errors = problem["errors"] as? [[String: Any]]
                if field.isEmpty {
                    #expect(errors == nil)
                } else {
                    #expect(errors?.first?["field"] as? String == field, "\(problem)")
                }
            }
        }
    }
}
