import AsyncHTTPClient
import Foundation
import SignetCrypto
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import SignetHTTP
import SignetPKI
import SignetService
import SignetStore
import SignetTemplates
import SignetTestSupport
import SignetServiceTestSupport
import Synchronization

/// The whole service in this test process, over real HTTP on a loopback port: SQLite and
/// blobs in a temp directory, a development PKI whose URLs name this server (so pdfsig and
/// pyHanko check revocation against it), an API key. The test calls the API over HTTP and
/// the service functions directly (signing, until the signing page exists). Every exchange
/// is recorded for the OpenAPI conformance check.
final class APIHarness: Sendable {
    let directory: TemporaryDirectory
    let port: Int
    let keys: KeyDirectory
    /// Where the storage is (`TestStorage`: SQLite in `directory`, or PostgreSQL).
    let location: StorageLocation
    let storage: any ServiceStore
    let service: SignetService
    let apiKey: String
    let apiKeyID: String
    let conformance = OpenAPIConformance()
    /// Everything the server logged (JSON lines).
    let log: LogCapture
    private let group: ServiceGroup
    private let running: Task<Void, any Error>

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Starts a service (on the data and keys of `earlier`, to restart, with its response
    /// sealing key), its configuration changed by `configure`; with `webhookJobs`, the webhook
    /// delivery worker and reminders run beside the server as in `signet serve`; with
    /// `exportJobs`, the export worker. With `peer`, a second instance beside a running one:
    /// its own port, the same key directory, database and API key (a scale-out instance).
    static func start(reusing earlier: APIHarness? = nil, beside peer: APIHarness? = nil, clock: (@Sendable () -> Date)? = nil,
                      webhookJobs: Bool = false, exportJobs: Bool = false,
                      configure: (inout ServiceConfiguration) -> Void = { _ in }) async throws -> APIHarness {
        let earlier = earlier ?? peer
        let directory = try earlier?.directory ?? TemporaryDirectory("signet-api")
        let port = try peer == nil ? earlier?.port ?? ServeProcess.freePort() : ServeProcess.freePort()
        let base = "http://127.0.0.1:\(port)"
        let keysPath = directory.file("keys").path
        let catalog = TemplateCatalog(root: RepositoryPaths.templates)
        let entities = try PlatformEntity.all(in: catalog)
        let keys: KeyDirectory
        if earlier == nil {
            var options = KeyDirectory.CreationOptions()
            options.baseURL = base
            options.organization = entities[0].organization
            options.creditCode = entities[0].registrationNumber
            keys = try KeyDirectory.create(at: keysPath, options: options)
            try PlatformEntity.ensureSeals(for: entities, in: keys, passphrase: nil)
        } else {
            keys = try KeyDirectory.load(from: keysPath)
        }
        let location = try earlier?.location ?? TestStorage.location(in: directory.file("data"))
        let storage = try await TestStorage.open(location)
        let log = LogCapture()
        var settings = ServiceConfiguration(baseURL: base)
        if let earlier { settings.responseSealingKey = earlier.service.configuration.responseSealingKey }
        configure(&settings)
        let service = SignetService(storage: storage.storage, templates: catalog, keys: keys,
                                    signingFlow: try await ContractSigningFlow.forService(keys: keys, storage: storage.storage),
                                    configuration: settings, clock: clock ?? { Date() },
                                    codeNotifier: LogCodeNotifier(logger: log.logger()))
        let key: (secret: String, id: String)
        if let earlier {
            key = (earlier.apiKey, earlier.apiKeyID)
        } else {
            let created = try await service.createAPIKey(name: "tests")
            key = (created.secret, created.record.id)
        }
        var services = HTTPServices(keys: keys, readinessChecks: ReadinessCheck.standard(for: service), openAPIDocument: OpenAPIDocument.bytes)
        services.service = service
        let configuration = ServerConfiguration(host: "127.0.0.1", port: port, baseURL: base,
                                                dataDirectory: directory.file("data").path, keysDirectory: keysPath)
        let listening = AsyncStream<Void>.makeStream()
        let application = try SignetApplication.build(configuration: configuration, services: services, logger: log.logger()) { _ in
            listening.continuation.yield()
        }
        var jobsAndServer: [any Service] = [application]
        if webhookJobs { jobsAndServer.append(WebhookJobs(service: service, interval: .milliseconds(100), logger: log.logger())) }
        if exportJobs { jobsAndServer.append(ExportJobs(service: service, interval: .milliseconds(100), logger: log.logger())) }
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: jobsAndServer, logger: log.logger()))
        let running = Task { try await group.run() }
        for await _ in listening.stream { break }
        return APIHarness(directory: directory, port: port, keys: keys, location: location, storage: storage, service: service,
                          apiKey: key.secret, apiKeyID: key.id, log: log, group: group, running: running)
    }

    private init(directory: TemporaryDirectory, port: Int, keys: KeyDirectory, location: StorageLocation, storage: any ServiceStore, service: SignetService,
                 apiKey: String, apiKeyID: String, log: LogCapture, group: ServiceGroup, running: Task<Void, any Error>) {
        self.log = log
        self.directory = directory
        self.port = port
        self.keys = keys
        self.location = location
        self.storage = storage
        self.service = service
        self.apiKey = apiKey
        self.apiKeyID = apiKeyID
        self.group = group
        self.running = running
    }

    /// Stops the server gracefully and closes the database.
    func stop() async throws {
        await group.triggerGracefulShutdown()
        try await running.value
        try await storage.close()
    }

    /// The root CA certificate file.
    var rootFile: URL { URL(fileURLWithPath: keys.path(KeyDirectory.Role.rootCA.certificateFile)) }

    /// A response.
    struct Reply: Sendable {
        let status: Int
        let headers: HTTPHeaders
        let body: [UInt8]

        /// The body as a JSON object.
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:] }
        /// The problem `code`, for error responses.
        var code: String? { json["code"] as? String }
        /// A header.
        func header(_ name: String) -> String? { headers.first(name: name) }
    }

    /// Calls the API. `json` is serialised (or sent as is when a String); `auth` false sends no key.
    @discardableResult
    func call(_ method: NIOHTTP1.HTTPMethod, _ path: String, json: Any? = nil, body: [UInt8]? = nil, contentType: String? = nil,
              headers: [(String, String)] = [], auth: Bool = true, record: Bool = true) async throws -> Reply {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if auth { request.headers.add(name: "Authorization", value: "Bearer \(apiKey)") }
        var payload = body
        if let json {
            payload = json is String ? Array((json as! String).utf8) : Array(try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]))
            request.headers.add(name: "Content-Type", value: contentType ?? "application/json")
        } else if let contentType {
            request.headers.add(name: "Content-Type", value: contentType)
        }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let payload { request.body = .bytes(ByteBuffer(bytes: payload)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(120))
        let buffer = try await response.body.collect(upTo: 100 << 20)
        let reply = Reply(status: Int(response.status.code), headers: response.headers, body: Array(buffer.readableBytesView))
        if record {
            let parts = path.split(separator: "?", maxSplits: 1)
            var headerMap: [String: String] = [:]
            for header in response.headers { headerMap[header.name.lowercased()] = header.value }
            conformance.record(method: method.rawValue, path: String(parts[0]), query: parts.count > 1 ? String(parts[1]) : nil,
                               status: reply.status, headers: headerMap, contentType: response.headers.first(name: "Content-Type"),
                               body: Data(reply.body))
        }
        return reply
    }

    /// The status line and body of a request whose head declares `Content-Length: declaredLength`
    /// but sends no body: the server must refuse an oversized body from its head alone.
    func rawOversized(_ method: String, _ path: String, contentType: String, declaredLength: Int) throws -> (status: Int, body: [UInt8]) {
        guard let connection = LoopbackConnection(port: port) else { throw OracleSetupError(description: "connect") }
        try connection.send(Array(("\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(apiKey)\r\n"
            + "Content-Type: \(contentType)\r\nContent-Length: \(declaredLength)\r\nConnection: close\r\n\r\n").utf8))
        let response = connection.readToEnd()
        let text = String(decoding: response, as: UTF8.self)
        let status = Int(text.split(separator: " ").dropFirst().first ?? "") ?? 0
        let body = text.range(of: "\r\n\r\n").map { Array(text[$0.upperBound...].utf8) } ?? []
        return (status, body)
    }

    /// The sample merchant of merchant-service-agreement's sample.json, as an API body.
    static var merchantBody: [String: Any] { [
        "external_id": "m-1001", "name": "杭州青禾餐饮管理有限公司", "registration": ["credit_code": "91330102MA28GH6T7K"],
        "legal_representative": "林晓禾", "contact": ["name": "陈思远", "phone": "13857112468", "email": "finance@qinghe-dining.cn"],
    ] }

    /// The sample's contract fields without those the service takes from the merchant's record.
    static func sampleFields(_ templateID: String = "merchant-service-agreement") throws -> [String: Any] {
        let url = RepositoryPaths.templates.appendingPathComponent("\(templateID)/1.0.0/sample.json")
        let sample = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] ?? [:]
        let fromRecord: Set<String> = ["merchant_name", "merchant_credit_code", "merchant_legal_rep", "merchant_contact",
                                       "merchant_phone", "merchant_email", "merchant_registration_no", "merchant_jurisdiction"]
        return sample.filter { !fromRecord.contains($0.key) }
    }

    /// A merchant and a sent contract, over the API.
    func merchantAndContract(externalID: String = "m-1001") async throws -> (merchant: [String: Any], contract: [String: Any]) {
        var body = Self.merchantBody
        body["external_id"] = externalID
        let merchant = try await call(.POST, "/v1/merchants", json: body)
        guard merchant.status == 201, let merchantID = merchant.json["id"] as? String else {
            throw OracleSetupError(description: "merchant: \(merchant.status) \(String(decoding: merchant.body, as: UTF8.self))")
        }
        let contract = try await call(.POST, "/v1/contracts", json: [
            "merchant_id": merchantID, "template_id": "merchant-service-agreement", "fields": try Self.sampleFields(),
        ])
        guard contract.status == 201 else {
            throw OracleSetupError(description: "contract: \(contract.status) \(String(decoding: contract.body, as: UTF8.self))")
        }
        return (merchant.json, contract.json)
    }
}
