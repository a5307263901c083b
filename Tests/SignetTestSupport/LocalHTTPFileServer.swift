public import Foundation

/// A local HTTP server publishing a directory (a Python server in Tests/Fixtures), for
/// validators that fetch CRLs, certificates or OCSP responses online. Stopped on `stop()`
/// or deinit.
public final class LocalHTTPFileServer: @unchecked Sendable {
    // Unchecked: `process` and `input` are only touched by init, stop and deinit, and stop
    // is idempotent.
    private let process: Process
    private let input = Pipe()
    /// The port it listens on (127.0.0.1).
    public let port: Int

    /// Starts serving `directory` with `script` (a server in Tests/Fixtures that prints its
    /// port first): `http-file-server.py` publishes plain files, `pki-server.py` a Signet
    /// key directory with CRLs, CA certificates and an OCSP responder.
    public init(directory: URL, script: String = "http-file-server.py") throws {
        process = Process()
        process.executableURL = try ExternalTool.locate("python3")
        process.arguments = [RepositoryPaths.fixtures.appendingPathComponent(script).path, directory.path]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        process.standardInput = input
        try process.run()
        var line: [UInt8] = []
        while true {
            let byte = out.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty || byte.first == 0x0A { break }
            line.append(byte.first!)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self)) else {
            process.terminate()
            throw OracleSetupError(description: "the local HTTP server did not report its port")
        }
        self.port = port
    }

    /// `http://127.0.0.1:PORT/path`.
    public func url(_ path: String) -> String { "http://127.0.0.1:\(port)/\(path)" }

    /// Stops the server (afterwards its URLs are dead, which tests use to prove a
    /// validator needs nothing online).
    public func stop() {
        guard process.isRunning else { return }
        // Closing stdin makes the server exit; SIGKILL if it has not within a second.
        try? input.fileHandleForWriting.close()
        for _ in 0..<100 where process.isRunning { usleep(10_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    deinit { stop() }
}
