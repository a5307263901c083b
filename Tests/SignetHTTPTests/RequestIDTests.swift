import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SignetHTTP
import Testing

@Suite("Request ids")
struct RequestIDTests {
    @Test("A sane X-Request-Id is echoed, on success and on errors")
    func echoed() async throws {
        let id = "client-1.2_3-" + String(repeating: "a", count: 115)
        #expect(id.count == 128)
        try await TestApplication.make().test(.router) { client in
            for (uri, method) in [("/healthz", HTTPRequest.Method.get), ("/nope", .get), ("/healthz", .post)] {
                try await client.execute(uri: uri, method: method, headers: [.requestID: id]) { response in
                    #expect(response.headers[.requestID] == id, "\(method) \(uri)")
                }
            }
        }
    }

    @Test("A missing or insane X-Request-Id is replaced by a fresh one", arguments: [
        nil, "", String(repeating: "a", count: 129), "has space", "new\nline", "quote\"", "ü-unicode", "slash/",
    ])
    func replaced(incoming: String?) async throws {
        try await TestApplication.make().test(.router) { client in
            var seen: Set<String> = []
            for _ in 0..<2 {
                var headers = HTTPFields()
                if let incoming { headers[.requestID] = incoming }
                try await client.execute(uri: "/nope", method: .get, headers: headers) { response in
                    let id = try #require(response.headers[.requestID])
                    #expect(id != incoming)
                    #expect(id.hasPrefix("req_") && id.count == 28 && RequestIDMiddleware.isAcceptable(id), "\(id)")
                    #expect(try response.body.jsonObject()["request_id"] as? String == id)
                    seen.insert(id)
                }
            }
            #expect(seen.count == 2, "each request gets its own id")
        }
    }
}
