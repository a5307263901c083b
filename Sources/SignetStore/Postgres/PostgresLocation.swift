import FoundationEssentials
import NIOSSL
import PostgresNIO

/// A PostgreSQL database named by a libpq-style URL:
/// `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=…&pool_size=N]`.
///
/// - `sslmode`: `disable`, `prefer` (the default, as libpq's), `require` or `verify-full`
///   (both verify the server's certificate and name against the system's trust store: a
///   required TLS connection that does not check who answers protects nothing);
/// - `pool_size`: the most connections this instance opens (default 16). Each instance holds
///   at most this many, so N instances need `max_connections` ≥ N × pool_size on the server.
///
/// The password is kept for connecting only: `description` prints the URL without it.
public struct PostgresLocation: Sendable, CustomStringConvertible {
    /// The host name or address.
    public let host: String
    /// The port (5432 by default).
    public let port: Int
    /// The user.
    public let username: String
    /// The database.
    public let database: String
    /// The TLS mode (`sslmode`).
    public let sslMode: String
    /// The pool's maximum number of connections.
    public let poolSize: Int
    private let password: String?

    /// Parses `url`; throws `PostgresLocationError` naming what is wrong (never echoing the password).
    public init(url: String) throws {
        guard let components = URLComponents(string: url), let scheme = components.scheme,
              ["postgres", "postgresql"].contains(scheme.lowercased()) else {
            throw PostgresLocationError.invalid("expected postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE")
        }
        guard let host = components.host, !host.isEmpty else { throw PostgresLocationError.invalid("the URL names no host") }
        guard let user = components.user, !user.isEmpty else { throw PostgresLocationError.invalid("the URL names no user") }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else { throw PostgresLocationError.invalid("the URL names no database") }
        var sslMode = "prefer"
        var poolSize = 16
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let value = item.value, ["disable", "prefer", "require", "verify-full"].contains(value) else {
                    throw PostgresLocationError.invalid("sslmode must be disable, prefer, require or verify-full")
                }
                sslMode = value
            case "pool_size":
                guard let value = item.value.flatMap(Int.init), (1...500).contains(value) else {
                    throw PostgresLocationError.invalid("pool_size must be a number from 1 to 500")
                }
                poolSize = value
            default:
                throw PostgresLocationError.invalid("unknown parameter \(item.name) (sslmode and pool_size are known)")
            }
        }
        self.host = host
        self.port = components.port ?? 5432
        self.username = user
        self.password = components.password
        self.database = database
        self.sslMode = sslMode
        self.poolSize = poolSize
    }

    /// `postgres://USER@HOST:PORT/DATABASE?sslmode=…` (no password).
    public var description: String { "postgres://\(username)@\(host):\(port)/\(database)?sslmode=\(sslMode)" }

    /// The URL again, with the password (percent-encoded): for handing to another process
    /// (tests, tools), never for printing.
    public var connectionURL: String {
        var components = URLComponents()
        components.scheme = "postgres"
        components.user = username
        components.password = password
        components.host = host
        components.port = port
        components.path = "/" + database
        components.queryItems = [URLQueryItem(name: "sslmode", value: sslMode), URLQueryItem(name: "pool_size", value: String(poolSize))]
        return components.string ?? description
    }

    /// The URL for libpq's tools (`psql`, `pg_dump`): `connectionURL` without Signet's own
    /// `pool_size`, which libpq refuses.
    public var libpqURL: String {
        connectionURL.replacing("&pool_size=\(poolSize)", with: "")
    }

    /// PostgresNIO's configuration for this location.
    var clientConfiguration: PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS
        switch sslMode {
        case "disable": tls = .disable
        case "require", "verify-full": tls = .require(.makeClientConfiguration())
        default: tls = .prefer(.makeClientConfiguration())
        }
        var configuration = PostgresClient.Configuration(host: host, port: port, username: username, password: password,
                                                         database: database, tls: tls)
        configuration.options.maximumConnections = poolSize
        configuration.options.connectionIdleTimeout = .seconds(30)
        configuration.options.additionalStartupParameters = [("application_name", "signet")]
        return configuration
    }
}

/// Why a database URL was refused.
public enum PostgresLocationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The URL is not a usable PostgreSQL URL.
    case invalid(String)

    /// A stable machine-readable code.
    public var code: String { "store.database_url" }

    /// What is wrong, in words.
    public var description: String {
        switch self {
        case .invalid(let reason): "invalid database URL: \(reason)"
        }
    }
}
