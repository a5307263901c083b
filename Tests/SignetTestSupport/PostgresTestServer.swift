public import Foundation
import Glibc

/// The PostgreSQL server the tests use: the one `make test` started (its admin URL in
/// `SIGNET_TEST_POSTGRES_URL`), or else one this test process starts itself with
/// `scripts/postgres-test-cluster.sh` in a temp directory on a free loopback port, stopped and
/// removed once the process is gone. Each test gets a database of its own (`createDatabase`).
public final class PostgresTestServer: Sendable {
    /// The environment variable naming an already running server's admin URL.
    public static let urlVariable = "SIGNET_TEST_POSTGRES_URL"
    /// The environment variable choosing the storage backend of the service suites:
    /// `postgres` runs them on PostgreSQL, anything else (or unset) on SQLite.
    public static let backendVariable = "SIGNET_TEST_BACKEND"

    /// The admin URL (user postgres, database postgres, no TLS).
    public let adminURL: String
    /// 127.0.0.1's port the server listens on.
    public let port: Int

    /// Whether the service suites run on PostgreSQL in this process.
    public static var backendIsPostgres: Bool {
        ProcessInfo.processInfo.environment[backendVariable] == "postgres"
    }

    /// The server, started on first use.
    public static func shared() throws -> PostgresTestServer {
        try started.get()
    }

    private static let started: Result<PostgresTestServer, any Error> = Result {
        if let url = ProcessInfo.processInfo.environment[urlVariable], !url.isEmpty {
            guard let port = URLComponents(string: url)?.port else { throw OracleSetupError(description: "\(urlVariable) names no port") }
            return PostgresTestServer(adminURL: url, port: port)
        }
        let port = try freeLoopbackPort()
        let directory = "/tmp/signet-pg-\(getpid())-\(UUID().uuidString.prefix(8))"
        let result = try ExternalTool.run(RepositoryPaths.root.appendingPathComponent("scripts/postgres-test-cluster.sh").path,
                                          ["start", directory, String(port), "--watch", String(getpid())])
        guard result.status == 0 else {
            throw OracleSetupError(description: "could not start PostgreSQL: \(result.combinedOutput)")
        }
        return PostgresTestServer(adminURL: result.output.trimmingCharacters(in: .whitespacesAndNewlines), port: port)
    }

    private init(adminURL: String, port: Int) {
        self.adminURL = adminURL
        self.port = port
    }

    /// A new, empty database; returns its URL (`pool_size` connections at most).
    public func createDatabase(poolSize: Int = 6) throws -> String {
        let name = "signet_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20)
        try psql("CREATE DATABASE \(name)")
        return "postgres://postgres@127.0.0.1:\(port)/\(name)?sslmode=disable&pool_size=\(poolSize)"
    }

    /// Runs SQL as the admin, in the admin database; throws with psql's output when it fails.
    @discardableResult
    public func psql(_ sql: String, database: String? = nil) throws -> String {
        var url = adminURL
        if let database { url = url.replacingOccurrences(of: "/postgres?", with: "/\(database)?") }
        let result = try ExternalTool.run("psql", [url, "-v", "ON_ERROR_STOP=1", "-X", "-q", "-A", "-t", "-c", sql])
        guard result.status == 0 else { throw OracleSetupError(description: "psql: \(result.combinedOutput)") }
        return result.output
    }

    /// A port on 127.0.0.1 nobody listens on now.
    public static func freeLoopbackPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw OracleSetupError(description: "socket: \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard bound == 0 else { throw OracleSetupError(description: "bind: \(errno)") }
        let named = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        guard named == 0 else { throw OracleSetupError(description: "getsockname: \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
