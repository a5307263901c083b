import FoundationEssentials

/// Where `signet serve` listens, where it keeps its state, and how large request bodies may be.
public struct ServerConfiguration: Sendable {
    /// The interface to bind (default 127.0.0.1: only this machine).
    public var host: String
    /// The TCP port (0: any free port, as tests use).
    public var port: Int
    /// The public base URL of the service, without a trailing slash: what certificates'
    /// AIA/CRL URLs and signing links start with.
    public var baseURL: String
    /// The data directory (SQLite database and blobs) when `databaseURL` is nil.
    public var dataDirectory: String
    /// A PostgreSQL database (`postgres://…`) holding everything instead of the data
    /// directory: what several instances share (docs/deployment.md). Nil: SQLite.
    public var databaseURL: String?
    /// The PKI directory (`keys/`).
    public var keysDirectory: String
    /// The largest JSON request body accepted (1 MB): larger ones get 413 `body_too_large`.
    public var jsonBodyLimit: Int
    /// The largest PDF request body accepted (50 MB).
    public var pdfBodyLimit: Int
    /// The largest OCSP or time-stamp request accepted (64 kB; a real one is a few hundred bytes).
    public var pkiBodyLimit: Int
    /// Who may frame the signing pages server-wide (nobody unless configured; an embedded
    /// link may name its own origins, the console is never framed).
    public var framing = FramePolicy()

    /// A configuration; the base URL defaults to `http://HOST:PORT`.
    public init(host: String = "127.0.0.1", port: Int = 8080, baseURL: String? = nil, dataDirectory: String = "data",
                keysDirectory: String = "keys", jsonBodyLimit: Int = 1_000_000, pdfBodyLimit: Int = 50_000_000,
                pkiBodyLimit: Int = 64 * 1024) {
        self.host = host
        self.port = port
        let base = baseURL ?? Self.defaultBaseURL(host: host, port: port)
        self.baseURL = base.hasSuffix("/") ? String(base.dropLast()) : base
        self.dataDirectory = dataDirectory
        self.keysDirectory = keysDirectory
        self.jsonBodyLimit = jsonBodyLimit
        self.pdfBodyLimit = pdfBodyLimit
        self.pkiBodyLimit = pkiBodyLimit
    }

    /// `http://HOST:PORT`, with an IPv6 literal in brackets.
    public static func defaultBaseURL(host: String, port: Int) -> String {
        let shownHost = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return "http://\(shownHost):\(port)"
    }
}
