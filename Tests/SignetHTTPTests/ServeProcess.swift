import Foundation
import Glibc
import SignetTestSupport

/// A real `signet serve` process on a loopback port, its JSON log in a file. Stopped with
/// SIGTERM by `terminate()`, killed on deinit if still running.
final class ServeProcess: @unchecked Sendable {
    // Unchecked: `process` is only touched by init, terminate and deinit, from the test's task.
    private let process = Process()
    /// The port it listens on.
    let port: Int
    /// Its standard error: one JSON log line per event.
    let logFile: URL
    /// The line it printed when it started listening.
    let listeningLine: String

    /// `http://127.0.0.1:PORT`.
    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Starts `signet serve --keys KEYS --data DATA --port PORT` in `directory` (with
    /// `storage`'s arguments instead of `--data DATA` when given: `TestStorage.arguments`), with
    /// `environment` added to the test's, and waits for its listening line.
    init(directory: URL, keys: URL, data: URL, port: Int, storage: [String]? = nil, extraArguments: [String] = [],
         environment: [String: String] = [:]) throws {
        self.port = port
        logFile = directory.appendingPathComponent("serve-\(port).log")
        FileManager.default.createFile(atPath: logFile.path, contents: nil)
        process.executableURL = try RepositoryPaths.signetExecutable()
        process.arguments = ["serve", "--keys", keys.path] + (storage ?? ["--data", data.path]) + ["--port", String(port),
                             "--templates", RepositoryPaths.templates.path] + extraArguments
        process.currentDirectoryURL = directory
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: logFile)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        var line: [UInt8] = []
        while true {
            let byte = output.fileHandleForReading.readData(ofLength: 1)
            guard let first = byte.first, first != UInt8(ascii: "\n") else { break }
            line.append(first)
        }
        listeningLine = String(decoding: line, as: UTF8.self)
        guard listeningLine.contains("listening") else {
            process.waitUntilExit()
            throw OracleSetupError(description: "signet serve did not start: \(listeningLine) \(log)")
        }
    }

    /// The log so far.
    var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    /// Whether the process still runs.
    var isRunning: Bool { process.isRunning }

    /// Sends `signal` to the process.
    func send(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// SIGTERM, then waits for the exit; returns the exit status.
    @discardableResult
    func terminate() -> Int32 {
        if process.isRunning { send(SIGTERM) }
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, then released).
    static func freePort() throws -> Int { try PostgresTestServer.freeLoopbackPort() }
}

/// A plain TCP connection to 127.0.0.1, for requests sent in pieces.
final class LoopbackConnection {
    private let fd: Int32

    /// Connects to `port`; nil when the connection is refused.
    init?(port: Int) {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard fd >= 0, connected == 0 else {
            if fd >= 0 { close(fd) }
            return nil
        }
    }

    /// Sends all of `bytes`.
    func send(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let result = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard result > 0 else { throw OracleSetupError(description: "send: \(errno)") }
            sent += result
        }
    }

    /// Closes the sending side (the peer reads end of file; a body shorter than its
    /// `Content-Length` stays truncated).
    func shutdownWrite() { shutdown(fd, Int32(SHUT_WR)) }

    /// Makes every later read give up after `seconds` without data (tests stay bounded).
    func setReceiveTimeout(seconds: Int) {
        var limit = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Reads until the peer closes the connection.
    func readToEnd() -> [UInt8] {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { break }
            data += buffer[0..<count]
        }
        return data
    }

    deinit { close(fd) }
}

/// `curl` against the server: the response body (status checked by `--fail`).
enum Curl {
    static func get(_ url: String) throws -> Data {
        let result = try ExternalTool.run("curl", ["--silent", "--show-error", "--fail", url])
        guard result.status == 0 else { throw OracleSetupError(description: "curl \(url): \(result.combinedOutput)") }
        return result.stdout
    }

    /// The value of `series` (a metric name with its labels, as `/metrics` writes it), 0 when absent.
    static func metric(_ series: String, at baseURL: String) throws -> Double {
        let text = String(decoding: try get(baseURL + "/metrics"), as: UTF8.self)
        for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1)) ?? 0
        }
        return 0
    }
}
