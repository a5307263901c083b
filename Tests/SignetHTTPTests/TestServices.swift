import Foundation
import Hummingbird
import Logging
import NIOCore
import SignetHTTP
import SignetPKI
import SignetTestSupport
import Synchronization
import Testing

/// A development PKI for the router tests, made once per test process (URLs at a port
/// nothing listens on: these tests never fetch them).
enum TestKeys {
    private static let made: Result<(TemporaryDirectory, KeyDirectory), any Error> = Result {
        let directory = try TemporaryDirectory("signet-http-keys")
        var options = KeyDirectory.CreationOptions()
        options.baseURL = "http://127.0.0.1:9"
        return (directory, try KeyDirectory.create(at: directory.url.path, options: options))
    }

    /// The PKI.
    static func keys() throws -> KeyDirectory { try made.get().1 }
}

/// Every line a `JSONLogHandler` wrote, for assertions on the logs.
final class LogCapture: Sendable {
    private let storage = Mutex<[String]>([])

    /// The lines so far.
    var lines: [String] { storage.withLock { $0 } }

    /// A logger writing JSON lines here.
    func logger() -> Logger {
        Logger(label: "signet-test") { label in
            JSONLogHandler(label: label) { [self] line in storage.withLock { $0.append(line) } }
        }
    }

    /// The lines as JSON objects.
    func objects() throws -> [[String: Any]] {
        try lines.map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
    }
}

/// The application the tests exercise with `app.test(.router)`.
enum TestApplication {
    /// The application over the test PKI, with `readiness` checks, logging into `log`;
    /// `extraRoutes` adds routes after Signet's own (they get every middleware).
    static func make(
        log: LogCapture = LogCapture(), readiness: [ReadinessCheck] = [], configuration: ServerConfiguration = ServerConfiguration(port: 0),
        extraRoutes: (Router<SignetRequestContext>) -> Void = { _ in }
    ) throws -> some ApplicationProtocol {
        let services = HTTPServices(keys: try TestKeys.keys(), readinessChecks: readiness, openAPIDocument: OpenAPIDocument.bytes)
        let router = try SignetApplication.buildRouter(configuration: configuration, services: services)
        extraRoutes(router)
        return Application(router: router, logger: log.logger())
    }
}

extension ByteBuffer {
    /// The buffer's bytes.
    var bytes: [UInt8] { Array(buffer: self) }

    /// The body as a JSON object.
    func jsonObject() throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }
}
