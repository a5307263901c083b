import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SignetHTTP
import Testing

/// Every error leaves as an RFC 9457 problem with a code and the request id; nothing inside
/// the server leaks.
@Suite("Problem responses")
struct ProblemTests {
    /// Checks the problem members common to every error; returns the body.
    @discardableResult
    static func expectProblem(_ response: TestResponse, status: HTTPResponse.Status, code: String,
                              sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        #expect(response.status == status, sourceLocation: sourceLocation)
        #expect(response.headers[.contentType] == "application/problem+json", sourceLocation: sourceLocation)
        let body = try response.body.jsonObject()
        #expect(body["code"] as? String == code, "\(body)", sourceLocation: sourceLocation)
        #expect(body["type"] as? String == "https://signet.dev/problems/\(code)", sourceLocation: sourceLocation)
        #expect(body["status"] as? Int == status.code, sourceLocation: sourceLocation)
        #expect((body["title"] as? String)?.isEmpty == false, sourceLocation: sourceLocation)
        let requestID = try #require(response.headers[.requestID], sourceLocation: sourceLocation)
        #expect(body["request_id"] as? String == requestID, sourceLocation: sourceLocation)
        return body
    }

    @Test("An unknown route is 404 not_found")
    func unknownRoute() async throws {
        try await TestApplication.make().test(.router) { client in
            try await client.execute(uri: "/v1/nothing-here?token=x", method: .get) { response in
                try Self.expectProblem(response, status: .notFound, code: "not_found")
            }
        }
    }

    @Test("A known path with another method is 405 method_not_allowed with Allow")
    func methodNotAllowed() async throws {
        try await TestApplication.make().test(.router) { client in
            try await client.execute(uri: "/healthz", method: .post) { response in
                try Self.expectProblem(response, status: .methodNotAllowed, code: "method_not_allowed")
                #expect(response.headers[.allow] == "GET, HEAD")
            }
            // A route with a parameter and one with a recursive wildcard.
            try await client.execute(uri: "/pki/cert/root-ca.cer", method: .delete) { response in
                try Self.expectProblem(response, status: .methodNotAllowed, code: "method_not_allowed")
            }
            try await client.execute(uri: "/pki/ocsp/MFEw/MDA%3D", method: .put) { response in
                try Self.expectProblem(response, status: .methodNotAllowed, code: "method_not_allowed")
                #expect(response.headers[.allow] == "GET, HEAD")
            }
            try await client.execute(uri: "/tsa", method: .get) { response in
                try Self.expectProblem(response, status: .methodNotAllowed, code: "method_not_allowed")
                #expect(response.headers[.allow] == "POST")
            }
        }
    }

    @Test("A body over the route's limit is 413 body_too_large (collect(upTo:) and JSON decoding)")
    func bodyTooLarge() async throws {
        let configuration = ServerConfiguration(port: 0, jsonBodyLimit: 1000, pkiBodyLimit: 100)
        let app = try TestApplication.make(configuration: configuration) { router in
            struct Payload: Decodable { let name: String }
            router.post("/test/json") { request, context in
                let payload = try await request.decode(as: Payload.self, context: context)
                return payload.name
            }
            router.post("/test/collect") { request, _ in
                // Hummingbird's own HTTPError(.contentTooLarge), as a controller would meet it.
                _ = try await request.body.collect(upTo: 10)
                return "collected"
            }
        }
        try await app.test(.router) { client in
            try await client.execute(uri: "/tsa", method: .post, body: ByteBuffer(repeating: 0x30, count: 101)) { response in
                let body = try Self.expectProblem(response, status: .contentTooLarge, code: "body_too_large")
                #expect((body["detail"] as? String)?.contains("100 bytes") == true)
            }
            let json = ByteBuffer(string: #"{"name":""# + String(repeating: "x", count: 2000) + #""}"#)
            try await client.execute(uri: "/test/json", method: .post, headers: [.contentType: "application/json"], body: json) { response in
                try Self.expectProblem(response, status: .contentTooLarge, code: "body_too_large")
            }
            try await client.execute(uri: "/test/collect", method: .post, body: ByteBuffer(repeating: 1, count: 11)) { response in
                try Self.expectProblem(response, status: .contentTooLarge, code: "body_too_large")
            }
            // Within the limits, the same routes answer.
            try await client.execute(uri: "/test/json", method: .post, headers: [.contentType: "application/json"],
                                     body: ByteBuffer(string: #"{"name":"ok"}"#)) { response in
                #expect(response.status == .ok)
            }
        }
    }

    /// An error whose text holds what must never reach a client.
    struct LeakyError: Error, CustomStringConvertible {
        var description: String {
            "SELECT * FROM api_keys WHERE hash = '<an api key hash>' -----BEGIN PRIVATE KEY----- at /srv/signet/Sources/Store.swift:42"
        }
    }

    @Test("An unexpected error is 500 internal_error without detail; the log has it under the request id")
    func internalErrorNeverLeaks() async throws {
        let log = LogCapture()
        let app = try TestApplication.make(log: log) { router in
            router.get("/test/boom") { _, _ -> String in throw LeakyError() }
            router.get("/test/decoding") { _, _ -> String in
                // A DecodingError is not an HTTPResponseError either.
                _ = try JSONDecoder().decode([String: Int].self, from: Data(#"{"secret_field":"secret-field-value"}"#.utf8))
                return "unreachable"
            }
        }
        try await app.test(.router) { client in
            for uri in ["/test/boom", "/test/decoding"] {
                try await client.execute(uri: uri, method: .get, headers: [.requestID: "trace-500"]) { response in
                    let body = try Self.expectProblem(response, status: .internalServerError, code: "internal_error")
                    #expect(body["detail"] == nil)
                    let text = String(buffer: response.body)
                    for secret in ["SELECT", "api key hash", "PRIVATE KEY", "Store.swift", "secret_field", "secret-field-value", "Error"] {
                        #expect(!text.contains(secret), "\(text)")
                    }
                }
            }
        }
        let errors = try log.objects().filter { $0["level"] as? String == "error" }
        #expect(errors.count == 2)
        #expect(errors.allSatisfy { $0["request_id"] as? String == "trace-500" }, "\(errors)")
        #expect(errors.first?["error.type"] as? String == String(reflecting: LeakyError.self))
    }
}
