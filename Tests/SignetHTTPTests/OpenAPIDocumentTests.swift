import Foundation
import SignetTestSupport
import Testing

/// The OpenAPI document is the API's contract: `openapi-spec-validator` must accept it, its
/// examples must match its schemas, and the conformance checker the server tests rely on
/// (`OpenAPIConformance`, openapi-core underneath) must accept conforming responses and
/// reject each kind of non-conforming one, or those tests would prove nothing.
@Suite("OpenAPI document and conformance checker")
struct OpenAPIDocumentTests {
    let document = OpenAPIConformance.defaultDocument

    @Test("openapi-spec-validator accepts the document, and rejects a broken copy")
    func specValidatorAcceptsDocument() throws {
        let result = try ExternalTool.run("openapi-spec-validator", [document.path])
        #expect(result.status == 0, "\(result.combinedOutput)")
        #expect(result.output.contains("OK"), "\(result.combinedOutput)")

        // The validator really reads the document: an undeclared path parameter and a schema
        // with an impossible type are refused.
        var json = try Self.loadDocument()
        var paths = try #require(json["paths"] as? [String: Any])
        var merchant = try #require(paths["/v1/merchants/{merchant_id}"] as? [String: Any])
        merchant.removeValue(forKey: "parameters")
        paths["/v1/merchants/{merchant_id}"] = merchant
        json["paths"] = paths
        var components = try #require(json["components"] as? [String: Any])
        var schemas = try #require(components["schemas"] as? [String: Any])
        var contract = try #require(schemas["Contract"] as? [String: Any])
        contract["type"] = "record"
        schemas["Contract"] = contract
        components["schemas"] = schemas
        json["components"] = components
        let directory = try TemporaryDirectory("signet-openapi")
        let broken = directory.file("broken.json")
        try JSONSerialization.data(withJSONObject: json).write(to: broken)
        let refused = try ExternalTool.run("openapi-spec-validator", [broken.path])
        #expect(refused.status != 0, "\(refused.combinedOutput)")
        #expect(refused.combinedOutput.contains("merchant_id") || refused.combinedOutput.contains("record"), "\(refused.combinedOutput)")
    }

    @Test("every example in the document matches its schema")
    func examplesMatchSchemas() throws {
        let result = try ExternalTool.run("python3", [OpenAPIConformance.checker.path, document.path, "--examples"])
        #expect(result.status == 0, "\(result.combinedOutput)")
        #expect(result.output.contains(" 0 failing"), "\(result.combinedOutput)")
    }

    @Test("the checker accepts conforming exchanges")
    func acceptsConformingExchanges() throws {
        let conformance = OpenAPIConformance()
        for exchange in try Self.conformingExchanges() { conformance.record(exchange) }
        #expect(conformance.recorded.count >= 8)
        try conformance.check()
    }

    /// One way to break an otherwise conforming exchange, and what the checker must say.
    struct Breakage: Sendable {
        let name: String
        let expectedMessage: String
        let exchange: @Sendable (Exchanges) throws -> OpenAPIConformance.Exchange
    }

    static let breakages: [Breakage] = [
        Breakage(name: "a status the operation does not document", expectedMessage: "Unknown response http status: 418") {
            var exchange = try $0.getMerchant(); exchange.status = 418; return exchange
        },
        Breakage(name: "a body without a required member", expectedMessage: "'name' is a required property") {
            var merchant = try $0.merchant(); merchant.removeValue(forKey: "name")
            return try Exchanges.json("GET", "/v1/merchants/mer_k7q2m4xzp3w6t5rb", 200, merchant)
        },
        Breakage(name: "an id that is not the id pattern", expectedMessage: "does not match '^mer_") {
            var merchant = try $0.merchant(); merchant["id"] = "mer_0189"
            return try Exchanges.json("GET", "/v1/merchants/mer_k7q2m4xzp3w6t5rb", 200, merchant)
        },
        Breakage(name: "an undocumented member", expectedMessage: "Additional properties are not allowed") {
            var merchant = try $0.merchant(); merchant["nickname"] = "x"
            return try Exchanges.json("GET", "/v1/merchants/mer_k7q2m4xzp3w6t5rb", 200, merchant)
        },
        Breakage(name: "the wrong content type", expectedMessage: "mimetype not found: text/html") {
            var exchange = try $0.getMerchant(); exchange.contentType = "text/html"; return exchange
        },
        Breakage(name: "a problem with another route's code", expectedMessage: "'merchant_not_found' is not one of") { _ in
            try Exchanges.json("GET", "/v1/contracts/ctr_b3x7k2mvq4w6p7t5", 404, Exchanges.problem(404, "merchant_not_found"),
                               contentType: "application/problem+json")
        },
        Breakage(name: "a path that is not in the document", expectedMessage: "GET /v1/nowhere is not in the document") { _ in
            try Exchanges.json("GET", "/v1/nowhere", 200, ["object": "list"])
        },
        Breakage(name: "a method the path does not have", expectedMessage: "DELETE /v1/merchants/mer_k7q2m4xzp3w6t5rb is not in the document") {
            var exchange = try $0.getMerchant(); exchange.method = "DELETE"; return exchange
        },
        Breakage(name: "a response without X-Request-Id", expectedMessage: "Missing required header: X-Request-Id") {
            var exchange = try $0.getMerchant(); exchange.headers.removeValue(forKey: "X-Request-Id"); return exchange
        },
        Breakage(name: "a PDF without Content-Digest", expectedMessage: "Missing required header: Content-Digest") {
            var exchange = try $0.pdf(); exchange.headers.removeValue(forKey: "Content-Digest"); return exchange
        },
    ]

    /// All breakages in one run of the checker (each run costs a second or two of Python
    /// start-up): the conforming exchanges pass, and exactly the broken ones are reported,
    /// each with its own message.
    @Test("the checker rejects each non-conforming exchange, and only those")
    func rejects() throws {
        let exchanges = try Exchanges()
        let conforming = try Self.conformingExchanges()
        let conformance = OpenAPIConformance()
        for exchange in conforming { conformance.record(exchange) }
        for breakage in Self.breakages { conformance.record(try breakage.exchange(exchanges)) }
        let error = try #require(throws: OpenAPIConformanceError.self) { try conformance.check() }
        let report = error.description
        #expect(report.contains("\(conforming.count + Self.breakages.count) exchange(s), \(Self.breakages.count) failing"), "\(report)")
        // The report lists each failing exchange as "FAIL line N: …" followed by its problems.
        let blocks = report.components(separatedBy: "FAIL line ").dropFirst()
        let failing = Dictionary(uniqueKeysWithValues: blocks.compactMap { block -> (Int, String)? in
            guard let number = Int(block.prefix { $0.isNumber }) else { return nil }
            return (number, block)
        })
        for (index, breakage) in Self.breakages.enumerated() {
            let line = conforming.count + index + 1
            let block = failing[line] ?? ""
            #expect(block.contains(breakage.expectedMessage), "\(breakage.name): line \(line) not reported as \(breakage.expectedMessage)\n\(report)")
        }
        #expect(failing.keys.allSatisfy { $0 > conforming.count }, "a conforming exchange was reported\n\(report)")
    }

    @Test("check() with nothing recorded fails")
    func nothingRecorded() {
        #expect(throws: OpenAPIConformanceError.self) { try OpenAPIConformance().check() }
    }

    @Test("recording from many tasks at once keeps every exchange")
    func concurrentRecording() async throws {
        let conformance = OpenAPIConformance()
        let exchange = try Exchanges().getMerchant()
        let body = Data(base64Encoded: exchange.bodyBase64) ?? Data()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<200 {
                group.addTask {
                    conformance.record(method: "GET", path: exchange.path, status: 200, headers: exchange.headers,
                                       contentType: exchange.contentType, body: body)
                }
            }
        }
        #expect(conformance.recorded.count == 200)
        #expect(conformance.recorded.allSatisfy { $0 == exchange })
        try conformance.check()
    }

    @Test("a query in the path is split off")
    func querySplit() {
        let conformance = OpenAPIConformance()
        conformance.record(method: "get", path: "/v1/contracts?limit=2&state=sent", status: 200, headers: [:], contentType: nil, body: Data())
        #expect(conformance.recorded.first?.path == "/v1/contracts")
        #expect(conformance.recorded.first?.query == "limit=2&state=sent")
        #expect(conformance.recorded.first?.method == "GET")
    }

    // MARK: - Fixtures

    static func loadDocument() throws -> [String: Any] {
        let data = try Data(contentsOf: OpenAPIConformance.defaultDocument)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static func conformingExchanges() throws -> [OpenAPIConformance.Exchange] {
        let e = try Exchanges()
        return [
            try e.getMerchant(),
            try Exchanges.json("POST", "/v1/merchants", 201, try e.merchant()),
            try Exchanges.json("GET", "/v1/merchants", 200,
                               ["object": "list", "data": [try e.merchant()], "has_more": false, "next_cursor": NSNull()],
                               query: "external_id=m-1001"),
            try Exchanges.json("POST", "/v1/contracts", 201, try e.contract()),
            try Exchanges.json("POST", "/v1/contracts", 422, try e.validationProblem(), contentType: "application/problem+json"),
            try Exchanges.json("GET", "/v1/contracts/ctr_b3x7k2mvq4w6p7t5", 404, Exchanges.problem(404, "contract_not_found"),
                               contentType: "application/problem+json"),
            try Exchanges.json("GET", "/v1/contracts", 401, Exchanges.problem(401, "unauthorized"), contentType: "application/problem+json"),
            try e.pdf(),
            try Exchanges.json("GET", "/healthz", 200, ["status": "ok"]),
            Exchanges.raw("GET", "/metrics", 200, Data("# TYPE http_requests_total counter\n".utf8), contentType: "text/plain; version=0.0.4"),
        ]
    }
}

/// Conforming exchanges built from the document's own examples (so they stay in step with it).
struct Exchanges: Sendable {
    static let requestID = "req_0123456789abcdef01234567"
    let merchantJSON: Data
    let contractJSON: Data
    let problemJSON: Data

    init() throws {
        let document = try OpenAPIDocumentTests.loadDocument()
        func value(_ keys: [String]) throws -> Data {
            var node: Any = document
            for key in keys { node = try #require((node as? [String: Any])?[key], "no \(keys) in openapi.json") }
            return try JSONSerialization.data(withJSONObject: node)
        }
        merchantJSON = try value(["paths", "/v1/merchants", "post", "responses", "201", "content", "application/json", "examples", "merchant", "value"])
        contractJSON = try value(["paths", "/v1/contracts", "post", "responses", "201", "content", "application/json", "examples", "sent", "value"])
        problemJSON = try value(["components", "examples", "ValidationProblem", "value"])
    }

    func merchant() throws -> [String: Any] { try #require(try JSONSerialization.jsonObject(with: merchantJSON) as? [String: Any]) }
    func contract() throws -> [String: Any] { try #require(try JSONSerialization.jsonObject(with: contractJSON) as? [String: Any]) }
    func validationProblem() throws -> [String: Any] { try #require(try JSONSerialization.jsonObject(with: problemJSON) as? [String: Any]) }

    func getMerchant() throws -> OpenAPIConformance.Exchange {
        try Self.json("GET", "/v1/merchants/mer_k7q2m4xzp3w6t5rb", 200, try merchant())
    }

    func pdf() throws -> OpenAPIConformance.Exchange {
        var exchange = Self.raw("GET", "/v1/contracts/ctr_b3x7k2mvq4w6p7t5/document.pdf", 200, Data("%PDF-1.7\n%%EOF\n".utf8),
                                contentType: "application/pdf")
        exchange.headers["ETag"] = "\"" + String(repeating: "ab", count: 32) + "\""
        exchange.headers["Content-Digest"] = "sha-256=:" + Data(repeating: 0xAB, count: 32).base64EncodedString() + ":"
        return exchange
    }

    static func problem(_ status: Int, _ code: String) -> [String: Any] {
        ["type": "https://signet.dev/problems/\(code)", "title": "Problem", "status": status, "detail": "A sentence.",
         "code": code, "request_id": requestID]
    }

    static func json(_ method: String, _ path: String, _ status: Int, _ body: [String: Any], query: String? = nil,
                     contentType: String = "application/json") throws -> OpenAPIConformance.Exchange {
        var exchange = raw(method, path, status, try JSONSerialization.data(withJSONObject: body), contentType: contentType)
        exchange.query = query
        return exchange
    }

    static func raw(_ method: String, _ path: String, _ status: Int, _ body: Data, contentType: String?) -> OpenAPIConformance.Exchange {
        OpenAPIConformance.Exchange(method: method, path: path, query: nil, status: status,
                                    headers: ["X-Request-Id": requestID, "Content-Type": contentType ?? ""],
                                    contentType: contentType, body: body)
    }
}
