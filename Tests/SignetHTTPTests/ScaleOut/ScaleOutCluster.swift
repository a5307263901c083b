import Foundation
import Glibc
import NIOHTTP1
import SignetPKI
import SignetStore
import SignetTestSupport
import SignetServiceTestSupport
import Synchronization

/// Several identical `signet serve` processes on free loopback ports sharing one database,
/// behind nginx (`NginxBalancer`, round robin) on another port: the deployment of
/// docs/deployment.md on one machine.
///
/// - Every instance gets the same `--base-url`, the balancer's, so the certificates' OCSP and
///   CRL URLs point at the balancer, not at one instance.
/// - One key directory, made once by the first instance (the PKI, the platform seals and the
///   response sealing key), then copied for every other instance: nothing an instance writes
///   on its own disk is seen by another, as on separate machines.
/// - An API key made beforehand with `signet apikeys create` on the same database.
final class ScaleOutCluster: Sendable {
    let directory: TemporaryDirectory
    /// The shared database.
    let location: StorageLocation
    /// The balancer in front of the instances.
    let balancer: NginxBalancer
    /// The instances' ports, in order.
    let ports: [Int]
    /// The API key (a secret of this test's database only).
    let apiKey: String
    /// The options every instance is started with, after the storage and base URL.
    let extraArguments: [String]
    private let instances: Mutex<[ServeProcess?]>
    private let generations: Mutex<[Int]>
    private let turn = Mutex(0)

    /// The balancer's URL: the base URL of every instance.
    var baseURL: String { balancer.baseURL }
    /// The key directory the first instance made (the original of every copy).
    var keysDirectory: URL { Self.keys(of: 0, in: directory) }
    /// The root CA certificate file.
    var rootFile: URL { keysDirectory.appendingPathComponent(KeyDirectory.Role.rootCA.certificateFile) }

    /// Starts `count` instances on `location` (a new PostgreSQL database unless given) with
    /// `extraArguments` (e.g. `--signing-lease 3s`), then nginx in front of them.
    init(instances count: Int, location: StorageLocation? = nil, extraArguments: [String] = []) throws {
        precondition(count >= 1)
        directory = try TemporaryDirectory("signet-scale-out")
        self.location = try location ?? TestStorage.postgresLocation(poolSize: 8)
        self.extraArguments = extraArguments
        let created = try ExternalTool.run(try RepositoryPaths.signetExecutable().path,
                                           ["apikeys", "create", "--name", "scale-out"] + TestStorage.arguments(for: self.location))
        guard created.status == 0, let key = created.output.split(separator: "\n").last.map(String.init) else {
            throw OracleSetupError(description: "signet apikeys create: \(created.combinedOutput)")
        }
        apiKey = key
        let balancerPort = try ServeProcess.freePort()
        var ports: [Int] = []
        while ports.count < count {
            let port = try ServeProcess.freePort()
            if port != balancerPort, !ports.contains(port) { ports.append(port) }
        }
        self.ports = ports
        instances = Mutex(Array(repeating: nil, count: count))
        generations = Mutex(Array(repeating: 0, count: count))
        let base = "http://127.0.0.1:\(balancerPort)"
        // The first instance makes the key directory; the others start on copies of it.
        let first = try Self.launch(index: 0, generation: 0, port: ports[0], directory: directory, location: self.location,
                                    baseURL: base, extraArguments: extraArguments)
        instances.withLock { $0[0] = first }
        for index in 1..<count {
            try FileManager.default.copyItem(at: Self.keys(of: 0, in: directory), to: Self.keys(of: index, in: directory))
            let process = try Self.launch(index: index, generation: 0, port: ports[index], directory: directory, location: self.location,
                                          baseURL: base, extraArguments: extraArguments)
            instances.withLock { $0[index] = process }
        }
        balancer = try NginxBalancer(directory: directory.file("nginx"), port: balancerPort, upstreams: ports)
    }

    /// Stops nginx and every instance (SIGTERM); returns the instances' exit statuses.
    @discardableResult
    func stop() -> [Int32] {
        balancer.stop()
        return instances.withLock { $0.compactMap { $0?.terminate() } }
    }

    /// `http://127.0.0.1:PORT` of instance `index`.
    func instanceURL(_ index: Int) -> String { "http://127.0.0.1:\(ports[index])" }

    /// Every instance's URL, then the balancer's: the places a request may go.
    var everyURL: [String] { ports.indices.map(instanceURL) + [baseURL] }

    /// The next of `everyURL`, in turn: instance 0, 1, …, the balancer, instance 0, …
    func nextURL() -> String {
        let urls = everyURL
        return turn.withLock { turn in
            defer { turn += 1 }
            return urls[turn % urls.count]
        }
    }

    /// The next of `everyURL` whose instance runs (the balancer always does).
    func nextLiveURL() -> String {
        for _ in 0...ports.count {
            let url = nextURL()
            if let index = ports.indices.first(where: { instanceURL($0) == url }), !isRunning(index) { continue }
            return url
        }
        return baseURL
    }

    /// The key directory instance `index` runs on.
    func keys(of index: Int) -> URL { Self.keys(of: index, in: directory) }

    /// Whether instance `index` runs.
    func isRunning(_ index: Int) -> Bool { instances.withLock { $0[index]?.isRunning ?? false } }

    /// SIGKILLs instance `index` and waits until it is gone.
    func kill(_ index: Int) {
        guard let process = instances.withLock({ $0[index] }) else { return }
        process.send(SIGKILL)
        while process.isRunning { usleep(5_000) }
    }

    /// Sends `signal` to instance `index` without waiting.
    func signal(_ index: Int, _ signal: Int32) {
        instances.withLock { $0[index] }?.send(signal)
    }

    /// Starts instance `index` again (after `kill`) on its port, its key directory and the database.
    func restart(_ index: Int) throws {
        let generation = generations.withLock { $0[index] += 1; return $0[index] }
        let process = try Self.launch(index: index, generation: generation, port: ports[index], directory: directory, location: location,
                                      baseURL: baseURL, extraArguments: extraArguments)
        instances.withLock { $0[index] = process }
    }

    /// Every log line (JSON) every instance has written so far, each incarnation's.
    func logLines() -> [[String: Any]] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.url.path)) ?? []
        return names.filter { $0.hasPrefix("instance-") }.sorted().flatMap { name -> [[String: Any]] in
            let folder = directory.file(name)
            let logs = (try? FileManager.default.contentsOfDirectory(atPath: folder.path))?.filter { $0.hasSuffix(".log") } ?? []
            return logs.flatMap { log -> [[String: Any]] in
                let text = (try? String(contentsOf: folder.appendingPathComponent(log), encoding: .utf8)) ?? ""
                return text.split(separator: "\n").compactMap {
                    (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
                }
            }
        }
    }

    /// The one-time codes the instances' `log` notifiers wrote for `contractID`, in no particular order.
    func loggedCodes(contractID: String) -> [String] {
        logLines().filter { $0["message"] as? String == "one-time code" && $0["contract_id"] as? String == contractID }
            .compactMap { $0["otp_code"] as? String }
    }

    /// Lines with a 5xx status in any instance's access log.
    func serverErrors() -> [String] {
        logLines().filter { ($0["status"] as? Int).map { $0 >= 500 } ?? false }.map { "\($0)" }
    }

    /// Calls the API at `base` (an instance's URL or the balancer's) with the API key.
    @discardableResult
    func call(_ method: NIOHTTP1.HTTPMethod, _ path: String, json: Any? = nil, at base: String? = nil,
              headers: [(String, String)] = []) async throws -> APIHarness.Reply {
        var all = [("Authorization", "Bearer \(apiKey)")] + headers
        var body: [UInt8]?
        if let json {
            body = Array(try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]))
            all.append(("Content-Type", "application/json"))
        }
        return try await ScaleOutHTTP.send(method, (base ?? nextLiveURL()) + path, headers: all, body: body)
    }

    /// A merchant (external id `externalID`) and a sent contract of the sample, over the API
    /// at the next URLs in turn.
    func merchantAndContract(externalID: String) async throws -> (merchantID: String, contract: [String: Any]) {
        var body = APIHarness.merchantBody
        body["external_id"] = externalID
        let merchant = try await call(.POST, "/v1/merchants", json: body)
        guard merchant.status == 201, let merchantID = merchant.json["id"] as? String else {
            throw OracleSetupError(description: "merchant: \(merchant.status) \(merchant.text)")
        }
        let contract = try await call(.POST, "/v1/contracts", json: [
            "merchant_id": merchantID, "template_id": "merchant-service-agreement", "fields": try APIHarness.sampleFields(),
        ])
        guard contract.status == 201 else { throw OracleSetupError(description: "contract: \(contract.status) \(contract.text)") }
        return (merchantID, contract.json)
    }

    /// The audit trail's events of `contractID`.
    func auditEvents(_ contractID: String, at base: String? = nil) async throws -> (events: [[String: Any]], chainValid: Bool) {
        let trail = try await call(.GET, "/v1/contracts/\(contractID)/audit-trail", at: base)
        guard trail.status == 200 else { throw OracleSetupError(description: "audit trail: \(trail.status) \(trail.text)") }
        return (trail.json["events"] as? [[String: Any]] ?? [], trail.json["chain_valid"] as? Bool == true)
    }

    private static func keys(of index: Int, in directory: TemporaryDirectory) -> URL {
        directory.file("keys-\(index)")
    }

    private static func launch(index: Int, generation: Int, port: Int, directory: TemporaryDirectory, location: StorageLocation,
                               baseURL: String, extraArguments: [String]) throws -> ServeProcess {
        let folder = directory.file("instance-\(index)-\(generation)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return try ServeProcess(directory: folder, keys: keys(of: index, in: directory), data: folder.appendingPathComponent("unused-data"),
                                port: port, storage: TestStorage.arguments(for: location),
                                extraArguments: ["--base-url", baseURL] + extraArguments)
    }
}
