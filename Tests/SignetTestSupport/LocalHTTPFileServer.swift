public import Foundation

/// A local HTTP server publishing a directory (a Python server in Tests/Fixtures), for
/// validators that fetch CRLs, certificates or OCSP responses online. Stopped on `stop()`
/// or deinit.
public final class LocalHTTPFileServer: Sendable {
    private let server: FixtureServer
    /// The port it listens on (127.0.0.1).
    public let port: Int

    /// Starts serving `directory` with `script` (a server in Tests/Fixtures that prints its
    /// port first): `http-file-server.py` publishes plain files, `pki-server.py` a Signet
    /// key directory with CRLs, CA certificates and an OCSP responder.
    public init(directory: URL, script: String = "http-file-server.py") throws {
        server = try FixtureServer(script: script, arguments: [directory.path])
        port = try server.ports(1)[0]
    }

    /// `http://127.0.0.1:PORT/path`.
    public func url(_ path: String) -> String { "http://127.0.0.1:\(port)/\(path)" }

    /// Stops the server (afterwards its URLs are dead, which tests use to prove a
    /// validator needs nothing online).
    public func stop() { server.stop() }
}
